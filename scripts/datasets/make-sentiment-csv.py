#!/usr/bin/env python3
"""Writes labelled sentiment CSVs (`text,label,vader`) from the data shipped in PyPI `vaderSentiment` 3.3.2.

The sdist of vaderSentiment (MIT, (c) C.J. Hutto) carries `additional_resources/hutto_ICWSM_2014.tar.gz`, the
human-rated ground truth of Hutto & Gilbert (ICWSM 2014): 4,200 tweets, 3,708 Amazon review snippets, 10,605
movie-review snippets and 5,190 NYT editorial snippets, each with the mean of 10 raters on [-4, 4]. A row is
`positive` when the mean is >= 0.5, `negative` when <= -0.5, else `neutral`.

The `vader` column is VADER's own compound score for the row, computed here with the same package, so
`parley eval sentiment` prints VADER's figures beside ours from one CSV. The tweets are also split by row
parity into `sentiment-tweets-dev.csv` (odd rows: choose the neutral band here) and `sentiment-tweets-test.csv`
(even rows: report here). Output goes to a temp dir (or the
directory given) and is never committed:

    python3 scripts/datasets/make-sentiment-csv.py [OUTPUT_DIR]   # prints the CSV paths
"""

import csv
import glob
import os
import subprocess
import sys
import tarfile
import tempfile

VERSION = "3.3.2"
SETS = {
    "tweets": "tweets_GroundTruth.txt",
    "amazon": "amazonReviewSnippets_GroundTruth.txt",
    "movies": "movieReviewSnippets_GroundTruth.txt",
    "nyt": "nytEditorialSnippets_GroundTruth.txt",
}


def label(mean: float) -> str:
    if mean >= 0.5:
        return "positive"
    if mean <= -0.5:
        return "negative"
    return "neutral"


def main() -> int:
    output_dir = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="parley-sentiment-")
    with tempfile.TemporaryDirectory() as temp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
             f"vaderSentiment=={VERSION}", "-d", temp],
            check=True, stdout=subprocess.DEVNULL,
        )
        with tarfile.open(glob.glob(os.path.join(temp, "vaderSentiment-*.tar.gz"))[0]) as tar:
            tar.extractall(temp, filter="data")
        root = os.path.join(temp, f"vaderSentiment-{VERSION}")
        with tarfile.open(os.path.join(root, "additional_resources", "hutto_ICWSM_2014.tar.gz")) as tar:
            tar.extractall(temp, filter="data")
        sys.path.insert(0, root)
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # noqa: E402

        vader = SentimentIntensityAnalyzer()
        for name, filename in SETS.items():
            source = os.path.join(temp, "hutto_ICWSM_2014", filename)
            path = os.path.join(output_dir, f"sentiment-{name}.csv")
            with open(source, encoding="utf-8", errors="replace") as handle, \
                    open(path, "w", newline="", encoding="utf-8") as output:
                writer = csv.writer(output)
                writer.writerow(["text", "label", "vader"])
                for line in handle:
                    fields = line.rstrip("\r\n").split("\t")
                    if len(fields) < 3:
                        continue
                    text = fields[2].strip()
                    writer.writerow([text, label(float(fields[1])), vader.polarity_scores(text)["compound"]])
            print(path)
        with open(os.path.join(output_dir, "sentiment-tweets.csv"), newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        for name, part in (("dev", rows[1::2]), ("test", rows[2::2])):
            path = os.path.join(output_dir, f"sentiment-tweets-{name}.csv")
            with open(path, "w", newline="", encoding="utf-8") as output:
                writer = csv.writer(output)
                writer.writerow(rows[0])
                writer.writerows(part)
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
