#!/usr/bin/env bash
# What reading each PDF in a child process costs the CLI (issue 15, src/ingest/pdf/worker.rs):
# CPU seconds of 50 starts of `pustaka __read-pdf` on an empty input (a child that starts, finds
# no PDF and answers), beside 10 reads of a real 16-page article in the same way.
#
#   bash scripts/bench_pdf_child.sh
#
# Prints the date and commit, then CPU seconds (user + system) per start and per read.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
exe=target/release/pustaka
pdf=tests/data/pdf/jss-sandwich-oop.pdf
source scripts/lib/measure.sh
echo "# PDF child bench, $(date -u +%Y-%m-%d) at $(measured_commit)"
cpu() { # CPU seconds of the children of the command given
    local me=$BASHPID before after # (a $(...) inside would read its own subshell's record)
    before=$(awk '{print $16 + $17}' "/proc/$me/stat")
    "$@"
    after=$(awk '{print $16 + $17}' "/proc/$me/stat")
    echo $(( after - before ))
}
starts() { for _ in $(seq 50); do "$exe" __read-pdf < /dev/null > /dev/null; done; }
reads() { for _ in $(seq 10); do "$exe" __read-pdf < "$pdf" > /dev/null; done; }
hz=$(getconf CLK_TCK)
t_start=$(cpu starts)
t_read=$(cpu reads)
awk -v s="$t_start" -v r="$t_read" -v hz="$hz" 'BEGIN {
    printf "child start: %.1f ms CPU each (50 starts)\n", 1000 * s / hz / 50
    printf "16-page article read in a child: %.0f ms CPU each (10 reads)\n", 1000 * r / hz / 10
}'
