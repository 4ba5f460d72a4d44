#!/usr/bin/env python3
"""Builds a FAQ-matching retrieval set in the BEIR format from Banking77 (PolyAI, CC-BY-4.0).

Banking77 has 13,083 online-banking customer questions, each labelled with one of 77 intents, split into
`train.csv` and `test.csv` (`text,category`). This script turns it into "which FAQ entry answers this?":

- corpus.jsonl: one document per intent, `_id` = the intent (`card_arrival`), `title` = the intent humanised
  (`Card arrival`), `text` = a handful of that intent's *training* questions (5 by default, drawn with a fixed
  seed) joined as sentences, standing in for the wording of a FAQ entry;
- queries.jsonl: every *test* question, `_id` = `test-00001`, ...;
- qrels.tsv: each query's own intent document with score 1.

Documents come only from training questions and queries only from test questions, so no query text is in the
corpus. Python standard library only; the data is read in place and never copied into the repository.

    python3 scripts/knowledge/make-banking77-faq.py IN_DIR OUT_DIR [--per-intent 5] [--seed 77]
    swift run -c release knowledge-eval --corpus OUT_DIR/corpus.jsonl --queries OUT_DIR/queries.jsonl \
        --qrels OUT_DIR/qrels.tsv --mode lexical
"""

import argparse
import csv
import json
import os
import random
import sys


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or not {"text", "category"} <= set(reader.fieldnames):
            sys.exit(f"{path}: expected the columns text,category")
        return [(row["text"].strip(), row["category"].strip()) for row in reader if row["text"].strip()]


def humanise(intent):
    words = intent.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def as_sentence(text):
    text = " ".join(text.split())
    return text if text[-1:] in ".?!" else text + "."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("in_dir", help="the Banking77 folder with train.csv, test.csv (and categories.json)")
    parser.add_argument("out_dir", help="where to write corpus.jsonl, queries.jsonl and qrels.tsv")
    parser.add_argument("--per-intent", type=int, default=5, help="training questions per document (default 5)")
    parser.add_argument("--seed", type=int, default=77, help="the sampling seed (default 77)")
    args = parser.parse_args()

    train = read_rows(os.path.join(args.in_dir, "train.csv"))
    test = read_rows(os.path.join(args.in_dir, "test.csv"))
    categories_path = os.path.join(args.in_dir, "categories.json")
    if os.path.exists(categories_path):
        with open(categories_path, encoding="utf-8") as handle:
            intents = json.load(handle)
    else:
        intents = sorted({category for _, category in train})

    by_intent = {intent: [] for intent in intents}
    for text, category in train:
        if category not in by_intent:
            sys.exit(f"train.csv: intent {category!r} is not in categories.json")
        by_intent[category].append(text)

    rng = random.Random(args.seed)
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "corpus.jsonl"), "w", encoding="utf-8") as corpus:
        for intent in intents:
            examples = sorted(set(by_intent[intent]))
            if not examples:
                sys.exit(f"train.csv: intent {intent!r} has no examples")
            chosen = rng.sample(examples, min(args.per_intent, len(examples)))
            text = " ".join(as_sentence(example) for example in chosen)
            corpus.write(json.dumps({"_id": intent, "title": humanise(intent), "text": text}, ensure_ascii=False))
            corpus.write("\n")

    known = set(intents)
    query_count = 0
    with open(os.path.join(args.out_dir, "queries.jsonl"), "w", encoding="utf-8") as queries, open(
        os.path.join(args.out_dir, "qrels.tsv"), "w", encoding="utf-8"
    ) as qrels:
        qrels.write("query-id\tcorpus-id\tscore\n")
        for text, category in test:
            if category not in known:
                sys.exit(f"test.csv: intent {category!r} is not in categories.json")
            query_count += 1
            query_id = f"test-{query_count:05d}"
            queries.write(json.dumps({"_id": query_id, "text": text}, ensure_ascii=False) + "\n")
            qrels.write(f"{query_id}\t{category}\t1\n")

    print(f"documents: {len(intents)} (from {len(train)} training questions, {args.per_intent} per intent)")
    print(f"queries:   {query_count} (test questions)")
    print(f"qrels:     {query_count}")
    print(f"written to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
