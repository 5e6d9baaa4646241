#!/usr/bin/env bash
# PDF ingest throughput and memory (issue 15): a 500-page PDF drawn from the seed texts by
# benches/pdf.rs (running header and page number on every page, paragraphs over page breaks),
# pdf-extract's bare extraction as the baseline beside pustaka's whole read-and-cut of the file.
#
#   bash scripts/bench_pdf.sh
#
# Prints, with the date and commit: pages per CPU second and peak heap of each step, the ratio of
# their CPU times (measured once, in the same process), then criterion's wall-time throughput
# (pages/s) of each. Needs nothing beyond cargo; writes only a temporary PDF it removes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/measure.sh
echo "# PDF ingest bench, $(date -u +%Y-%m-%d) at $(measured_commit)"
cargo bench --bench pdf 2>/dev/null | grep -E "^pdf-bench:|^pdf_500_pages|thrpt:" | sed 's/^pdf-bench: //'
