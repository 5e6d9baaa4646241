#!/usr/bin/env bash
# Reuse detection (`pustaka dupes`) over all passages of ../shared/corpus-large: time, memory,
# how it scales, and its recall against an exact all-pairs comparison on a sample.
#
#   bash scripts/bench_reuse.sh
#
# Steps: release build; three JSON Lines subsets of the large corpus, the first 25 %, 50 % and
# 100 % of the records of each of its two files (deterministic); for each, `pustaka index` into a
# temporary directory, then `pustaka --index DIR dupes --count-all --json > out.json` under /usr/bin/time -v
# (PUSTAKA_REUSE_ROUNDS runs, default 2, the faster one kept: the first also pages the index in).
# Prints a table (passages, passages with fingerprints, candidate pairs, pairs reported, wall
# time and peak RSS of `dupes`, and time per fingerprinted passage as a ratio to the 25 % run in
# the same run: 1.00 everywhere is linear), writes it to target/bench-reuse.md, then runs
# `cargo bench --bench reuse` with PUSTAKA_BENCH_INDEX set to the 100 % index: criterion timings
# of `align` and `fingerprint::words`, and recall/precision of `dupes` against all pairs of a
# 3000-passage sample aligned exactly (see benches/reuse.rs), appended to the report.
#
# The issue's target: the whole corpus in under 60 s on 2 cores; the report says whether it is met.
#
# id_court_decisions.jsonl is ordered by category (220 `campuran` decisions first, then
# narkotika, pencurian, penganiayaan, siber, tppo), so the first 25 % is all `campuran`: shares
# differ in content as well as in size. PUSTAKA_REUSE_SUBSET=stride takes every 4th / every 2nd
# record instead (evenly spread, as deterministic) to tell size from content.
#
# Environment: PUSTAKA_CORPUS_LARGE (default ../shared/corpus-large), PUSTAKA_REUSE_ROUNDS (2),
# PUSTAKA_REUSE_SUBSET (first | stride; default first), PUSTAKA_REUSE_CLAIMS=1 (time `dupes --claims`,
# restated claims included),
# PUSTAKA_REUSE_SAMPLE (3000), PUSTAKA_REUSE_MICRO=0 / PUSTAKA_REUSE_RECALL=0 (passed to the
# bench: skip its criterion part / its recall part), PUSTAKA_BENCH_KEEP=1 to keep the temporary
# directory (subsets, indexes, the last out.json of each share). Installs nothing. About 3
# minutes on 2 cores once the builds are up to date (the 100 % out.json is over 500 MB); each
# build (`--release` for the CLI, the bench profile for benches/reuse.rs) that has to recompile
# the library adds about 3 minutes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CORPUS="${PUSTAKA_CORPUS_LARGE:-$ROOT/../shared/corpus-large}"
ROUNDS="${PUSTAKA_REUSE_ROUNDS:-2}"
SUBSET="${PUSTAKA_REUSE_SUBSET:-first}"
CLAIMS=""
if [[ "${PUSTAKA_REUSE_CLAIMS:-0}" == 1 ]]; then CLAIMS="--claims"; fi
NAMES=(id_court_decisions.jsonl en_plos_fulltext.jsonl)
SHARES=(25 50 100)
BIN="$ROOT/target/release/pustaka"
REPORT_MD="$ROOT/target/bench-reuse.md"
TARGET_S=60

log() { printf '\n== %s\n' "$*" >&2; }

if [[ ! -d "$CORPUS" ]]; then
    echo "bench_reuse: no large corpus at $CORPUS; nothing to measure." >&2
    echo "             Set PUSTAKA_CORPUS_LARGE to a directory holding ${NAMES[*]}." >&2
    exit 0
fi
for f in "${NAMES[@]}"; do
    if [[ ! -f "$CORPUS/$f" ]]; then
        echo "bench_reuse: $CORPUS/$f is missing; nothing to measure." >&2
        exit 0
    fi
done
command -v python3 >/dev/null || { echo "bench_reuse: python3 is required" >&2; exit 1; }
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "bench_reuse: PUSTAKA_REUSE_ROUNDS must be a positive integer" >&2; exit 2; }
[[ "$SUBSET" == first || "$SUBSET" == stride ]] || { echo "bench_reuse: PUSTAKA_REUSE_SUBSET must be first or stride" >&2; exit 2; }

log "cargo build --release"
cargo build --release

