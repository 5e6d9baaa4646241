#!/usr/bin/env python3
"""SQLite FTS5 baseline for the pustaka benchmarks (Python 3.11, standard library only).

Reads passages as JSON Lines (the output of `pustaka passages --json ...`), indexes their text in
an SQLite FTS5 table (`unicode61 remove_diacritics 2`, BM25 ranking) in a temporary database file,
and prints one JSON object with:

- `parse_s`: time to read and parse the JSON Lines;
- `build_s`: time to insert every passage and commit (what `pustaka index` does, minus ingest);
- `optimize_s`: time of FTS5's `optimize` (merges the b-tree segments into one), run after the
  build unless `--no-optimize`: queries then run on FTS5's best layout, a conservative baseline;
- `db_bytes`: size of the database file on disk;
- `query`: latency of every query of the query file, `--rounds` times after one warm-up round,
  `SELECT id FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 10`, with the terms ORed
  (`"a" OR "b"`), as BM25 engines treat a plain multi-word query: p50, p99, mean, min, max (ms);
- `peak_rss_bytes`: peak resident memory of this process (it holds the parsed passages too).

Usage: python3 scripts/fts5_baseline.py PASSAGES.jsonl [--queries benches/queries.txt]
       [--rounds 20] [--limit 10] [--db PATH] [--no-optimize]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_QUERIES = HERE.parent / "benches" / "queries.txt"


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values (p in 0..100)."""
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * p // 100))  # ceil(n * p / 100), at least 1
    return sorted_values[int(rank) - 1]


def summarize(samples_ms: list[float]) -> dict:
    s = sorted(samples_ms)
    return {
        "n": len(s),
        "p50_ms": round(percentile(s, 50), 4),
        "p99_ms": round(percentile(s, 99), 4),
        "mean_ms": round(statistics.fmean(s), 4) if s else float("nan"),
        "min_ms": round(s[0], 4) if s else float("nan"),
        "max_ms": round(s[-1], 4) if s else float("nan"),
    }


def read_queries(path: Path) -> list[str]:
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            queries.append(line)
    return queries


def fts_match(query: str) -> str:
    """`a b c` -> `"a" OR "b" OR "c"`: every term quoted, so no word is read as FTS5 syntax."""
    terms = ['"' + t.replace('"', '""') + '"' for t in query.split()]
    return " OR ".join(terms)


def rss_bytes() -> int:
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("passages", type=Path, help="passages JSON Lines (pustaka passages --json)")
    ap.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--limit", type=int, default=10)
    ap.add_argument("--db", type=Path, help="database file to create (default: a temporary file, removed)")
    ap.add_argument("--no-optimize", action="store_true", help="skip FTS5 'optimize' before querying")
    args = ap.parse_args()

    if not sqlite3.connect(":memory:").execute(
        "SELECT sqlite_compileoption_used('ENABLE_FTS5')"
    ).fetchone()[0]:
        # Some builds enable FTS5 without the compile option being listed: try it.
        try:
            sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        except sqlite3.OperationalError:
            print("error: this Python's SQLite has no FTS5", file=sys.stderr)
            return 2

    queries = read_queries(args.queries)
    if not queries:
        print(f"error: no queries in {args.queries}", file=sys.stderr)
        return 2

    # 1. Parse.
    t0 = time.perf_counter()
    rows: list[tuple[str, str]] = []
    source_bytes = 0
    with args.passages.open("rb") as f:
        for raw in f:
            source_bytes += len(raw)
            if not raw.strip():
                continue
            p = json.loads(raw)
            rows.append((p["text"], p["id"]))
    parse_s = time.perf_counter() - t0
    text_bytes = sum(len(t.encode("utf-8")) for t, _ in rows)

    tmpdir = None
    if args.db is None:
        tmpdir = tempfile.TemporaryDirectory(prefix="pustaka-fts5-")
        db_path = Path(tmpdir.name) / "fts5.db"
    else:
        db_path = args.db
        if db_path.exists():
            db_path.unlink()

    try:
        con = sqlite3.connect(db_path, isolation_level=None)
        con.execute(
            "CREATE VIRTUAL TABLE fts USING fts5("
            "text, id UNINDEXED, tokenize='unicode61 remove_diacritics 2')"
        )

        # 2. Build: insert everything in one transaction, then commit.
        t0 = time.perf_counter()
        con.execute("BEGIN")
        con.executemany("INSERT INTO fts(text, id) VALUES (?, ?)", rows)
        con.execute("COMMIT")
        build_s = time.perf_counter() - t0

        optimize_s = None
        if not args.no_optimize:
            t0 = time.perf_counter()
            con.execute("INSERT INTO fts(fts) VALUES ('optimize')")
            optimize_s = time.perf_counter() - t0
        db_bytes_before_vacuum = db_path.stat().st_size
        passages = len(rows)
        del rows

        # 3. Queries: one warm-up round, then `rounds` timed rounds.
        sql = f"SELECT id FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT {int(args.limit)}"
        matches = [fts_match(q) for q in queries]
        hits = {}
        for q, m in zip(queries, matches):
            hits[q] = len(con.execute(sql, (m,)).fetchall())
        samples: list[float] = []
        per_query: dict[str, list[float]] = {q: [] for q in queries}
        for _ in range(args.rounds):
            for q, m in zip(queries, matches):
                t0 = time.perf_counter()
                con.execute(sql, (m,)).fetchall()
                ms = (time.perf_counter() - t0) * 1000.0
                samples.append(ms)
                per_query[q].append(ms)
        con.close()

        slowest = sorted(
            ((statistics.median(v), q) for q, v in per_query.items()), reverse=True
        )[:5]
        result = {
            "engine": "sqlite-fts5",
            "sqlite_version": sqlite3.sqlite_version,
            "tokenizer": "unicode61 remove_diacritics 2",
            "passages_file": str(args.passages),
            "passages_file_bytes": source_bytes,
            "passages": passages,
            "text_bytes": text_bytes,
            "parse_s": round(parse_s, 3),
            "build_s": round(build_s, 3),
            "optimize_s": None if optimize_s is None else round(optimize_s, 3),
            "build_mb_per_s": round(text_bytes / 1e6 / build_s, 2) if build_s > 0 else None,
            "db_bytes": db_bytes_before_vacuum,
            "queries": len(queries),
            "rounds": args.rounds,
            "limit": args.limit,
            "queries_without_hits": [q for q, n in hits.items() if n == 0],
            "query": summarize(samples),
            "slowest_queries_p50_ms": [
                {"query": q, "p50_ms": round(ms, 4)} for ms, q in slowest
            ],
            "peak_rss_bytes": rss_bytes(),
        }
    finally:
        if tmpdir is not None:
            tmpdir.cleanup()

    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
