#!/usr/bin/env python3
"""Whether two pustaka binaries answer the same searches the same, byte for byte.

    python3 scripts/same_answers.py BIN_A BIN_B --index DIR [--drawn 300] [--seed 7]

For a change meant to alter how a search does its work and not what it answers (issue 18's
speed work): each query of benches/queries.txt, and `--drawn` queries of one to three
consecutive words drawn (with `--seed`) from the texts of ../shared/corpus-large, is searched by
both binaries (`search Q --index DIR --json --limit 10`, as is, with `--per-doc 0` and with
`--docs`), and the two JSON answers are compared with `took_ms` left out. Prints each query
whose answers differ and a count; exits 1 when any does. Both binaries must read the index in
DIR (built by either, when their schemas agree). Without the corpus only the bench queries run.
"""

import argparse
import json
import random
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus-large"
VARIANTS = [[], ["--per-doc", "0"], ["--docs"]]


def bench_queries() -> list[str]:
    lines = (ROOT / "benches" / "queries.txt").read_text().splitlines()
    return [q.strip() for q in lines if q.strip() and not q.startswith("#")]


def drawn_queries(n: int, seed: int) -> list[str]:
    """`n` runs of 1–3 consecutive words (4 letters or more) of every seventh document."""
    texts = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        with path.open() as f:
            for i, line in enumerate(f):
                if i % 7 == 0:
                    words = re.findall(r"[A-Za-z]{4,}", json.loads(line).get("text", "")[:20000])
                    if len(words) >= 10:
                        texts.append([w.lower() for w in words])
    rng = random.Random(seed)
    out = []
    while texts and len(out) < n:
        words = rng.choice(texts)
        start = rng.randrange(len(words) - 3)
        out.append(" ".join(words[start : start + rng.choice([1, 2, 2, 3, 3])]))
    return out


def answer(binary: str, index: str, query: str, extra: list[str]) -> str:
    argv = [binary, "search", *query.split(), "--index", index, "--json", "--limit", "10", *extra]
    run = subprocess.run(argv, capture_output=True, text=True)
    if run.returncode not in (0, 1):
        return f"error {run.returncode}: {run.stderr.strip()}"
    got = json.loads(run.stdout)
    got.pop("took_ms", None)
    return json.dumps(got, sort_keys=True)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--index", required=True)
    p.add_argument("--drawn", type=int, default=300)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args()
    queries = bench_queries()
    if CORPUS.is_dir():
        queries += drawn_queries(args.drawn, args.seed)
    else:
        print(f"note: no {CORPUS}: the bench queries only", file=sys.stderr)
    differ = 0
    for q in queries:
        for extra in VARIANTS:
            if answer(args.a, args.index, q, extra) != answer(args.b, args.index, q, extra):
                differ += 1
                print(f"differs: {q!r} {' '.join(extra)}")
    print(f"{len(queries)} queries × {len(VARIANTS)} variants, {differ} answers differ")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
