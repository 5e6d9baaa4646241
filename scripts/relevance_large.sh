#!/usr/bin/env bash
# Relevance of pustaka and of plain BM25 on the judged set over ../shared/corpus-large.
#
#   bash scripts/relevance_large.sh [--show] [--bin BIN] [--index DIR] [--bm25-db FILE] [--queries FILE]
#
# pustaka is scored twice: as it ranks passages (--per-doc 0), and as a page shows them by default
# (at most 3 passages of one document before other documents', which the judged set, judging
# passages, counts as lost recall when one article holds the answers).
#
# Scores with ../shared/eval/score.py (nDCG@10, MRR, recall@10, overall and per kind):
#   1. pustaka:    BIN --index DIR search --json --limit 10 QUERY
#   2. plain BM25: python3 scripts/bm25_run.py --db FILE --limit 10 QUERY (SQLite FTS5 over the same
#                  passages, `BIN passages --json` of the corpus, query words ORed)
# on tests/data/relevance/large.json (the judged set; every judgment, zeros included, is in
# tests/data/relevance/large-judged.jsonl).
#
# --bin      the pustaka binary (default target/release/pustaka; it is not built here)
# --index    the index of corpus-large, built with BIN when missing (default /tmp/pustaka-large-index)
# --bm25-db  the FTS5 database, built when missing (default /tmp/pustaka-large-bm25-<binary hash>.db,
#            so that a binary that cuts passages differently gets its own baseline)
# --show     also list nDCG@10 per query for both systems (score.py --show)
# PUSTAKA_CORPUS_LARGE overrides the corpus directory (default ../shared/corpus-large).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BIN="$ROOT/target/release/pustaka"
INDEX="/tmp/pustaka-large-index"
BM25_DB=""
QUERIES="$ROOT/tests/data/relevance/large.json"
SHOW=()
CORPUS="${PUSTAKA_CORPUS_LARGE:-$ROOT/../shared/corpus-large}"
SCORE="$ROOT/../shared/eval/score.py"

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --show) SHOW=(--show); shift ;;
        --bin) BIN="$2"; shift 2 ;;
        --index) INDEX="$2"; shift 2 ;;
        --bm25-db) BM25_DB="$2"; shift 2 ;;
        --queries) QUERIES="$2"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "relevance_large: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done

FILES=("$CORPUS/id_court_decisions.jsonl" "$CORPUS/en_plos_fulltext.jsonl")
for f in "${FILES[@]}"; do
    [[ -f "$f" ]] || { echo "relevance_large: $f is missing (set PUSTAKA_CORPUS_LARGE)" >&2; exit 2; }
done
[[ -x "$BIN" ]] || { echo "relevance_large: no binary at $BIN (cargo build --release, or --bin)" >&2; exit 2; }
[[ -f "$SCORE" ]] || { echo "relevance_large: no scorer at $SCORE" >&2; exit 2; }
[[ -f "$QUERIES" ]] || { echo "relevance_large: no judged set at $QUERIES" >&2; exit 2; }

# The files an index was built from, read from its manifest without opening the index (`stats` or
# `search` on a missing index would build one from corpus/, the seed corpus, instead).
index_files() {
    python3 - "$1" <<'PY'
import json, os, sys
d = sys.argv[1]
try:
    gen = open(os.path.join(d, "CURRENT"), encoding="utf-8").read().strip()
    payload = json.load(open(os.path.join(d, gen, "meta.json"), encoding="utf-8")).get("payload")
    payload = json.loads(payload) if isinstance(payload, str) else (payload or {})
    files = payload.get("files", {})
    if payload.get("files_table"):  # the table in a file of its own (src/index/manifest.rs)
        files = json.load(open(os.path.join(d, gen, payload["files_table"]), encoding="utf-8"))
except (OSError, ValueError):
    sys.exit(0)
for f in files:
    print(os.path.realpath(f))
PY
}
if [[ ! -f "$INDEX/CURRENT" ]]; then
    echo "relevance_large: building the index of corpus-large at $INDEX" >&2
    "$BIN" --index "$INDEX" index "${FILES[@]}" >&2
fi
HELD="$(index_files "$INDEX")"
for f in "${FILES[@]}"; do
    if ! grep -qxF "$(realpath "$f")" <<<"$HELD"; then
        echo "relevance_large: the index at $INDEX does not hold $f; give another --index" >&2
        exit 2
    fi
done

if [[ -z "$BM25_DB" ]]; then
    HASH="$(sha1sum "$BIN" | cut -c1-12)"
    BM25_DB="/tmp/pustaka-large-bm25-$HASH.db"
fi
if [[ ! -f "$BM25_DB" ]]; then
    echo "relevance_large: building the BM25 baseline at $BM25_DB" >&2
    python3 scripts/bm25_run.py --db "$BM25_DB" --build-from-binary "$BIN" --corpus "${FILES[@]}" \
        --limit 0 >/dev/null
fi

NQ="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$QUERIES")"
echo "relevance on corpus-large: $(date '+%Y-%m-%d %H:%M %Z'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "judged set: ${QUERIES#"$ROOT"/} ($NQ queries); binary: $BIN; index: $INDEX"
echo
echo "## pustaka, ranking (search --json --limit 10 --per-doc 0)"
python3 "$SCORE" --queries "$QUERIES" "${SHOW[@]}" -- "$BIN" --index "$INDEX" search --json --limit 10 --per-doc 0
echo
echo "## pustaka, as a page shows it (search --json --limit 10: at most 3 passages per document)"
python3 "$SCORE" --queries "$QUERIES" "${SHOW[@]}" -- "$BIN" --index "$INDEX" search --json --limit 10
echo
echo "## plain BM25 (SQLite FTS5 over the same passages, words ORed)"
python3 "$SCORE" --queries "$QUERIES" "${SHOW[@]}" -- python3 scripts/bm25_run.py --db "$BM25_DB" --limit 10
