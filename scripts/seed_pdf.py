#!/usr/bin/env python3
"""Typeset a seed text as a Flat ODT, and record where its paragraphs fell in the PDF made from it.

Used by scripts/make_seed_pdfs.sh (issue 15: PDF fidelity). Standard library only.

  seed_pdf.py fodt PASSAGES.jsonl SEED.txt KEY.json COLUMNS HEADER > OUT.fodt
  seed_pdf.py truth PASSAGES.jsonl PDFTOTEXT.txt > OUT.json

`fodt` rebuilds the seed's paragraphs from what `pustaka passages --json` read in it (headings with
the level the hand-made structure key gives them, footnotes as real notes anchored where the seed's
marker stood, long paragraphs cut into several passages joined back), so that LibreOffice can lay
them out again: one or two columns, a running header, page numbers in the footer. `truth` finds
each passage of the seed in `pdftotext`'s reading of that PDF, independently of pustaka's own PDF
reader, and writes the page where it starts and ends: the answer key the tests check pages
against.
"""
import json
import re
import sys
import unicodedata
from xml.sax.saxutils import escape

BODY_KINDS = {"body", "abstract", "keywords", "bibliography"}
FURNITURE = re.compile(r"^JOM FISIP Vol\. \d+ No\.\s*\d+ - \w+ \d{4} Page \d+\s*$")
BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")


def norm(text):
    """Letters and digits only, NFKC, lower case: what the tests compare."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower() if c.isalnum())


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def heading_levels(key_path, seed_name):
    """Heading text (normalized) -> `section` or `sub`, from the structure key."""
    with open(key_path, encoding="utf-8") as f:
        key = json.load(f)
    levels = {}
    for doc in key["documents"]:
        if doc["file"].endswith(seed_name):
            for h in doc["headings"]:
                levels[norm(h["text"])] = h["level"]
    return levels


def level_of(text, levels):
    """The key's level of a found heading: the key drops the numbering (`1.`, `A.`) it prints."""
    n = norm(text)
    for k, level in levels.items():
        if n == k or (n.endswith(k) and len(n) - len(k) <= 2):
            return level
    return "sub"


def paragraphs(passages):
    """Passages joined back into the paragraphs they were cut from (a long paragraph's pieces
    share a source line), footnotes set apart by number."""
    paras, notes = [], {}
    for p in passages:
        if p["kind"] == "footnote":
            notes[p["footnotes"][0]] = p
            continue
        last = paras[-1] if paras else None
        if (
            last
            and p["kind"] == last["kind"] == "body"
            and p["lines"][0] == last["pieces"][-1]["lines"][1]
        ):
            last["pieces"].append(p)
        else:
            paras.append({"kind": p["kind"], "pieces": [p]})
    return paras, notes


def skipped_lines(passages, seed_lines):
    """Source lines that are not body text: notes (with the number line before them), running
    footers, bare numbers (markers)."""
    skip = set()
    for p in passages:
        if p["kind"] == "footnote":
            skip.update(range(p["lines"][0] - 2, p["lines"][1] + 1))
    for no, line in enumerate(seed_lines, 1):
        if FURNITURE.match(line) or BARE_NUMBER.match(line):
            skip.add(no)
    return skip


def marker_offsets(piece, seed_lines, skip):
    """Where each footnote marker of a body passage stands in its text: the seed gives the
    marker as a number on a line of its own; the letters and digits before it locate it."""
    out = []
    first, last = piece["lines"]
    for n in piece.get("footnotes") or []:
        count = 0
        # A marker after a paragraph's last word stands on the line after the passage.
        for no in range(first, min(last + 2, len(seed_lines)) + 1):
            m = BARE_NUMBER.match(seed_lines[no - 1])
            if m and int(m.group(1)) == n:
                out.append((n, char_at(piece["text"], count)))
                break
            if no not in skip:
                count += len(norm(seed_lines[no - 1]))
    return out


def char_at(text, alnum):
    """Offset in `text` after `alnum` letters and digits, moved to the end of that word and
    past its punctuation, where a superscript marker goes."""
    seen = 0
    for i, c in enumerate(text):
        if seen >= alnum:
            j = i
            while j < len(text) and not text[j].isspace():
                j += 1
            return j
        if norm(c):
            seen += len(norm(c))
    return len(text)


def note_xml(n, note):
    text = escape(note["text"])
    return (
        f'<text:note text:id="ftn{n}" text:note-class="footnote">'
        f"<text:note-citation>{n}</text:note-citation><text:note-body>"
        f'<text:p text:style-name="Footnote">{text}</text:p></text:note-body></text:note>'
    )


