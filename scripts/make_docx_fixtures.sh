#!/usr/bin/env bash
# Makes the files of tests/data/docx/ (see its SOURCES.md): a short manuscript from the seed
# article 003 (its opening: headings, paragraphs, footnotes) and the first table of seed 004,
# written as a flat OpenDocument file and converted by LibreOffice into what its users send:
#   naskah.docx     LibreOffice's Word writer (styles.xml, footnotes.xml, numbering.xml of its own)
#   naskah.odt      LibreOffice's own format
#   naskah.doc      Word 97-2003 binary (for the "not supported" reason)
#   terkunci.docx   naskah.docx encrypted with a password ("rahasia") by msoffcrypto-tool,
#                   as Word stores a password-protected file (an OLE container)
# Needs: soffice (LibreOffice 7.4 was used), msoffcrypto-tool (pip install msoffcrypto-tool),
# and a release build of pustaka (for the seed passages). Run from anywhere; rerun to remake.
set -euo pipefail
cd "$(dirname "$0")/.."
out=tests/data/docx
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

cargo build --release -q
./target/release/pustaka passages corpus/003_232135048410f2ab.txt --json >"$tmp/003.jsonl"
./target/release/pustaka passages corpus/004_ee0b6ec72090fab7.txt --json >"$tmp/004.jsonl"

python3 - "$tmp" <<'EOF'
import json, sys
from xml.sax.saxutils import escape
tmp = sys.argv[1]
p003 = [json.loads(l) for l in open(f"{tmp}/003.jsonl")]
p004 = [json.loads(l) for l in open(f"{tmp}/004.jsonl")]
notes = {p["footnotes"][0]: p["text"] for p in p003 if p["kind"] == "footnote"}
# The opening of 003 up to the passage that holds footnote 4 (headings, abstract, keywords,
# body), each footnote referenced at the end of the paragraph holding its marker.
body = []
for p in p003:
    if p["kind"] == "footnote":
        continue
    text = escape(p["text"])
    for n in p.get("footnotes", []):
        text += (f'<text:note text:id="ftn{n}" text:note-class="footnote">'
                 f'<text:note-citation>{n}</text:note-citation><text:note-body>'
                 f'<text:p text:style-name="Footnote">{escape(notes[n])}</text:p>'
                 f'</text:note-body></text:note>')
    if p["kind"] == "heading":
        body.append(f'<text:h text:style-name="Heading_20_2" text:outline-level="2">{text}</text:h>')
    else:
        body.append(f'<text:p text:style-name="Text_20_body">{text}</text:p>')
    if 4 in p.get("footnotes", []):
        break
# Three bulleted items, and the first table of 004 (its source lines, tab-separated cells).
body.append('<text:list text:style-name="L1">' + "".join(
    f'<text:list-item><text:p text:style-name="Text_20_body">{escape(w)}</text:p></text:list-item>'
    for w in ["Prostitusi anak", "Pornografi anak", "Perdagangan anak untuk tujuan seksual"]) + "</text:list>")
src = open("corpus/004_ee0b6ec72090fab7.txt", encoding="utf-8").read().split("\n")
table = next(p for p in p004 if p["kind"] == "table")
rows = [l for l in src[table["lines"][0] - 1:table["lines"][1]] if l.strip()]
cols = max(len(r.split("\t")) for r in rows)
body.append(f'<table:table table:name="Tabel1"><table:table-column table:number-columns-repeated="{cols}"/>' + "".join(
    "<table:table-row>" + "".join(
        f'<table:table-cell office:value-type="string"><text:p>{escape(c.replace("*", ""))}</text:p></table:table-cell>'
        for c in r.split("\t")) + "</table:table-row>" for r in rows) + "</table:table>")
ns = " ".join(f'xmlns:{k}="urn:oasis:names:tc:opendocument:xmlns:{v}"' for k, v in [
    ("office", "office:1.0"), ("style", "style:1.0"), ("text", "text:1.0"), ("table", "table:1.0"),
    ("fo", "xsl-fo-compatible:1.0")])
fodt = f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document {ns} office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2"/>
<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph"/>
<style:style style:name="Footnote" style:family="paragraph"/>
</office:styles>
<office:automatic-styles>
<text:list-style style:name="L1"><text:list-level-style-bullet text:level="1" text:bullet-char="•"/></text:list-style>
</office:automatic-styles>
<office:body><office:text>
{chr(10).join(body)}
</office:text></office:body></office:document>
'''
open(f"{tmp}/naskah.fodt", "w", encoding="utf-8").write(fodt)
EOF

for fmt in docx odt doc; do
    soffice --headless --convert-to "$fmt" --outdir "$tmp" "$tmp/naskah.fodt" >/dev/null 2>&1
    cp "$tmp/naskah.$fmt" "$out/naskah.$fmt"
done
msoffcrypto-tool -e -p rahasia "$out/naskah.docx" "$out/terkunci.docx"
ls -l "$out"
