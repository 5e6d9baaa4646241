#!/usr/bin/env bash
# How many passages of ../shared/corpus-large the queries the README quotes match: the counts
# its text cites beside a query (`gene expression` matches N passages), so that they are taken
# again rather than remembered. Uses the index scripts/relevance_large.sh keeps in
# /tmp/pustaka-large-index (built here when missing, about a minute) and target/release/pustaka
# (not built here; PUSTAKA_BIN=path counts with another binary, an older commit's, for a
# before-and-after figure). Prints the date and commit, then one line per query: its total and
# the query as typed.
#
#   bash scripts/counts.sh
#   PUSTAKA_BIN=/tmp/pustaka-old bash scripts/counts.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="${PUSTAKA_BIN:-$ROOT/target/release/pustaka}"
[[ -d ../shared/corpus-large ]] || { echo "counts: ../shared/corpus-large not found" >&2; exit 2; }
source "$ROOT/scripts/lib/measure.sh"
INDEX=$LARGE_INDEX
large_index "$BIN"
if [[ -n "${PUSTAKA_BIN:-}" ]]; then
    echo "# $(date -u '+%F %T') UTC, binary $BIN"
else
    echo "# $(date -u '+%F %T') UTC, commit $(measured_commit)"
fi
# Each line: the query, then any flags (split on spaces).
QUERIES=(
    '"pendapat"|'
    'pendapat|'
    'dapat|'
    'saksi lang:en|'
    'immune response|'
    'immune response lang:id|'
    'gene expression|'
    'gene expression|--no-translate'
    'gene expression lang:id|'
    'mortality risk factors|'
    'mortality risk factors lang:id|'
    'military lang:id|'
    'economy lang:id|'
    'orange|'
    'orange|--no-translate'
    '"orange"|'
    'oranges|'
    'bins|'
    'many|'
    'mobility lang:id|'
    'industrial lang:id|--no-translate'
    'harris lang:id|'
    'arrive lang:id|'
    'costly lang:id|--no-translate'
    'result lang:id|'
    'school lang:id|'
    'mean lang:id|'
    'patient lang:id|'
    'figure lang:id|'
    'science lang:id|'
    'nature lang:id|'
    'match lang:id|'
    'finding lang:id|'
    'stable lang:id|'
    'square lang:id|'
    'late lang:id|'
    'treatment lang:id|'
    'statement lang:id|'
    'defendant lang:id|'
    'support lang:id|'
    'making lang:id|'
    'change lang:id|'
    'experience lang:id|'
    'punishment lang:id|'
    'liver lang:id|'
    'persero unit|'
    'upaya restoratif justice|'
    'medium lang:id|'
    'normal lang:id|'
    'length lang:id|'
    'hand lang:id|'
    'cell lang:id|'
)
for line in "${QUERIES[@]}"; do
    IFS='|' read -r query flags <<<"$line"
    # Exit status 1 is "nothing found" (the JSON still says total 0); 2 is an error.
    status=0
    # shellcheck disable=SC2086
    json=$("$BIN" --index "$INDEX" search "$query" $flags --limit 0 --json) || status=$?
    if (( status <= 1 )); then
        total=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["total"])' <<<"$json")
    else
        total="error"
    fi
    printf '%8s  %s %s\n' "$total" "$query" "$flags"
done
