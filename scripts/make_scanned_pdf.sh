#!/usr/bin/env bash
# Makes tests/data/pdf/scanned-004.pdf: a scan without a text layer of two pages of seed text
# (the test data of `pustaka index --ocr`, tests/it/ocr.rs), as a scanner would give it: each
# page a JPEG image and nothing else.
#
# Page 1 is lines 13-17 of corpus/004_ee0b6ec72090fab7.txt (the English abstract), page 2
# lines 19-25 (the Indonesian one), the Markdown emphasis marks (*) taken out. Each page is
# typeset on its own by LibreOffice (`soffice --headless --convert-to pdf`), rasterized at
# 150 dpi by pdftoppm (poppler-utils) in grey (which its JPEG writer stores as three equal
# channels, so the PDF declares DeviceRGB, as a colour scanner's would), and the JPEGs are
# wrapped into one PDF here.
#
# Needs: libreoffice (soffice), poppler-utils, python3. Run from the repository's root.
set -euo pipefail
cd "$(dirname "$0")/.."
seed=corpus/004_ee0b6ec72090fab7.txt
out=tests/data/pdf/scanned-004.pdf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

page() { # page N FIRST LAST
    sed -n "$2,$3p" "$seed" | tr -d '*' >"$work/page$1.txt"
    soffice --headless --convert-to pdf --outdir "$work" "$work/page$1.txt" >/dev/null 2>&1
    pdftoppm -r 150 -gray -jpeg -jpegopt quality=40 -singlefile "$work/page$1.pdf" "$work/page$1"
}
page 1 13 17
page 2 19 25

python3 - "$out" "$work/page1.jpg" "$work/page2.jpg" <<'PY'
"""Wraps JPEG pages into a PDF whose pages are images only (DCTDecode)."""
import struct
import sys


def jpeg_size(data):
    """Width, height and colour components from the JPEG's start-of-frame marker."""
    i = 2
    while i < len(data):
        marker, length = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height, data[i + 9]
        i += 2 + length
    raise ValueError("no start-of-frame marker")


def main(out, jpegs):
    objects = []  # bodies of objects 1..n

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(None)
    pages = add(None)
    kids = []
    for path in jpegs:
        data = open(path, "rb").read()
        w, h, components = jpeg_size(data)
        space = {1: b"/DeviceGray", 3: b"/DeviceRGB"}[components]
        image = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d "
                    b"/ColorSpace %s /BitsPerComponent 8 /Filter /DCTDecode "
                    b"/Length %d >>\nstream\n" % (w, h, space, len(data)) + data + b"\nendstream")
        # 150 dpi: points = pixels * 72 / 150.
        pw, ph = w * 72 / 150, h * 72 / 150
        content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (pw, ph)
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] "
                        b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages, pw, ph, image, stream)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages
    objects[pages - 1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (
        len(kids), b" ".join(b"%d 0 R" % k for k in kids))
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    pdf += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, xref)
    open(out, "wb").write(pdf)


main(sys.argv[1], sys.argv[2:])
PY
echo "wrote $out ($(stat -c %s "$out") bytes)"
