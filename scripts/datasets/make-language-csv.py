#!/usr/bin/env python3
"""Writes a `text,lang` CSV from chatterbot-corpus (PyPI `chatterbot-corpus`, BSD-3-Clause) into a temp dir.

Every string of every conversation file of the languages Parley detects is written once (deduplicated). The CSV
is for `parley eval language --data FILE`; it is never committed. The language profiles are built from a different
corpus (langdetect's Wikipedia profiles), so no evaluation string was seen in training.

    python3 scripts/datasets/make-language-csv.py [OUTPUT_DIR]   # prints the CSV path
"""

import csv
import glob
import os
import subprocess
import sys
import tempfile
import zipfile

import yaml  # PyYAML

VERSION = "1.3.3"
FOLDERS = {
    "english": "en", "spanish": "es", "german": "de", "french": "fr", "portuguese": "pt", "italian": "it",
    "dutch": "nl", "turkish": "tr", "indonesian": "id", "swedish": "sv", "russian": "ru", "ukrainian": "uk",
    "persian": "fa", "chinese": "zh", "traditionalchinese": "zh", "japanese": "ja", "korean": "ko",
    "hebrew": "he", "hindi": "hi", "thai": "th",
}


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def main() -> int:
    output_dir = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="parley-language-")
    with tempfile.TemporaryDirectory() as temp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", f"chatterbot-corpus=={VERSION}", "-d", temp],
            check=True, stdout=subprocess.DEVNULL,
        )
        wheel = glob.glob(os.path.join(temp, "chatterbot_corpus-*.whl"))[0]
        zipfile.ZipFile(wheel).extractall(temp)
        rows, seen = [], set()
        for folder, code in sorted(FOLDERS.items()):
            for path in sorted(glob.glob(os.path.join(temp, "chatterbot_corpus", "data", folder, "*.yml"))):
                with open(path, encoding="utf-8") as handle:
                    document = yaml.safe_load(handle) or {}
                for text in strings(document.get("conversations", [])):
                    text = " ".join(str(text).split())
                    if text and (text, code) not in seen:
                        seen.add((text, code))
                        rows.append((text, code))
    path = os.path.join(output_dir, "language.csv")
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "lang"])
        writer.writerows(rows)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
