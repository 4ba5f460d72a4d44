#!/usr/bin/env python3
"""Parley's PII detection beside Presidio 2.2's regex recognizers, on the same data, in one run.

Usage:
    pip install 'presidio-analyzer==2.2.*'
    swift build -c release --product parley
    python3 scripts/pii/compare_presidio_regex.py [--data ../shared/datasets/pii/pii_dev.jsonl] [--parley .build/release/parley]

Presidio runs its regex recognizers only (no spaCy model), with overlap matching of the same type, as
`parley eval pii` scores. Both run on this machine in this run, so the speed ratio is like for like.
"""
import argparse
import json
import subprocess
import time

from presidio_analyzer.predefined_recognizers import (CreditCardRecognizer, EmailRecognizer, IbanRecognizer,
                                                      IpRecognizer, PhoneRecognizer, UsSsnRecognizer)

TYPES = ["CREDIT_CARD", "EMAIL_ADDRESS", "IBAN_CODE", "IP_ADDRESS", "US_SSN", "PHONE_NUMBER"]


def presidio(rows):
    """Per-type recall and precision, and µs per message, of Presidio's regex recognizers."""
    recognizers = [CreditCardRecognizer(), EmailRecognizer(), IbanRecognizer(), IpRecognizer(), UsSsnRecognizer(),
                   PhoneRecognizer()]
    tally = {t: [0, 0, 0, 0] for t in TYPES}  # gold, gold found, predicted, predicted correct
    started = time.perf_counter()
    for row in rows:
        predicted = []
        for recognizer in recognizers:
            for result in recognizer.analyze(row["text"], recognizer.supported_entities, None):
                predicted.append((result.entity_type, result.start, result.end))
        gold = [(s["type"], s["start"], s["end"]) for s in row["spans"] if s["type"] in TYPES]
        for g in gold:
            tally[g[0]][0] += 1
            if any(p[0] == g[0] and p[1] < g[2] and g[1] < p[2] for p in predicted):
                tally[g[0]][1] += 1
        for p in predicted:
            if p[0] in tally:
                tally[p[0]][2] += 1
                if any(p[0] == g[0] and p[1] < g[2] and g[1] < p[2] for g in gold):
                    tally[p[0]][3] += 1
    elapsed = time.perf_counter() - started
    figures = {t: {"recall": f / max(g, 1), "precision": c / max(p, 1)} for t, (g, f, p, c) in tally.items()}
    return figures, elapsed / len(rows) * 1e6


def parley(binary, data):
    """The JSON figures `parley eval pii` prints as its last line."""
    output = subprocess.run([binary, "eval", "pii", "--data", data], check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/datasets/pii/pii_dev.jsonl")
    parser.add_argument("--parley", default=".build/release/parley")
    args = parser.parse_args()
    rows = [json.loads(line) for line in open(args.data, encoding="utf-8") if line.strip()]
    ours = parley(args.parley, args.data)
    theirs, presidio_us = presidio(rows)
    print(f"{len(rows)} messages from {args.data}; overlap matching, same type")
    print(f"{'type':15s} {'Parley R':>9s} {'Parley P':>9s} {'Presidio R':>11s} {'Presidio P':>11s}")
    for t in TYPES:
        mine = ours["per_type"].get(t, {})
        print(f"{t:15s} {mine.get('recall', 0):9.3f} {mine.get('precision', 0):9.3f} "
              f"{theirs[t]['recall']:11.3f} {theirs[t]['precision']:11.3f}")
    print(f"{'µs per message':15s} {ours['us_per_message']:9.1f} {'':9s} {presidio_us:11.1f}")
    print(f"Parley is {presidio_us / ours['us_per_message']:.1f}x Presidio's speed (regex recognizers only)")
    print(json.dumps({"parley_us_per_message": ours["us_per_message"], "presidio_us_per_message": presidio_us,
                      "speed_ratio": presidio_us / ours["us_per_message"],
                      "parley": {t: ours["per_type"].get(t) for t in TYPES}, "presidio": theirs}))


if __name__ == "__main__":
    main()
