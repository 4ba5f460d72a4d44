#!/usr/bin/env python3
"""Builds a FAQ-matching BEIR set from CLINC150 (data_full.json): one document per in-scope intent made of a few
of its training utterances, the in-scope test utterances as queries.

    scripts/knowledge/make-clinc150-faq.py ../shared/datasets/clinc150 /tmp/clinc150-beir

Standard library only; the output is derived data, not committed.
"""
import json
import os
import random
import sys

PER_INTENT = 5
SEED = 150


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make-clinc150-faq.py IN_DIR OUT_DIR")
    source, target = sys.argv[1], sys.argv[2]
    with open(os.path.join(source, "data_full.json"), encoding="utf-8") as handle:
        data = json.load(handle)
    by_intent = {}
    for text, intent in data["train"]:
        by_intent.setdefault(intent, []).append(text)
    rng = random.Random(SEED)
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(target, "corpus.jsonl"), "w", encoding="utf-8") as corpus:
        for intent in sorted(by_intent):
            examples = sorted(by_intent[intent])
            rng.shuffle(examples)
            text = " ".join(example.rstrip("?.!") + "?" for example in examples[:PER_INTENT])
            title = intent.replace("_", " ").capitalize()
            corpus.write(json.dumps({"_id": intent, "title": title, "text": text}) + "\n")
    queries = [(f"q{index}", text, intent) for index, (text, intent) in enumerate(data["test"])]
    with open(os.path.join(target, "queries.jsonl"), "w", encoding="utf-8") as out:
        for query_id, text, _ in queries:
            out.write(json.dumps({"_id": query_id, "text": text}) + "\n")
    with open(os.path.join(target, "qrels.tsv"), "w", encoding="utf-8") as out:
        out.write("query-id\tcorpus-id\tscore\n")
        for query_id, _, intent in queries:
            out.write(f"{query_id}\t{intent}\t1\n")
    print(f"documents {len(by_intent)}, queries {len(queries)}, qrels {len(queries)}")


if __name__ == "__main__":
    main()
