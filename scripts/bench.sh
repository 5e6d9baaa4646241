#!/usr/bin/env bash
# pustaka against two peers, SQLite FTS5 and tantivy-py (default analyzer), on ../shared/corpus-large:
# build cost, index size, build memory, query latency in-process, per process and over HTTP.
#
#   bash scripts/bench.sh
#
# Steps:
#   1. cargo build --release (the binary is target/release/pustaka) and `cargo bench --bench latency
#      --no-run`; both executables are copied into the temporary directory and the copies measured,
#      so that a cargo build elsewhere during the run (src/ being edited) changes nothing measured.
#   2. The passages the peers index: `pustaka passages --json FILES > $TMP/passages.jsonl`, once,
#      outside the timed builds (its CPU, wall and peak RSS are reported on a line of their own):
#      the peers index the units pustaka indexes, one row per passage.
#   3. Builds, interleaved: for each round, `pustaka index FILES --index DIR` (from the source
#      JSONL, its whole pipeline), then `python3 scripts/peers.py build fts5 --out DB
#      $TMP/passages.jsonl`, then `... build tantivy ...` (A B C A B C ...), each its own process
#      under /usr/bin/time -v (scripts/lib/measure.sh): CPU s (user+sys), wall s, peak RSS; then
#      the size of what it wrote (du -sb). A peer's figures are its whole Python process.
#   4. On the last round's indexes: in-process query latency of pustaka (`cargo bench --bench
#      latency`: a user's search with the CLI's defaults, also with per_doc 0 and untranslated,
#      and plain tantivy BM25; thread CPU and wall) and of the peers (`peers.py query`: thread CPU
#      and wall); whole-process latency of `pustaka search` and the sqlite3 shell (`peers.py
#      process`); server CPU per request of `pustaka serve --no-cache`, with the API's defaults
#      and with per_doc=0 (`peers.py http`).
#   5. `peers.py report` writes docs/bench/results.md (date, commit, machine, tables, notes) and
#      the raw figures to target/bench-report.json, and prints the markdown.
# What each side does, and how each figure is taken: scripts/peers.py and the notes of results.md.
#
# Environment:
#   PUSTAKA_CORPUS_LARGE          the corpus directory (default ../shared/corpus-large); when it or
#                                 one of its two files is missing, the script says so and exits 0
#   PUSTAKA_BENCH_ROUNDS          build rounds (3)
#   PUSTAKA_BENCH_QUERY_ROUNDS    in-process query rounds after the warm-up, pustaka and peers (20)
#   PUSTAKA_BENCH_PROCESS_ROUNDS  whole-process rounds over the queries (5)
#   PUSTAKA_BENCH_HTTP_ROUNDS     HTTP rounds over the queries (50: 2,000 requests of each variant;
#                                 the kernel counts CPU in 10 ms ticks, and at 400 requests the
#                                 figure moved by a tenth from run to run)
#   PUSTAKA_BENCH_KEEP=1          keep the temporary directory (indexes, raw figures)
#
# Installs nothing. Needs python3 (3.9+), /usr/bin/time for CPU and peak RSS (measure.sh falls
# back to python's getrusage), and for the peers: an SQLite with FTS5 in python3 (the sqlite3
# shell, /usr/bin/sqlite3, for the whole-process row), and the official tantivy bindings,
# `python3 -m pip install tantivy==0.27.0`; a peer that cannot run is skipped with the reason.
# About 3 minutes on 2 cores once the release build and the bench are up to date (5.5 minutes on
# 2026-12-04 with the bench rebuilt: 2.5 minutes of cargo, then the measuring).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CORPUS="${PUSTAKA_CORPUS_LARGE:-$ROOT/../shared/corpus-large}"
ROUNDS="${PUSTAKA_BENCH_ROUNDS:-3}"
QUERY_ROUNDS="${PUSTAKA_BENCH_QUERY_ROUNDS:-20}"
PROCESS_ROUNDS="${PUSTAKA_BENCH_PROCESS_ROUNDS:-5}"
HTTP_ROUNDS="${PUSTAKA_BENCH_HTTP_ROUNDS:-50}"
FILES=("$CORPUS/id_court_decisions.jsonl" "$CORPUS/en_plos_fulltext.jsonl")
PEERS=(python3 "$ROOT/scripts/peers.py")
REPORT_MD="$ROOT/docs/bench/results.md"
REPORT_JSON="$ROOT/target/bench-report.json"

log() { printf '\n== %s\n' "$*" >&2; }

if [[ ! -d "$CORPUS" ]]; then
    echo "bench: no large corpus at $CORPUS; nothing to measure." >&2
    echo "       Set PUSTAKA_CORPUS_LARGE to a directory holding id_court_decisions.jsonl and en_plos_fulltext.jsonl." >&2
    exit 0
fi
for f in "${FILES[@]}"; do
    if [[ ! -f "$f" ]]; then
        echo "bench: $f is missing; nothing to measure." >&2
        exit 0
    fi
done
command -v python3 >/dev/null || { echo "bench: python3 is required" >&2; exit 1; }

source "$ROOT/scripts/lib/measure.sh"
bench_tmpdir pustaka-bench
echo "$ROUNDS" > "$TMP/rounds"
"${PEERS[@]}" machine > "$TMP/machine-before.json"

log "cargo build --release (and the latency bench)"
cargo build --release
cargo bench --bench latency --no-run --message-format=json-render-diagnostics > "$TMP/bench-build.json"
LATENCY_EXE="$(python3 -c 'import json, sys
exe = [m.get("executable") for m in map(json.loads, open(sys.argv[1]))
       if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "latency" and m.get("executable")]
