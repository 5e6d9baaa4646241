#!/usr/bin/env bash
# The figures of the README's "Dupes for editors": `dupes --cross-doc --limit 20` over an index
# of ../shared/corpus-large (built when missing, in /tmp/pustaka-large-index, as
# scripts/relevance_large.sh does), run three ways, A B C A B C (2 rounds, CPU seconds kept):
#
#   default             formulaic passages left out, the work cut by the limit
#   --include-formulaic formulas in, to see whether the ranking alone keeps them out of the top
#   --count-all         every candidate aligned: the list must be the same, the work the whole
#
# then the top 20 of the default run as a table to read by hand (document pair, shared words,
# distinctive share, similarity, whether either side cites the other, the opening of each side).
#
#   bash scripts/dupes_editors.sh
#
# The binary is target/release/pustaka (not built here). Prints the date and commit first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/lib/measure.sh"
BIN="$ROOT/target/release/pustaka"
INDEX=$LARGE_INDEX
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "# $(date -u +%Y-%m-%d) commit $(measured_commit), $(nproc) cores"
large_index "$BIN"
declare -A FLAGS=([default]="" [formulas]="--include-formulaic" [count_all]="--count-all")
for round in 1 2; do
    for run in default formulas count_all; do
        # shellcheck disable=SC2086
        /usr/bin/time -f "%U %S %e %M" -o "$OUT/$run.$round.time" \
            "$BIN" --index "$INDEX" dupes --cross-doc --limit 20 --json ${FLAGS[$run]} \
            >"$OUT/$run.json"
    done
done
python3 - "$OUT" <<'EOF'
import json, sys
out = sys.argv[1]
runs = ["default", "formulas", "count_all"]
res = {r: json.load(open(f"{out}/{r}.json")) for r in runs}
def ids(r):
    return [(p["a"]["passage_id"], p["b"]["passage_id"]) for p in res[r]["pairs"]]
print("| run | CPU s (2 rounds) | wall s | peak RSS MB | candidates aligned | skipped | same top 20 as --count-all |")
print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
for r in runs:
    times = []
    for rnd in (1, 2):
        u, s, e, m = open(f"{out}/{r}.{rnd}.time").read().split()[-4:]
        times.append((float(u) + float(s), float(e), int(m) / 1024))
    cpu = " / ".join("%.2f" % t[0] for t in times)
    d = res[r]
    print("| %s | %s | %.2f | %.0f | %d | %d | %s |" % (
        r, cpu, min(t[1] for t in times), max(t[2] for t in times), d["candidates"],
        d["skipped"], "yes" if ids(r) == ids("count_all") else "no"))
d = res["default"]
print()
print("%d passages with fingerprints, %d formulaic; with --count-all %d pairs across documents" %
      (d["passages"], d["formulaic"], res["count_all"]["total_cross_doc"]))
formulaic = sum(p["a"].get("formulaic", False) or p["b"].get("formulaic", False)
                for p in res["formulas"]["pairs"])
print("formulaic passages in the top 20 with --include-formulaic: %d" % formulaic)
print()
print("| # | document pair | shared words | distinctive | similarity | cites | opening of a / of b |")
print("| ---: | --- | ---: | ---: | ---: | --- | --- |")
for i, p in enumerate(d["pairs"], 1):
    a, b = p["a"], p["b"]
    cites = ",".join(p.get("cites_other", [])) or "none"
    text = lambda s: " ".join(s["text"].split())[:70].replace("|", "/")
    print("| %d | %s – %s | %d | %.1f | %.2f | %s | %s / %s |" % (
        i, a["doc"], b["doc"], p["shared_words"], p["distinctive"], p["similarity"], cites,
        text(a), text(b)))
print()
print("| document pair | passage pairs | passages a / b | uncited | shared words |")
print("| --- | ---: | ---: | ---: | ---: |")
for x in d["documents"]:
    print("| %s (%s) – %s (%s) | %d | %d / %d | %d | %d |" % (
        x["a"], x["a_title"][:40], x["b"], x["b_title"][:40], x["pairs"], x["passages_a"],
        x["passages_b"], x["uncited"], x["shared_words"]))
EOF
