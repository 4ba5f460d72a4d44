#!/usr/bin/env python3
"""Cross-check of the intent stage's static embeddings with scikit-learn and Model2Vec's own distillation.

Trains LogisticRegression(C=100) on TF-IDF word 1-2-grams + character 2-5-grams, alone and with sentence vectors
appended (unit length, times --weight), and prints test accuracy (and, for CLINC150, in-scope accuracy and the
out-of-scope recall of the `oos` class). The vectors: the model's own (sentence-transformers) and Model2Vec
distillations of the same model with the variants named in --variants (PCA:SIF, e.g. auto:1e-4, 256:1e-4,
none:1e-4, 256:none). The figures quoted in scripts/README.md come from this script.

    pip install scikit-learn sentence-transformers "model2vec[distill]"
    python3 scripts/intent/compare-static-sklearn.py banking77 --model DIR [--data ../shared/datasets]
    python3 scripts/intent/compare-static-sklearn.py clinc150 --model DIR
"""
import argparse
import csv
import json
import os

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize


def load(name, root):
    if name == "banking77":
        def read(path):
            rows = list(csv.DictReader(open(path, encoding="utf-8")))
            return [r["text"] for r in rows], [r["category"] for r in rows]
        return read(os.path.join(root, "banking77/train.csv")), read(os.path.join(root, "banking77/test.csv"))
    data = json.load(open(os.path.join(root, "clinc150/data_full.json"), encoding="utf-8"))
    train, test = data["train"] + data["oos_train"], data["test"] + data["oos_test"]
    return ([t for t, _ in train], [l for _, l in train]), ([t for t, _ in test], [l for _, l in test])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset", choices=["banking77", "clinc150"])
    parser.add_argument("--model", required=True, help="the all-MiniLM-L6-v2 directory (PARLEY_EMBED_MODEL)")
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../../shared/datasets"))
    parser.add_argument("--variants", default="auto:1e-4,256:1e-4,none:1e-4,256:none")
    parser.add_argument("--weight", type=float, default=1.0)
    args = parser.parse_args()
    (train_x, train_y), (test_x, test_y) = load(args.dataset, args.data)
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    grams_train = normalize(hstack([words.fit_transform(train_x), chars.fit_transform(train_x)]))
    grams_test = normalize(hstack([words.transform(test_x), chars.transform(test_x)]))

    def evaluate(name, features_train, features_test):
        predicted = LogisticRegression(C=100, max_iter=3000).fit(features_train, train_y).predict(features_test)
        accuracy = np.mean([p == g for p, g in zip(predicted, test_y)])
        line = f"{name:40s} accuracy {accuracy:.4f}"
        if args.dataset == "clinc150":
            inside = [i for i, g in enumerate(test_y) if g != "oos"]
            outside = [i for i, g in enumerate(test_y) if g == "oos"]
            line += f"  in-scope {np.mean([predicted[i] == test_y[i] for i in inside]):.4f}"
            line += f"  oos recall {np.mean([predicted[i] == 'oos' for i in outside]):.4f}"
        print(line, flush=True)

    def with_vectors(name, train_vectors, test_vectors):
        a = csr_matrix(normalize(np.asarray(train_vectors, dtype=np.float32)) * args.weight)
        b = csr_matrix(normalize(np.asarray(test_vectors, dtype=np.float32)) * args.weight)
        evaluate(name, hstack([grams_train, a]).tocsr(), hstack([grams_test, b]).tocsr())

    evaluate("n-grams", grams_train, grams_test)
    from sentence_transformers import SentenceTransformer
    encoder = SentenceTransformer(args.model, device="cpu")
    with_vectors("n-grams + model", encoder.encode(train_x, batch_size=64), encoder.encode(test_x, batch_size=64))
    from model2vec.distill import distill
    for variant in args.variants.split(","):
        pca, sif = variant.split(":")
        pca_dims = None if pca == "none" else ("auto" if pca == "auto" else int(pca))
        static = distill(model_name=args.model, pca_dims=pca_dims, sif_coefficient=None if sif == "none" else float(sif))
        with_vectors(f"n-grams + static {variant}", static.encode(train_x), static.encode(test_x))


if __name__ == "__main__":
    main()
