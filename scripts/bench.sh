#!/usr/bin/env bash
# End-to-end benchmark of pustaka against SQLite FTS5 on ../shared/corpus-large.
#
#   bash scripts/bench.sh
#
# Steps: release build; passages export (`pustaka passages --json`); FTS5 baseline
# (scripts/fts5_baseline.py); `pustaka index` of the two corpus-large JSON Lines files under
# /usr/bin/time -v (wall time, peak RSS); index size; in-process query latency
# (`cargo bench --bench latency`, with a plain tantivy BM25 baseline); whole-process latency of
# `pustaka search` (and of the sqlite3 shell on the FTS5 database, when installed). Prints a table,
# writes it as markdown to target/bench-report.md and the raw figures to target/bench-report.json.
#
# Environment: PUSTAKA_CORPUS_LARGE (default ../shared/corpus-large), PUSTAKA_BENCH_ROUNDS (20),
# PUSTAKA_BENCH_KEEP=1 to keep the temporary directory (indexes, passages) for inspection.
# Installs nothing. About 3-6 minutes on 2 cores once the release build is up to date.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CORPUS="${PUSTAKA_CORPUS_LARGE:-$ROOT/../shared/corpus-large}"
ROUNDS="${PUSTAKA_BENCH_ROUNDS:-20}"
FILES=("$CORPUS/id_court_decisions.jsonl" "$CORPUS/en_plos_fulltext.jsonl")
BIN="$ROOT/target/release/pustaka"
REPORT_MD="$ROOT/target/bench-report.md"
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

log "cargo build --release"
cargo build --release

source "$ROOT/scripts/lib/measure.sh"
bench_tmpdir pustaka-bench

log "passages export (pustaka passages --json)"
measure "$TMP/export.json" sh -c '"$0" passages --json "$1" "$2" > "$3"' \
    "$BIN" "${FILES[0]}" "${FILES[1]}" "$TMP/passages.jsonl"
echo "$(wc -l < "$TMP/passages.jsonl") passages" >&2

log "SQLite FTS5 baseline"
python3 scripts/fts5_baseline.py "$TMP/passages.jsonl" --rounds "$ROUNDS" --db "$TMP/fts5.db" \
    > "$TMP/fts5.json"
cat "$TMP/fts5.json" >&2

log "pustaka index (corpus-large, 2 files)"
rm -rf "$TMP/index"
measure "$TMP/index.json" "$BIN" index "${FILES[@]}" --index "$TMP/index"
INDEX_BYTES="$(du -sb "$TMP/index" | cut -f1)"
SOURCE_BYTES="$(cat "${FILES[@]}" | wc -c)"
cat "$TMP/index.json" >&2; echo >&2

log "in-process query latency (cargo bench --bench latency)"
PUSTAKA_BENCH_INDEX="$TMP/index" PUSTAKA_BENCH_ROUNDS="$ROUNDS" \
    cargo bench --bench latency | tee "$TMP/latency.out"
grep '^{.*"bench":"latency"' "$TMP/latency.out" | tail -n 1 > "$TMP/latency.json" || true
if [[ ! -s "$TMP/latency.json" ]]; then
    echo 'bench: benches/latency.rs printed no figures; Cargo.toml needs [[bench]] name = "latency", harness = false' >&2
fi

log "whole-process latency (pustaka search, sqlite3 shell)"
python3 - "$BIN" "$TMP/index" "$TMP/fts5.db" "$ROUNDS" > "$TMP/process.json" <<'PY'
import json, shutil, statistics, subprocess, sys, time
binary, index, db, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
# Two Indonesian queries, two English ones, from benches/queries.txt.
queries = ["narkotika golongan sabu", "pencurian sepeda motor", "malaria parasite", "gene expression"]