source "$ROOT/scripts/lib/measure.sh"
bench_tmpdir pustaka-bench-reuse

log "subsets ($SUBSET): 25 %, 50 %, 100 % of the records of each file"
python3 - "$CORPUS" "$TMP" "$SUBSET" "${SHARES[@]}" -- "${NAMES[@]}" <<'PY'
import json, os, sys
corpus, tmp, mode = sys.argv[1], sys.argv[2], sys.argv[3]
rest = sys.argv[4:]
cut = rest.index("--")
shares, names = [int(s) for s in rest[:cut]], rest[cut + 1:]
lines = {}
for name in names:
    with open(os.path.join(corpus, name), "rb") as f:
        lines[name] = [l if l.endswith(b"\n") else l + b"\n" for l in f if l.strip()]
for share in shares:
    d = os.path.join(tmp, f"s{share}")
    os.makedirs(d, exist_ok=True)
    records = {}
    for name in names:
        recs = lines[name]
        if mode == "first":
            kept = recs[:max(1, len(recs) * share // 100)]
        else:
            # Record i is kept when floor((i + 1) * share / 100) steps up: evenly spread.
            kept = [r for i, r in enumerate(recs) if (i + 1) * share // 100 > i * share // 100]
        with open(os.path.join(d, name), "wb") as f:
            f.writelines(kept)
        records[name] = len(kept)
    json.dump({"share": share, "records": records,
               "bytes": sum(os.path.getsize(os.path.join(d, n)) for n in names)},
              open(os.path.join(d, "subset.json"), "w"))
    print(f"  {share:3d} %: " + ", ".join(f"{records[n]} records of {n}" for n in names), file=sys.stderr)
PY

for share in "${SHARES[@]}"; do
    d="$TMP/s$share"
    log "$share %: pustaka index"
    measure "$d/index.json" "$BIN" --index "$d/index" index "$d/${NAMES[0]}" "$d/${NAMES[1]}"
    "$BIN" --index "$d/index" stats --json > "$d/stats.json"
    for round in $(seq 1 "$ROUNDS"); do
        # --count-all: the whole pass, every candidate aligned (the default stops early once
        # nothing left could be listed; scripts/dupes_editors.sh times that).
        log "$share %: pustaka dupes --count-all $CLAIMS --json (round $round of $ROUNDS)"
        measure "$d/dupes-$round.json" sh -c '"$0" --index "$1" dupes --count-all $3 --json > "$2"' \
            "$BIN" "$d/index" "$d/out.json" "$CLAIMS"
        # The counts, then the (large) output is dropped.
        python3 - "$d/out.json" "$d/dupes-$round.json" <<'PY'
import json, os, sys
out, m = sys.argv[1], sys.argv[2]
size = os.path.getsize(out)
with open(out) as f:
    r = json.load(f)
fig = json.load(open(m))
fig.update({"pairs": r["total"], "groups": len(r["groups"]),
            "largest_group": max((len(g) for g in r["groups"]), default=0),
            "cross_doc_pairs": r["total_cross_doc"],
            "passages": r["passages"], "candidates": r["candidates"], "took_ms": r["took_ms"],
            "out_bytes": size})
json.dump(fig, open(m, "w"))
print(f"  wall {fig['wall_s']:.2f} s (dupes itself {r['took_ms'] / 1000:.2f} s), peak RSS "
      f"{fig['max_rss_kb'] / 1024:.0f} MB, {fig['pairs']} pairs, {fig['candidates']} candidates, "
      f"out.json {size / 1e6:.0f} MB", file=sys.stderr)
PY
        if [[ "${PUSTAKA_BENCH_KEEP:-0}" != 1 ]]; then rm -f "$d/out.json"; fi
    done
done

log "scaling report"
mkdir -p "$(dirname "$REPORT_MD")"
python3 - "$TMP" "$ROUNDS" "$REPORT_MD" "$TARGET_S" "$SUBSET" "${SHARES[@]}" <<'PY'
import datetime, json, os, platform, subprocess, sys
tmp, rounds, report_md, target_s, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), sys.argv[5]
shares = [int(s) for s in sys.argv[6:]]

rows = []
for share in shares:
    d = os.path.join(tmp, f"s{share}")
    runs = [json.load(open(os.path.join(d, f"dupes-{r}.json"))) for r in range(1, rounds + 1)]
    best = min(runs, key=lambda x: x["wall_s"])
    rows.append({"share": share, "subset": json.load(open(os.path.join(d, "subset.json"))),
                 "stats": json.load(open(os.path.join(d, "stats.json"))),
                 "index": json.load(open(os.path.join(d, "index.json"))),
                 "dupes": best, "walls": [r["wall_s"] for r in runs]})

base = rows[0]
def per_passage(r, key):
    v = r["dupes"]["wall_s"] if key == "wall" else r["dupes"]["took_ms"] / 1000
    return v / max(1, r["dupes"]["passages"])

head = ["share", "records", "passages", "with fp", "candidates", "pairs", "dupes wall s",
        "in-process s", "peak RSS MB", "µs/fp passage", "ratio wall", "ratio in-proc",
        "index s", "out.json MB"]
table = []
for r in rows:
    dp = r["dupes"]
    table.append([
        f"{r['share']} %",
        f"{sum(r['subset']['records'].values())}",
        f"{r['stats']['passages']:,}",
        f"{dp['passages']:,}",
        f"{dp['candidates']:,}",
        f"{dp['pairs']:,}",
        f"{dp['wall_s']:.2f}",
        f"{dp['took_ms'] / 1000:.2f}",
        f"{dp['max_rss_kb'] / 1024:.0f}" if dp.get("max_rss_kb") else "—",
        f"{per_passage(r, 'wall') * 1e6:.1f}",
        f"{per_passage(r, 'wall') / per_passage(base, 'wall'):.2f}",
        f"{per_passage(r, 'inproc') / per_passage(base, 'inproc'):.2f}",
        f"{r['index']['wall_s']:.1f}",
        f"{dp['out_bytes'] / 1e6:.0f}",
    ])
widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(head)]
def line(cells):
    return "  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(cells))
print()
print(line(head))
print("  ".join("-" * w for w in widths))
for t in table:
    print(line(t))

full = rows[-1]
ncpu = os.cpu_count()
verdict = "met" if full["dupes"]["wall_s"] < target_s else "NOT met"
growth = []
for a, b in zip(rows, rows[1:]):
    fa, fb = a["dupes"], b["dupes"]
    growth.append(f"{a['share']}→{b['share']} %: passages with fingerprints ×{fb['passages'] / fa['passages']:.2f}, "
                  f"candidates ×{fb['candidates'] / max(1, fa['candidates']):.2f}, "
                  f"pairs ×{fb['pairs'] / max(1, fa['pairs']):.2f}, wall ×{fb['wall_s'] / fa['wall_s']:.2f}, "
                  f"peak RSS ×{fb['max_rss_kb'] / fa['max_rss_kb']:.2f}")
notes = [
    f"target: the whole corpus in under {target_s:.0f} s on 2 cores: {verdict} "
    f"({full['dupes']['wall_s']:.1f} s wall on {ncpu} CPUs, `dupes` itself {full['dupes']['took_ms'] / 1000:.1f} s).",
    "ratios: time per passage with fingerprints relative to the 25 % run (1.00 = linear); "
    "wall = the whole `pustaka dupes --json` process (open, dupes, JSON of the 100 most similar pairs with both texts; the counts are of every pair found), "
    "in-process = `took_ms` as reported by `Engine::dupes`.",
    f"each share: best of {rounds} run(s) by wall time; all walls (s): " +
    "; ".join(f"{r['share']} %: " + ", ".join(f"{w:.2f}" for w in r["walls"]) for r in rows) + ".",
] + ["growth " + g + "." for g in growth]
print()
for n in notes:
    print(n)

try:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
    commit += " (uncommitted changes)" if dirty else ""
except OSError:
    commit = "?"
md = [
    "# pustaka reuse benchmark (`dupes`)",
    "",
    f"{datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}, commit {commit}, {platform.machine()}, "
    f"{ncpu} CPUs, load average {os.getloadavg()[0]:.2f} at the end of the scaling runs.",
    "",
    ("Corpus: the first 25 %, 50 % and 100 % of the records of " if mode == "first" else
     "Corpus: every 4th, every 2nd and every record (25 %, 50 %, 100 %) of ") +
    "`id_court_decisions.jsonl` and `en_plos_fulltext.jsonl`; `pustaka --index DIR dupes --json` "
    "(min similarity 0.5, within and across documents).",
    "",
    "| " + " | ".join(head) + " |",
    "|" + "|".join(["---"] + ["---:"] * (len(head) - 1)) + "|",
]
md += ["| " + " | ".join(t) + " |" for t in table]
md += [""] + [f"- {n}" for n in notes]
with open(report_md, "w") as f:
    f.write("\n".join(md) + "\n")
print(f"\nwrote {report_md}")
PY

log "recall against exact all-pairs, and criterion timings (cargo bench --bench reuse)"
PUSTAKA_BENCH_INDEX="$TMP/s100/index" cargo bench --bench reuse | tee "$TMP/reuse.out"
grep '^{.*"bench":"reuse_recall"' "$TMP/reuse.out" | tail -n 1 > "$TMP/recall.json" || true
if [[ ! -s "$TMP/recall.json" ]]; then
    if grep -q '^reuse recall: skipped' "$TMP/reuse.out"; then
        echo "bench_reuse: no recall figures ($(grep -m1 '^reuse recall: skipped' "$TMP/reuse.out"))" >&2
    elif [[ "${PUSTAKA_REUSE_RECALL:-1}" == 0 ]]; then
        echo "bench_reuse: no recall figures (PUSTAKA_REUSE_RECALL=0)" >&2
    else
        echo 'bench_reuse: benches/reuse.rs printed no recall figures; Cargo.toml needs [[bench]] name = "reuse", harness = false' >&2
    fi
    exit 0
fi

python3 - "$TMP/recall.json" "$REPORT_MD" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
md = ["", "## Recall against exact all-pairs", "",
      f"Sample: every {r['every_kth']}th of the {r['eligible_passages']:,} passages with fingerprints, "
      f"{r['sample']:,} passages ({r['sample_from_court']} from court decisions), {r['pairs']:,} pairs, all aligned "
      f"(`align`, both orders) on {r['threads']} threads; exact = max(similarity, containment) ≥ {r['min_similarity']}: "
      f"{r['exact']:,} pairs ({r['exact_one_order_only']} reach it in one alignment order only). "
      f"All-pairs took {r['allpairs_s']:.1f} s one way ({r['align_us_per_pair']:.2f} µs a pair).",
      "",
      "| | exact | found | both | missed | recall | precision | time (s) |",
      "|---|---:|---:|---:|---:|---:|---:|---:|",
      f"| exact all-pairs | {r['exact']} | {r['exact']} | {r['exact']} | 0 | 1.000 | 1.000 | {r['allpairs_s']:.2f} |"]
def row(label, sc, t):
    return (f"| {label} | {r['exact']} | {sc['found']} | {sc['both']} | {sc['missed']} | "
            f"{sc['recall']:.3f} | {sc['precision']:.3f} | {t:.2f} |")
si = r["sample_index"]
md.append(row(f"`dupes`, index of the {r['sample']} sampled passages", si["score"], si["dupes_s"]))
w = r.get("whole_corpus")
if w:
    md.append(row(f"`dupes`, whole corpus ({w['passages']:,} passages), pairs between sampled ones",
                  w["score"], w["dupes_s"]))
md += ["", "| recall by kind of exact pair | exact | sample index | whole corpus |", "|---|---:|---:|---:|"]
for label, c in r["recall_by_class"].items():
    wc = "—" if c["whole_corpus"] is None else f"{c['whole_corpus']} ({c['whole_corpus'] / max(1, c['exact']):.3f})"
    md.append(f"| {label} | {c['exact']} | {c['sample_index']} ({c['sample_index'] / max(1, c['exact']):.3f}) | {wc} |")
md += ["", f"- Speed on the sample: all-pairs / `dupes` = {r['speed_ratio']:.1f}×."]
if w:
    md.append(f"- All-pairs over the whole corpus would take ≈ {w['allpairs_estimate_s'] / 3600:.1f} h "
              f"(n² from the sample), `dupes` took {w['dupes_s']:.1f} s.")
for key, reasons in r["missed_by_reason"].items():
    md.append(f"- Missed, {key.replace('_', ' ')}: " + "; ".join(f"{why}: {n}" for why, n in reasons.items()) + ".")
rr = si["reread"]
md.append(f"- Sampled passages re-read as records of their own: {rr['same']} unchanged, {rr['changed']} changed, "
          f"{rr['split']} split, {rr['none']} without an eligible passage.")
with open(sys.argv[2], "a") as f:
    f.write("\n".join(md) + "\n")
print(f"\nappended the recall table to {sys.argv[2]}")
PY
