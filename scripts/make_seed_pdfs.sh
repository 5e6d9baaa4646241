#!/usr/bin/env bash
# PDFs typeset from seed texts 003 and 004 (issue 15: PDF fidelity), one- and two-column, each
# with a JSON of where pdftotext finds every passage of the text file (the tests' page key).
#
#   bash scripts/make_seed_pdfs.sh [OUT_DIR]   (default tests/data/pdf)
#
# Needs LibreOffice (soffice), poppler-utils (pdftotext) and a release build of pustaka (made if
# missing). How the files are made, and from what, is in tests/data/pdf/SOURCES.md.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-tests/data/pdf}"
bin=target/release/pustaka
[ -x "$bin" ] || cargo build --release
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

make_one() { # seed-prefix header
  local seed passages name
  seed="$(ls corpus/"$1"_*.txt)"
  passages="$work/$1.jsonl"
  "$bin" passages "$seed" --json >"$passages" 2>/dev/null
  for cols in 1 2; do
    name="$1-${cols}col"
    python3 scripts/seed_pdf.py fodt "$passages" "$seed" tests/data/structure/key.json \
      "$cols" "$2" >"$work/$name.fodt"
    # A profile of its own, so that a running LibreOffice or a user's settings play no part.
    soffice -env:UserInstallation="file://$work/profile" --headless --convert-to pdf \
      --outdir "$work" "$work/$name.fodt" >/dev/null 2>&1
    pdftotext "$work/$name.pdf" "$work/$name.txt"
    python3 scripts/seed_pdf.py truth "$passages" "$work/$name.txt" >"$out/$name.json"
    cp "$work/$name.pdf" "$out/$name.pdf"
    echo "$out/$name.pdf: $(stat -c %s "$out/$name.pdf") bytes, $(pdfinfo "$out/$name.pdf" | awk '/^Pages/ {print $2}') pages"
  done
}

make_one 003 "JOM FISIP Vol. 4 No. 2 - Oktober 2017"
make_one 004 "Saragih & Alfajri | Upaya IOM dalam Menangani Kasus Human Trafficking di Indonesia"
