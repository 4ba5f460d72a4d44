#!/usr/bin/env python3
"""Side-by-side baseline: Presidio 2.2 regex recognizers (no NLP model) on pii_dev.jsonl, overlap matching.

Usage: pip install presidio-analyzer==2.2.* && python3 Scripts/compare_presidio_regex.py
"""
import json, time, sys
from presidio_analyzer.predefined_recognizers import (CreditCardRecognizer, EmailRecognizer, IbanRecognizer,
    IpRecognizer, UsSsnRecognizer, PhoneRecognizer)
recs = [CreditCardRecognizer(), EmailRecognizer(), IbanRecognizer(), IpRecognizer(), UsSsnRecognizer(), PhoneRecognizer()]
rows = [json.loads(l) for l in open('/work/shared/datasets/pii/pii_dev.jsonl')]
types = ["CREDIT_CARD","EMAIL_ADDRESS","IBAN_CODE","IP_ADDRESS","US_SSN","PHONE_NUMBER"]
tally = {t: [0,0,0,0] for t in types}  # gold, found, pred, correct
t0 = time.perf_counter()
for r in rows:
    preds = []
    for rec in recs:
        for res in rec.analyze(r["text"], rec.supported_entities, None):
            if res.score >= 0.0: preds.append((res.entity_type, res.start, res.end))
    gold = [(s["type"], s["start"], s["end"]) for s in r["spans"] if s["type"] in types]
    for g in gold:
        tally[g[0]][0] += 1
        if any(p[0]==g[0] and p[1]<g[2] and g[1]<p[2] for p in preds): tally[g[0]][1] += 1
    for p in preds:
        if p[0] not in tally: continue
        tally[p[0]][2] += 1
        if any(p[0]==g[0] and p[1]<g[2] and g[1]<p[2] for g in gold): tally[p[0]][3] += 1
el = time.perf_counter()-t0
for t,(g,f,p,c) in tally.items():
    print(f"{t:15s} recall {f/max(g,1):.3f} precision {c/max(p,1):.3f}  gold {g} pred {p}")
print(f"us/message {el/len(rows)*1e6:.1f}")
