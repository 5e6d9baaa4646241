#!/usr/bin/env python3
"""Plain BM25 search over the passages pustaka cuts: the baseline run for the relevance sets.

    python3 scripts/bm25_run.py --db PATH [--limit N] QUERY...

prints `{"query", "total", "hits": [{"id", "doc", "title", "text", "score"}, ...]}`, best first (top 10
by default), the JSON that ../shared/eval/score.py reads, so that the scorer runs it like pustaka:

    python3 ../shared/eval/score.py --queries tests/data/relevance/large.json -- \\
        python3 scripts/bm25_run.py --db /tmp/large-bm25.db

The engine is SQLite FTS5 (`unicode61 remove_diacritics 2`: lower-casing, diacritics removed, no
stemming, no stop words) with its BM25 ranking (k1 1.2, b 0.75), over the text of every passage.
The query's words are ORed (`"a" OR "b" OR ...`), as plain BM25 engines treat a multi-word query; every
word is quoted, so nothing in it is read as FTS5 syntax. It is the same engine, on the same
passages, as the SQLite FTS5 peer of scripts/bench.sh (scripts/peers.py), which measures speed;
this one answers queries.

The database is built on first use (when PATH does not exist) from the passages of
`pustaka passages --json`, which cuts the files exactly as `pustaka index` does:

    --passages FILE                        a JSON Lines file written by `pustaka passages --json ...`
    --build-from-binary BIN --corpus P...  run `BIN passages --json P...`
    --build-from-binary BIN --index DIR    the same, on the files the index DIR was built from
                                           (read from its manifest)

Standard library only (Python 3.9+ with an SQLite that has FTS5).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Iterator


def fts_match(query: str) -> str:
    """`a b c` -> `"a" OR "b" OR "c"`: every term quoted, so no word is read as FTS5 syntax."""
    terms = ['"' + t.replace('"', '""') + '"' for t in query.split()]
    return " OR ".join(terms)


def index_files(index_dir: Path) -> list[str]:
    """The files an index was built from, read from its manifest (CURRENT -> gen-*/meta.json)."""
    gen = (index_dir / "CURRENT").read_text(encoding="utf-8").strip()
    meta = json.loads((index_dir / gen / "meta.json").read_text(encoding="utf-8"))
    payload = meta.get("payload")
    if isinstance(payload, str):
        payload = json.loads(payload)
    payload = payload or {}
    files = payload.get("files", {})
    if payload.get("files_table"):  # the table in a file of its own (src/index/manifest.rs)
        files = json.loads((index_dir / gen / payload["files_table"]).read_text(encoding="utf-8"))
    files = sorted(files)
    if not files:
        raise SystemExit(f"error: no file list in the manifest of {index_dir}; give --corpus")
    return files


def passages_lines(args) -> Iterator[bytes]:
    if args.passages:
        with open(args.passages, "rb") as f:
            yield from f
        return
    if not args.build_from_binary:
        raise SystemExit(
            f"error: {args.db} does not exist; to build it give --passages FILE, "
            "or --build-from-binary BIN with --corpus PATHS or --index DIR"
        )
    paths = args.corpus or index_files(Path(args.index))
    proc = subprocess.Popen(
        [args.build_from_binary, "passages", "--json", *paths],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    yield from proc.stdout
    if proc.wait() != 0:
        raise SystemExit(f"error: {args.build_from_binary} passages exited {proc.returncode}")


def build(args) -> None:
    db = Path(args.db)
    db.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target and rename at the end: an interrupted build leaves no half database.
    fd, tmp = tempfile.mkstemp(prefix=db.name + ".", suffix=".tmp", dir=db.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        con = sqlite3.connect(tmp, isolation_level=None)
        con.execute(
            "CREATE VIRTUAL TABLE fts USING fts5("
            "text, id UNINDEXED, doc UNINDEXED, title UNINDEXED, "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        con.execute("BEGIN")
        n = 0
        for raw in passages_lines(args):
            if not raw.strip():
                continue
            p = json.loads(raw)
            con.execute(
                "INSERT INTO fts(text, id, doc, title) VALUES (?, ?, ?, ?)",
                (p["text"], p["id"], p.get("doc"), p.get("title")),
            )
            n += 1
        con.execute("COMMIT")
        con.execute("INSERT INTO fts(fts) VALUES ('optimize')")
        con.close()
        if n == 0:
            raise SystemExit("error: no passages to index")
        os.replace(tmp, db)
        print(f"bm25_run: built {db} from {n} passages", file=sys.stderr)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("query", nargs="*", help="the query (its words are ORed)")
    ap.add_argument("--db", required=True, help="the FTS5 database (built when missing)")
    ap.add_argument("--limit", type=int, default=10, help="hits to print (default 10)")
    ap.add_argument("--passages", help="build from this `pustaka passages --json` output")
    ap.add_argument("--build-from-binary", metavar="BIN", help="build by running BIN passages --json")
    ap.add_argument("--corpus", nargs="+", metavar="PATH", help="files for --build-from-binary")
    ap.add_argument("--index", metavar="DIR", help="for --build-from-binary: cut the files of this index")
    # A query word may start with "-" (score.py passes the query as one last argument).
    args, extra = ap.parse_known_args()
    args.query = list(args.query) + extra

    if not os.path.exists(args.db):
        build(args)
    query = " ".join(args.query)
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    hits, total = [], 0
    if query.split():
        m = fts_match(query)
        total = con.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", (m,)).fetchone()[0]
        rows = con.execute(
            "SELECT id, doc, title, text, bm25(fts) FROM fts WHERE fts MATCH ? "
            "ORDER BY rank LIMIT ?",
            (m, max(0, args.limit)),
        ).fetchall()
        hits = [
            {"id": i, "doc": d, "title": t, "text": x, "score": round(-s, 4)}
            for i, d, t, x, s in rows
        ]
    try:
        json.dump({"query": query, "total": total, "hits": hits}, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:  # a closed pipe (| head) ends quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
