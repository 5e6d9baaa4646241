#!/usr/bin/env bash
# Load test of `pustaka serve` with wrk (Debian package) on loopback: requests per second and
# latency percentiles for /api/search at concurrency 32 for 30 s, over a fixed rotation of 2-3
# word queries (benches/queries-seed.txt on the seed corpus, benches/queries.txt on
# corpus-large: each corpus is asked about what it holds), with zero errors required.
#
#   bash scripts/load.sh            # the seed corpus (corpus/)
#   bash scripts/load.sh large      # ../shared/corpus-large (skipped when absent)
#
# Two runs: with the server's response cache (a repeated query on the same index is answered from
# memory, as the rotation of queries repeats) and with `serve --no-cache` (every request searched).
# Environment: PUSTAKA_LOAD_SECONDS (30), PUSTAKA_LOAD_CONNECTIONS (32), PUSTAKA_LOAD_THREADS (2).
# Writes the figures to target/load-<corpus>.md. Installs nothing: needs wrk (apt-get install wrk).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
WHICH="${1:-seed}"
SECS="${PUSTAKA_LOAD_SECONDS:-30}"
CONNS="${PUSTAKA_LOAD_CONNECTIONS:-32}"
THREADS="${PUSTAKA_LOAD_THREADS:-2}"
command -v wrk >/dev/null || { echo "load: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
case "$WHICH" in
    seed) CORPUS=("$ROOT/corpus"); QUERY_FILE="$ROOT/benches/queries-seed.txt" ;;
    large)
        L="$ROOT/../shared/corpus-large"
        if [[ ! -d "$L" ]]; then echo "load: skipped, $L not found" >&2; exit 0; fi
        CORPUS=("$L/id_court_decisions.jsonl" "$L/en_plos_fulltext.jsonl")
        QUERY_FILE="$ROOT/benches/queries.txt" ;;
    *) echo "usage: $0 [seed|large]" >&2; exit 2 ;;
esac
cargo build --release -q
TMP="$(mktemp -d "${TMPDIR:-/tmp}/pustaka-load.XXXXXX")"
PID=""
cleanup() { [[ -n "$PID" ]] && kill "$PID" 2>/dev/null || true; rm -rf "$TMP"; }
trap cleanup EXIT
target/release/pustaka --index "$TMP/index" index "${CORPUS[@]}" >/dev/null
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$TMP/queries.lua" <<'LUA'
-- A fixed rotation of 2-3 word queries, Indonesian and English, from $QUERIES.
local queries = {}
for line in io.lines(os.getenv("QUERIES")) do
  if line ~= "" and line:sub(1, 1) ~= "#" then
    queries[#queries + 1] = line:gsub("[^%w%-]+", "+")
  end
end
local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", "/api/search?limit=10&q=" .. queries[i])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
LUA
mkdir -p target
{
    echo "| corpus | server | connections | seconds | req/s | p50 ms | p99 ms | requests | errors | non-2xx |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} > "target/load-$WHICH.md"
FAILED=0
for MODE in cache no-cache; do
    FLAG=""
    [[ "$MODE" == no-cache ]] && FLAG="--no-cache"
    target/release/pustaka --index "$TMP/index" serve --addr "127.0.0.1:$PORT" $FLAG 2>/dev/null &
    PID=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
    QUERIES="$QUERY_FILE" wrk -t"$THREADS" -c"$CONNS" -d"${SECS}s" --latency -s "$TMP/queries.lua" \
        "http://127.0.0.1:$PORT" > "$TMP/wrk-$MODE.txt"
    kill "$PID"; wait "$PID" 2>/dev/null || true
    PID=""
    LINE=$(grep '^RESULT' "$TMP/wrk-$MODE.txt")
    echo "$LINE" | sed -E "s/RESULT rps=([0-9.]+) p50_ms=([0-9.]+) p99_ms=([0-9.]+) requests=([0-9]+) errors=([0-9]+) non2xx=([0-9]+)/| $WHICH | $MODE | $CONNS | $SECS | \1 | \2 | \3 | \4 | \5 | \6 |/" >> "target/load-$WHICH.md"
    ERR=$(echo "$LINE" | sed -E 's/.*errors=([0-9]+) non2xx=([0-9]+)/\1 \2/')
    [[ "$ERR" == "0 0" ]] || { echo "load: $MODE: errors ($ERR)" >&2; FAILED=1; }
done
cat "target/load-$WHICH.md"
exit $FAILED
