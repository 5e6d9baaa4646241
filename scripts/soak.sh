#!/usr/bin/env bash
# Soak test of `pustaka serve` on loopback: searches at concurrency 32 while, at the same time,
# the corpus is re-indexed (incremental after touching a file, and --rebuild) and dupes/check
# requests come in. Fails (exit 1) when any search is not answered 200, or when the server's
# memory does not come back to within 20% of its idle figure once the load stops.
#
#   bash scripts/soak.sh            # the seed corpus (corpus/)
#   bash scripts/soak.sh --large    # also ../shared/corpus-large (skipped when absent)
#
# Bounded: after the build, every step has a time limit and the whole stops by itself within
# five minutes (PUSTAKA_SOAK_SECONDS of load, default 60, at most 120). Needs python3 and curl;
# installs nothing. Prints total requests, non-200 searches, p50/p99, the server's peak RSS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/lib/measure.sh"
LARGE=0
[[ "${1:-}" == "--large" ]] && LARGE=1
SECS="${PUSTAKA_SOAK_SECONDS:-60}"
(( SECS > 120 )) && SECS=120
CONNS=32

[[ "${PUSTAKA_SOAK_BUILD:-1}" == 1 ]] && cargo build --release -q  # PUSTAKA_SOAK_BUILD=0: as built
BIN="$ROOT/target/release/pustaka"
bench_tmpdir pustaka-soak
START=$SECONDS
PID=""
stop_all() {
    [[ -n "$PID" ]] && kill "$PID" 2>/dev/null || true
    # The background loops and what they started (by parent id: only this script's own).
    for j in $(jobs -p); do pkill -P "$j" 2>/dev/null || true; kill "$j" 2>/dev/null || true; done
    bench_tmpdir_cleanup
}
trap stop_all EXIT
trap "exit 130" INT TERM