def body_xml(para, notes, seed_lines, skip):
    parts = []
    for piece in para["pieces"]:
        text = piece["text"]
        cut, chunks = 0, []
        for n, at in marker_offsets(piece, seed_lines, skip):
            if n in notes:
                chunks.append(escape(text[cut:at]) + note_xml(n, notes[n]))
                cut = at
        chunks.append(escape(text[cut:]))
        parts.append("".join(chunks))
    style = {"body": "Text_20_body", "bibliography": "Bibliography"}.get(para["kind"], "Text_20_body")
    return f'<text:p text:style-name="{style}">{" ".join(parts)}</text:p>'


def table_xml(piece, seed_lines):
    first, last = piece["lines"]
    rows = [seed_lines[no - 1].split("\t") for no in range(first, last + 1) if seed_lines[no - 1].strip()]
    width = max(len(r) for r in rows)
    out = [f'<table:table table:name="T{first}"><table:table-column table:number-columns-repeated="{width}"/>']
    for r in rows:
        cells = "".join(
            f'<table:table-cell office:value-type="string"><text:p text:style-name="Table">{escape(c.strip())}</text:p></table:table-cell>'
            for c in r + [""] * (width - len(r))
        )
        out.append(f"<table:table-row>{cells}</table:table-row>")
    out.append("</table:table>")
    return "".join(out)


def block_xml(para, i, levels, notes, seed_lines, skip):
    piece = para["pieces"][0]
    kind, text = para["kind"], escape(piece["text"])
    if kind == "heading":
        if i == 0 and norm(piece["text"]) not in levels:
            return f'<text:p text:style-name="Title">{text}</text:p>'
        n = 1 if level_of(piece["text"], levels) == "section" else 2
        return f'<text:h text:style-name="Heading_20_{n}" text:outline-level="{n}">{text}</text:h>'
    if kind == "caption":
        return f'<text:p text:style-name="Caption">{text}</text:p>'
    if kind == "table":
        return table_xml(piece, seed_lines)
    return body_xml(para, notes, seed_lines, skip)


def fodt(passages_path, seed_path, key_path, columns, header):
    passages = load(passages_path)
    with open(seed_path, encoding="utf-8") as f:
        seed_lines = f.read().split("\n")
    seed_name = seed_path.rsplit("/", 1)[-1]
    levels = heading_levels(key_path, seed_name)
    paras, notes = paragraphs(passages)
    skip = skipped_lines(passages, seed_lines)
    body = "\n".join(block_xml(p, i, levels, notes, seed_lines, skip) for i, p in enumerate(paras))
    with open(__file__.rsplit("/", 1)[0] + "/seed_pdf_template.fodt", encoding="utf-8") as f:
        template = f.read()
    return (
        template.replace("@COLUMNS@", str(columns))
        .replace("@HEADER@", escape(header))
        .replace("@BODY@", body)
    )


def find_page(pages, key, first, last, from_end=False):
    """The first page from `first` to `last` (0-based) whose text holds a piece of `key` (its
    start, or its end), trying shorter pieces where a column or page break cuts a long one.

    Pages, not offsets: pdftotext's order within a page of two columns is not the reading order,
    but a passage never comes back to an earlier page."""
    for length in (60, 30, 15):
        piece = key[-length:] if from_end else key[:length]
        if len(piece) < min(len(key), 10):
            break
        for i in range(first, min(last, len(pages) - 1) + 1):
            if piece in pages[i]:
                return i
    return None


def truth(passages_path, text_path):
    """Each passage of the seed (but tables) with the pages pdftotext finds it on (1-based)."""
    with open(text_path, encoding="utf-8") as f:
        pages = [norm(p) for p in f.read().split("\f")]
    out, cursor = [], {"body": 0, "footnote": 0}
    for p in load(passages_path):
        if p["kind"] == "table":
            continue
        stream = "footnote" if p["kind"] == "footnote" else "body"
        n = norm(p["text"])
        # A note is on the page of its marker, in a body passage listed before it: never past
        # the body's page (else a note would be found in the bibliography that repeats it).
        last = cursor["body"] + 1 if stream == "footnote" else len(pages)
        head = find_page(pages, n, cursor[stream], last)
        tail = None if head is None else find_page(pages, n, head, head + 2, from_end=True)
        entry = {
            "kind": p["kind"],
            "head": " ".join(p["text"].split()[:12]),
            "page": None if head is None else head + 1,
            "page_end": None if tail is None else tail + 1,
        }
        if p["kind"] == "footnote":
            entry["number"] = p["footnotes"][0]
        if head is not None:
            cursor[stream] = head
        out.append(entry)
    return out


def main(argv):
    if len(argv) == 7 and argv[1] == "fodt":
        sys.stdout.write(fodt(argv[2], argv[3], argv[4], int(argv[5]), argv[6]))
    elif len(argv) == 4 and argv[1] == "truth":
        json.dump(truth(argv[2], argv[3]), sys.stdout, ensure_ascii=False, indent=0)
        sys.stdout.write("\n")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