print(exe[-1] if exe else "")' "$TMP/bench-build.json")"
[[ -n "$LATENCY_EXE" ]] || { echo "bench: cargo bench --no-run built no latency executable" >&2; exit 1; }
# Measure copies: a cargo build elsewhere during the run (src/ being edited) would otherwise swap
# the binary between rounds, or rebuild the bench with another index schema than the binary's.
mkdir -p "$TMP/bin"
cp "$ROOT/target/release/pustaka" "$TMP/bin/pustaka"
cp "$LATENCY_EXE" "$TMP/bin/latency"
BIN="$TMP/bin/pustaka"

# Which peers can run here; a missing one is skipped and named in the report.
ENGINES=(pustaka)
echo '{}' > "$TMP/skipped.json"
for peer in fts5 tantivy; do
    if why="$("${PEERS[@]}" has "$peer")"; then
        ENGINES+=("$peer")
    else
        echo "bench: skipping the $peer peer: $why" >&2
        python3 -c 'import json,sys; p=sys.argv[1]; d=json.load(open(p)); d[sys.argv[2]]=sys.argv[3]; json.dump(d,open(p,"w"))' \
            "$TMP/skipped.json" "$peer" "$why"
    fi
done

cat "${FILES[@]}" | wc -c > "$TMP/source-bytes"
cat "${FILES[@]}" | grep -c . > "$TMP/source-docs"   # also pages the files in before round 1

PASSAGES="$TMP/passages.jsonl"
if ((${#ENGINES[@]} > 1)); then
    log "export: pustaka passages --json (what the peers index; not in the build figures)"
    measure "$TMP/export.json" "$BIN" passages --json "${FILES[@]}" > "$PASSAGES" 2> "$TMP/export.err" || {
        cat "$TMP/export.err" >&2
        echo "bench: pustaka passages --json failed" >&2
        exit 1
    }
    wc -c < "$PASSAGES" > "$TMP/passages-bytes"
    echo "$(cat "$TMP/export.json") passages=$(wc -l < "$PASSAGES") bytes=$(cat "$TMP/passages-bytes")" >&2
fi

out_of() {  # the index each engine writes
    case "$1" in
        pustaka) echo "$TMP/pustaka-index" ;;
        fts5) echo "$TMP/fts5.db" ;;
        tantivy) echo "$TMP/tantivy-index" ;;
    esac
}

for round in $(seq 1 "$ROUNDS"); do
    for engine in "${ENGINES[@]}"; do
        log "build round $round/$ROUNDS: $engine"
        out="$(out_of "$engine")"
        rm -rf "$out"
        if [[ "$engine" == pustaka ]]; then
            measure "$TMP/build-$engine-$round.json" "$BIN" index "${FILES[@]}" --index "$out" >/dev/null
        else
            measure "$TMP/build-$engine-$round.json" "${PEERS[@]}" build "$engine" --out "$out" "$PASSAGES" \
                > "$TMP/build-$engine-$round.out.json"
        fi
        du -sb "$out" | cut -f1 > "$TMP/size-$engine-$round"
        echo "$(cat "$TMP/build-$engine-$round.json") bytes=$(cat "$TMP/size-$engine-$round")" >&2
    done
done
"$BIN" stats --json --index "$(out_of pustaka)" > "$TMP/pustaka-stats.json"

has() { [[ " ${ENGINES[*]} " == *" $1 "* ]]; }
PEER_ARGS=()
has fts5 && PEER_ARGS+=(--fts5 "$(out_of fts5)")
has tantivy && PEER_ARGS+=(--tantivy "$(out_of tantivy)")

log "in-process query latency: pustaka (cargo bench --bench latency, $QUERY_ROUNDS rounds)"
# What `cargo bench --bench latency` runs, without rebuilding it from a src/ changed meanwhile.
PUSTAKA_BENCH_INDEX="$(out_of pustaka)" PUSTAKA_BENCH_ROUNDS="$QUERY_ROUNDS" \
    "$TMP/bin/latency" --bench | tee "$TMP/latency.out" >&2
grep '^{.*"bench":"latency"' "$TMP/latency.out" | tail -n 1 > "$TMP/latency.json" || true
[[ -s "$TMP/latency.json" ]] || echo "bench: benches/latency.rs printed no JSON figures" >&2

if ((${#PEER_ARGS[@]})); then
    log "in-process query latency: peers ($QUERY_ROUNDS rounds)"
    "${PEERS[@]}" query "${PEER_ARGS[@]}" --rounds "$QUERY_ROUNDS" > "$TMP/query.json"
    cat "$TMP/query.json" >&2
fi

log "whole-process latency: pustaka search, sqlite3 shell ($PROCESS_ROUNDS rounds)"
PROCESS_ARGS=()
has fts5 && PROCESS_ARGS+=(--fts5 "$(out_of fts5)")
"${PEERS[@]}" process --bin "$BIN" --index "$(out_of pustaka)" "${PROCESS_ARGS[@]}" \
    --rounds "$PROCESS_ROUNDS" > "$TMP/process.json"
cat "$TMP/process.json" >&2

log "HTTP: pustaka serve --no-cache, the API's defaults and per_doc=0 ($HTTP_ROUNDS rounds)"
"${PEERS[@]}" http --bin "$BIN" --index "$(out_of pustaka)" --rounds "$HTTP_ROUNDS" > "$TMP/http.json"
cat "$TMP/http.json" >&2

log "report"
"${PEERS[@]}" machine > "$TMP/machine-after.json"
"${PEERS[@]}" report --dir "$TMP" --md "$REPORT_MD" --json "$REPORT_JSON"
echo "bench: wrote $REPORT_MD and $REPORT_JSON" >&2