# A copy of the corpus, so that touching a file for the incremental index changes nothing real.
mkdir -p "$TMP/corpus"
cp corpus/* "$TMP/corpus/"
PATHS=("$TMP/corpus")
if (( LARGE )); then
    L="$ROOT/../shared/corpus-large"
    if [[ -d "$L" ]]; then
        PATHS+=("$L/id_court_decisions.jsonl" "$L/en_plos_fulltext.jsonl")
    else
        echo "soak: $L not found, the seed corpus only" >&2
    fi
fi
timeout 90 "$BIN" --index "$TMP/index" index "${PATHS[@]}" >/dev/null

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
URL="http://127.0.0.1:$PORT"
"$BIN" --index "$TMP/index" serve --addr "127.0.0.1:$PORT" ${PUSTAKA_SOAK_SERVE_ARGS:-} 2>"$TMP/serve.log" &
PID=$!
for _ in $(seq 100); do curl -sf "$URL/health" >/dev/null && break; sleep 0.1; done
curl -sf "$URL/health" >/dev/null || { echo "soak: the server did not start" >&2; exit 1; }

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$PID/status"; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$PID/status"; }

# Searches at concurrency 32 over the query rotation, each connection kept alive.
cat > "$TMP/load.py" <<'PY'
import http.client, json, sys, threading, time, urllib.parse
port, secs, conns, qfile = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
queries = [l.strip() for l in open(qfile) if l.strip() and not l.startswith("#")]
deadline = time.monotonic() + secs
lat, bad, lock = [], {}, threading.Lock()
def worker(i):
    c, k, mine, mine_bad = None, i, [], {}
    while time.monotonic() < deadline:
        q = urllib.parse.quote_plus(queries[k % len(queries)]); k += 1
        t = time.monotonic()
        try:
            if c is None:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            c.request("GET", f"/api/search?limit=10&q={q}")
            r = c.getresponse(); r.read()
            status = r.status
        except Exception as e:
            status, c = type(e).__name__, None
        mine.append(time.monotonic() - t)
        if status != 200:
            mine_bad[str(status)] = mine_bad.get(str(status), 0) + 1
    with lock:
        lat.extend(mine)
        for s, n in mine_bad.items(): bad[s] = bad.get(s, 0) + n
ts = [threading.Thread(target=worker, args=(i,)) for i in range(conns)]
for t in ts: t.start()
for t in ts: t.join()
lat.sort()
pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else 0
json.dump({"requests": len(lat), "rps": len(lat) / secs, "p50_ms": pct(0.50), "p99_ms": pct(0.99),
           "non200": sum(bad.values()), "by_status": bad}, sys.stdout)
PY

# The idle figure is the server's at rest after a short warm-up of the same mix (searches at
# concurrency 32, dupes with claims, check): the root dictionary, the language models and the
# allocator's arenas for the worker threads are set up once and kept, and what the soak asks is
# whether memory comes back to that after a long load, not to a server that never served.
COLD_KB=$(rss_kb)
WARM=()
for p in "claims=true&limit=20" "limit=50"; do curl -s -m 30 "$URL/api/dupes?$p" >/dev/null & WARM+=($!); done
curl -s -m 30 -X POST --data-binary @"$TMP/corpus/003_232135048410f2ab.txt" "$URL/api/check" >/dev/null &
WARM+=($!)
python3 "$TMP/load.py" "$PORT" 5 "$CONNS" "$ROOT/benches/queries-seed.txt" > /dev/null
wait "${WARM[@]}"
sleep 6  # connections time out idle after 5 s; the server trims freed memory when quiet
IDLE_KB=$(rss_kb)
echo "server memory at idle: $(grep -E '^(RssAnon|RssFile|Threads)' "/proc/$PID/status" | tr -s ' \t' ' ' | tr '\n' ' ')"

# Re-indexing in the background: touch a file and index incrementally, every third round
# rebuild; until the load ends.
END_AT=$(( SECONDS + SECS ))
(
    n=0
    while (( SECONDS < END_AT )); do
        n=$((n + 1))
        echo "soak touch $n" >> "$TMP/corpus/001_b45e124878fca27f.txt"
        if (( n % 3 == 0 )); then
            timeout 60 "$BIN" --index "$TMP/index" index --rebuild "${PATHS[@]}" >/dev/null 2>&1 \
                && echo rebuild >> "$TMP/reindex.log" || echo rebuild-failed >> "$TMP/reindex.log"
        else
            timeout 60 "$BIN" --index "$TMP/index" index "${PATHS[@]}" >/dev/null 2>&1 \
                && echo index >> "$TMP/reindex.log" || echo index-failed >> "$TMP/reindex.log"
        fi
        sleep 2
    done
) &
# Heavy requests in the background: dupes (with claims every other time) and check.
(
    n=0
    while (( SECONDS < END_AT )); do
        n=$((n + 1))
        if (( n % 2 )); then p="claims=true&limit=20"; else p="limit=50"; fi
        curl -s -o /dev/null -m 30 -w '%{http_code}\n' "$URL/api/dupes?$p" >> "$TMP/heavy.log" || echo 000 >> "$TMP/heavy.log"
        curl -s -o /dev/null -m 30 -w '%{http_code}\n' -X POST \
            --data-binary @"$TMP/corpus/003_232135048410f2ab.txt" "$URL/api/check" >> "$TMP/heavy.log" \
            || echo 000 >> "$TMP/heavy.log"
        sleep 0.5
    done
) &
# The memory, twice a second.
( while kill -0 "$PID" 2>/dev/null && (( SECONDS < END_AT + 30 )); do rss_kb >> "$TMP/rss.log"; sleep 0.5; done ) &

# Searches at concurrency 32 over the query rotation, each connection kept alive.
python3 "$TMP/load.py" "$PORT" "$SECS" "$CONNS" "$ROOT/benches/queries-seed.txt" > "$TMP/load.json"
wait_for_jobs=$(( SECONDS + 40 ))
while (( $(jobs -rp | wc -l) > 1 )) && (( SECONDS < wait_for_jobs )); do sleep 1; done

# After the load: memory should come back near its idle figure (connections closed by their
# idle timeout, heavy work ended).
AFTER_KB=$(rss_kb)
for _ in $(seq 20); do
    AFTER_KB=$(rss_kb)
    (( AFTER_KB * 100 <= IDLE_KB * 120 )) && break
    sleep 1
done
PEAK_KB=$(hwm_kb)
echo "server memory after the load: $(grep -E '^(RssAnon|RssFile|Threads)' "/proc/$PID/status" | tr -s ' \t' ' ' | tr '\n' ' ')"
python3 - "$TMP" "$COLD_KB" "$IDLE_KB" "$AFTER_KB" "$PEAK_KB" "$SECS" "$(( SECONDS - START ))" <<'PY'
import json, sys, collections
tmp, cold, idle, after, peak, secs, took = sys.argv[1], *map(int, sys.argv[2:])
load = json.load(open(f"{tmp}/load.json"))
heavy = collections.Counter(l.strip() for l in open(f"{tmp}/heavy.log")) if __import__("os").path.exists(f"{tmp}/heavy.log") else {}
reindex = collections.Counter(l.strip() for l in open(f"{tmp}/reindex.log")) if __import__("os").path.exists(f"{tmp}/reindex.log") else {}
print(f"searches: {load['requests']} in {secs} s ({load['rps']:.0f}/s) at concurrency 32, "
      f"non-200: {load['non200']} {load['by_status'] or ''}, p50 {load['p50_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms")
print(f"heavy requests (dupes, check) by status: {dict(heavy)}; re-indexing: {dict(reindex)}")
print(f"server RSS: cold {cold/1024:.1f} MB, idle after warm-up {idle/1024:.1f} MB, peak {peak/1024:.1f} MB, after the load {after/1024:.1f} MB "
      f"({after/idle*100:.0f}% of idle); {took} s in all")
PY
FAILED=0
[[ "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["non200"])' "$TMP/load.json")" == 0 ]] \
    || { echo "soak: some searches were not answered 200" >&2; FAILED=1; }
(( AFTER_KB * 100 <= IDLE_KB * 120 )) \
    || { echo "soak: the server's RSS stayed above 120% of its idle figure" >&2; FAILED=1; }
kill -0 "$PID" 2>/dev/null || { echo "soak: the server died" >&2; FAILED=1; }
exit $FAILED