def pct(s, p):
    s = sorted(s)
    return s[max(1, -(-len(s) * p // 100)) - 1]

def run(argv_of):
    samples = []
    for q in queries:
        argv = argv_of(q)
        r = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # warm-up
        if r.returncode != 0:
            sys.stderr.write(f"process bench: {argv} failed: {r.stderr.decode()[:500]}\n")
            return None
        for _ in range(rounds):
            t0 = time.perf_counter()
            subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            samples.append((time.perf_counter() - t0) * 1000)
    return {"n": len(samples), "p50_ms": round(pct(samples, 50), 3),
            "p99_ms": round(pct(samples, 99), 3), "mean_ms": round(statistics.fmean(samples), 3)}

out = {"queries": queries, "rounds": rounds}
out["pustaka"] = run(lambda q: [binary, "search", q, "--index", index, "--json", "--limit", "10"])
sqlite = shutil.which("sqlite3")
if sqlite:
    def sql(q):
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in q.split()).replace("'", "''")
        return [sqlite, db, f"SELECT id FROM fts WHERE fts MATCH '{match}' ORDER BY rank LIMIT 10"]
    out["fts5_sqlite3_shell"] = run(sql)
else:
    out["fts5_sqlite3_shell"] = None
print(json.dumps(out))
PY
cat "$TMP/process.json" >&2

log "report"
mkdir -p "$(dirname "$REPORT_MD")"
python3 - "$TMP" "$SOURCE_BYTES" "$INDEX_BYTES" "$REPORT_MD" "$REPORT_JSON" <<'PY'
import json, os, platform, subprocess, sys, datetime
tmp, source_bytes, index_bytes, report_md, report_json = sys.argv[1:]
source_bytes, index_bytes = int(source_bytes), int(index_bytes)

def load(name):
    try:
        with open(os.path.join(tmp, name)) as f:
            text = f.read().strip()
        return json.loads(text) if text else None
    except FileNotFoundError:
        return None

export, fts, idx, lat, proc = (load(n) for n in
                               ("export.json", "fts5.json", "index.json", "latency.json", "process.json"))
mb = source_bytes / 1e6

def fmt(x, unit="", nd=2):
    return "—" if x is None else f"{x:,.{nd}f}{unit}"

def ratio(a, b):
    return "—" if a is None or b in (None, 0) else f"{a / b:.2f}×"

# Build from the source JSON Lines: pustaka index does ingest + indexing in one run; for FTS5 the
# same ingest is the passages export, then parsing it, inserting, committing and optimizing.
p_build = idx["wall_s"]
f_index_only = fts["build_s"] + (fts["optimize_s"] or 0)
f_build = export["wall_s"] + fts["parse_s"] + f_index_only
p_rss = idx["max_rss_kb"] * 1024 if idx.get("max_rss_kb") else None
f_rss = max((export.get("max_rss_kb") or 0) * 1024, fts["peak_rss_bytes"])
pq = lat["pustaka"] if lat else None
bq = lat.get("baseline") if lat else None
fq = fts["query"]
pp = proc.get("pustaka") if proc else None
fp = proc.get("fts5_sqlite3_shell") if proc else None

rows = [
    ("build from source JSONL (s)", fmt(p_build), fmt(f_build), ratio(p_build, f_build)),
    ("  throughput (MB/s of source)", fmt(mb / p_build), fmt(mb / f_build), ratio(mb / p_build, mb / f_build)),
    ("  FTS5 insert+commit+optimize only (s)", "—", fmt(f_index_only), "—"),
    ("index size (MB)", fmt(index_bytes / 1e6, nd=1), fmt(fts["db_bytes"] / 1e6, nd=1),
     ratio(index_bytes, fts["db_bytes"])),
    ("peak memory, build (MB)", fmt(p_rss / 1e6 if p_rss else None, nd=0), fmt(f_rss / 1e6, nd=0),
     ratio(p_rss, f_rss)),
    ("query p50, in-process (ms)", fmt(pq and pq["p50_ms"], nd=3), fmt(fq["p50_ms"], nd=3),
     ratio(pq and pq["p50_ms"], fq["p50_ms"])),
    ("query p99, in-process (ms)", fmt(pq and pq["p99_ms"], nd=3), fmt(fq["p99_ms"], nd=3),
     ratio(pq and pq["p99_ms"], fq["p99_ms"])),
    ("query mean, in-process (ms)", fmt(pq and pq["mean_ms"], nd=3), fmt(fq["mean_ms"], nd=3),
     ratio(pq and pq["mean_ms"], fq["mean_ms"])),
    ("query p50, whole process (ms)", fmt(pp and pp["p50_ms"]), fmt(fp and fp["p50_ms"]),
     ratio(pp and pp["p50_ms"], fp and fp["p50_ms"])),
    ("query p99, whole process (ms)", fmt(pp and pp["p99_ms"]), fmt(fp and fp["p99_ms"]),
     ratio(pp and pp["p99_ms"], fp and fp["p99_ms"])),
]
# Same index, same process: pustaka's query handling vs plain tantivy BM25 on the unstemmed field.
rows2 = []
if bq:
    for key, label in (("p50_ms", "p50"), ("p99_ms", "p99"), ("mean_ms", "mean")):
        rows2.append((f"query {label}, in-process (ms)", fmt(pq[key], nd=3), fmt(bq[key], nd=3),
                      ratio(pq[key], bq[key])))

def table(head, rows):
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(4)]
    def line(r):
        return "  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r))
    print()
    print(line(head))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))

