#!/usr/bin/env python3
"""`pustaka refs DOC --format bibtex|ris|csl-json` read back by the parsers of the reference
manager world: bibtexparser (BibTeX), rispy (RIS) and citeproc-py (CSL-JSON, rendered as a
bibliography in the Harvard style it ships).

Indexes corpus/ with target/release/pustaka in a temporary directory and, for every document,
compares each export with the refs report (`--format json`): every bibliography entry appears
exactly once, with the family names of its authors, its year and its title as the engine parsed
them; every CSL item renders. Needs `pip install bibtexparser rispy citeproc-py` (.ci/run does it).
Ends with `N passed, N failed` and exits non-zero on a failure.
"""
import json
import os
import subprocess
import sys
import tempfile
import warnings

import bibtexparser
import rispy
from bibtexparser import middlewares
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "target", "release", "pustaka")


def pustaka(index, *args):
    return subprocess.run([BIN, "--index", index, *args], capture_output=True, text=True, check=True).stdout


def one_line(s):
    return " ".join(s.split())


def as_bibtex_reads(s):
    """Text as BibTeX gives it back: braces are markup, `--` is an en dash."""
    return one_line(s.replace("{", " ").replace("}", " ")).replace("---", "—").replace("--", "–")


def year4(entry):
    return entry["year"][:4] if entry["year"] else None


def check_bibtex(report, text):
    lib = bibtexparser.parse_string(
        text,
        append_middleware=[
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
            middlewares.LatexDecodingMiddleware(),
        ],
    )
    assert not lib.failed_blocks, lib.failed_blocks
    assert len(lib.entries) == len(report["entries"]), (len(lib.entries), len(report["entries"]))
    assert len({b.key for b in lib.entries}) == len(lib.entries), "keys repeat"
    for e, b in zip(report["entries"], lib.entries):
        fields = b.fields_dict
        names = fields["author"].value if "author" in fields else []
        families = [as_bibtex_reads(" ".join(n.von + n.last)).replace("\\&", "&") for n in names]
        assert families == [as_bibtex_reads(a) for a in e["authors"]], (b.key, families, e["authors"])
        year = fields["year"].value if "year" in fields else None
        assert year == year4(e), (b.key, year, e["year"])
        title = fields["title"].value if "title" in fields else None
        expected = as_bibtex_reads(e["title"]) if e["title"] else None
        assert (title and as_bibtex_reads(title)) == expected, (b.key, title, expected)
    return [b.entry_type for b in lib.entries]


def check_ris(report, text):
    records = rispy.loads(text)
    assert len(records) == len(report["entries"]), (len(records), len(report["entries"]))
    for e, r in zip(report["entries"], records):
        families = [a.split(", ")[0] for a in r.get("authors", [])]
        assert families == e["authors"], (r.get("id"), families, e["authors"])
        assert r.get("year") == year4(e), (r.get("id"), r.get("year"), e["year"])
        assert r.get("title") == (one_line(e["title"]) if e["title"] else None), r.get("id")


def check_csl(report, text):
    items = json.loads(text)
    assert len(items) == len(report["entries"]), (len(items), len(report["entries"]))
    for e, item in zip(report["entries"], items):
        families = [n.get("family", n.get("literal")) for n in item.get("author", [])]
        assert families == e["authors"], (item["id"], families, e["authors"])
        issued = item.get("issued", {}).get("date-parts", [[None]])[0][0]
        assert (str(issued) if issued else None) == year4(e), item["id"]
        assert item.get("title") == (one_line(e["title"]) if e["title"] else None), item["id"]
    if not items:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns of CSL variables Harvard does not print
        style = CitationStylesStyle(bundled_style(), validate=False)
        bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
        for item in items:
            bib.register(Citation([CitationItem(item["id"])]))
        rendered = [str(r) for r in bib.bibliography()]
    assert len(rendered) == len(items), (len(rendered), len(items))
    for item in items:
        first = (item.get("author") or [{}])[0]
        name = first.get("family") or first.get("literal")
        if name:
            assert any(name in r for r in rendered), (item["id"], name)
    return [item["type"] for item in items]


def bundled_style():
    """The Harvard style citeproc-py ships (its name changed between releases)."""
    import citeproc

    styles = os.path.join(os.path.dirname(citeproc.__file__), "data", "styles")
    names = sorted(f[:-4] for f in os.listdir(styles) if f.endswith(".csl"))
    return next((n for n in names if "harvard" in n), names[0])


def main():
    passed, failed = 0, 0
    kinds = {}
    with tempfile.TemporaryDirectory() as tmp:
        index = os.path.join(tmp, "index")
        pustaka(index, "index", os.path.join(ROOT, "corpus"))
        docs = json.loads(pustaka(index, "docs", "--json"))["docs"]
        for doc in docs:
            report = json.loads(pustaka(index, "refs", doc["id"], "--format", "json"))
            for fmt, check in (("bibtex", check_bibtex), ("ris", check_ris), ("csl-json", check_csl)):
                try:
                    found = check(report, pustaka(index, "refs", doc["id"], "--format", fmt)) or []
                    for k in found:
                        kinds.setdefault(fmt, {}).setdefault(k, 0)
                        kinds[fmt][k] += 1
                    passed += 1
                except AssertionError as err:
                    failed += 1
                    print(f"FAIL {doc['id']} {fmt}: {err}", file=sys.stderr)
    print(f"entry types: {json.dumps(kinds, sort_keys=True)}")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
