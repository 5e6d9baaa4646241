#!/usr/bin/env python3
"""Deterministic selection of documents for the structure answer key (issue 13).

Samples 20 court decisions and 10 PLOS articles from ../shared/corpus-large with
random.Random(13), after dropping records whose text is shorter than 2,000
characters. Ids are sorted before sampling so the result does not depend on file
order. Prints the chosen ids, one per line, as "<source>\t<id>".

Usage: python3 scripts/structure_sample.py [CORPUS_LARGE_DIR]
"""
import json
import random
import sys
from pathlib import Path

SEED = 13
MIN_CHARS = 2000
FILES = [
    ("court", "id_court_decisions.jsonl", 20),
    ("plos", "en_plos_fulltext.jsonl", 10),
]


def eligible_ids(path):
    ids = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            rec = json.loads(line)
            if len(rec["text"]) >= MIN_CHARS:
                ids.append(rec["id"])
    return sorted(ids)


def main():
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else (
        Path(__file__).resolve().parent.parent.parent / "shared" / "corpus-large")
    rng = random.Random(SEED)
    for source, name, k in FILES:
        ids = eligible_ids(root / name)
        for doc_id in sorted(rng.sample(ids, k)):
            print(f"{source}\t{doc_id}")


if __name__ == "__main__":
    main()