table(("", "pustaka", "SQLite FTS5", "pustaka / FTS5"), rows)
if rows2:
    table(("same index", "pustaka", "plain tantivy BM25", "pustaka / tantivy"), rows2)

try:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
    commit += " (uncommitted changes)" if dirty else ""
except OSError:
    commit = "?"
nq = lat["queries"] if lat else fts["queries"]
md = [
    "# pustaka benchmark",
    "",
    f"{datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}, commit {commit}, {platform.machine()}, "
    f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the end (other work on the machine "
    f"skews build times most), SQLite {fts['sqlite_version']}.",
    "",
    f"Corpus: `id_court_decisions.jsonl` + `en_plos_fulltext.jsonl`, {mb:.1f} MB of source, "
    f"{fts['passages']:,} passages ({fts['text_bytes'] / 1e6:.1f} MB of passage text). "
    f"Queries: {nq} of `benches/queries.txt` (2–3 words, half Indonesian, half English), top 10, "
    f"terms ORed, one warm-up round then {fts['rounds']} rounds.",
    "",
    "| | pustaka | SQLite FTS5 | pustaka / FTS5 |",
    "|---|---:|---:|---:|",
]
md += [f"| {r[0].strip()} | {r[1]} | {r[2]} | {r[3]} |" for r in rows]
if rows2:
    md += ["", "| same index | pustaka | plain tantivy BM25 | pustaka / tantivy |", "|---|---:|---:|---:|"]
    md += [f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} |" for r in rows2]
md += [
    "",
    "Notes:",
    "- Build from source: `pustaka index` runs ingest (decode, normalize, segment, language detection) and "
    "indexes every passage three times (Indonesian-stemmed, English-stemmed, unstemmed) plus stored fields. "
    "The FTS5 column is the same ingest (`pustaka passages --json`) + parsing its output + one unstemmed "
    "`unicode61 remove_diacritics 2` column, inserted in one transaction, committed and `optimize`d.",
    "- Peak memory: `pustaka index` process vs the larger of the passages export and the FTS5 script "
    "(which holds all parsed passages in memory).",
    "- In-process: pustaka's `Engine::search` (query analysis, ranking, total count, hits with stored "
    "fields, snippets and highlights) timed in `benches/latency.rs`; FTS5 timed in Python around "
    "`execute().fetchall()` (top-10 ids only, no count). The plain tantivy table is BM25 on the unstemmed "
    "field over the same index (top 10 + stored fields), timed in the same process as pustaka.",
    "- Whole process: `pustaka search Q --index DIR --json --limit 10` vs the `sqlite3` shell on the FTS5 "
    f"database, {proc['rounds'] if proc else '?'} runs of each of {', '.join(proc['queries']) if proc else '?'}.",
]
if lat and lat.get("slowest_p50_ms"):
    md += ["", "Slowest pustaka queries (p50 ms): " +
           ", ".join(f'{s["query"]} {s["p50_ms"]:.2f}' for s in lat["slowest_p50_ms"]) + "."]
if fts.get("slowest_queries_p50_ms"):
    md += ["", "Slowest FTS5 queries (p50 ms): " +
           ", ".join(f'{s["query"]} {s["p50_ms"]:.2f}' for s in fts["slowest_queries_p50_ms"]) + "."]
if lat and lat.get("queries_without_hits"):
    md += ["", f"pustaka queries without hits: {lat['queries_without_hits']}."]
with open(report_md, "w") as f:
    f.write("\n".join(md) + "\n")
with open(report_json, "w") as f:
    json.dump({"source_bytes": source_bytes, "index_bytes": index_bytes, "export": export, "fts5": fts,
               "index": idx, "latency": lat, "process": proc}, f, indent=1)
print(f"\nwrote {report_md} and {report_json}")
PY
