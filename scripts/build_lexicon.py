#!/usr/bin/env python3
"""Derive pustaka's English-Indonesian lexicon from Debian's dict-freedict-eng-ind.

The derived file, src/text/lexicon/freedict-eng-ind.tsv, is committed (CC BY-SA 3.0, as its
source; see src/text/lexicon/README.md), so a build needs neither the package nor this script.
To regenerate it:

    apt-get download dict-freedict-eng-ind      # 2022.12.07-2, about 500 KB
    dpkg -x dict-freedict-eng-ind_*.deb /tmp/fd
    python3 scripts/build_lexicon.py /tmp/fd/usr/share/dictd > src/text/lexicon/freedict-eng-ind.tsv

The dictd files are an index (headword, base64 offset, base64 length) and a gzip-compatible
body. Each entry is a header line `headword /ipa/ <pos>` followed by senses, each a line of
translations (comma-separated, numbered `1. ` when there are several senses) and a line of
English gloss. Output: one line per English headword (lower case), `english<TAB>pos<TAB>id1|id2`,
translations in the dictionary's order (its first sense first), without duplicates.
"""

import gzip
import os
import re
import sys

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

# Parts of speech kept: words and names a query or a paragraph holds (not affixes).
KEEP_POS = {"n", "v", "adj", "adv", "pn", "prep", "conj", "pron", "num", "phrase", "prop", "determiner"}


def b64(s):
    n = 0
    for c in s:
        n = n * 64 + B64.index(c)
    return n


def entries(dictd):
    index = os.path.join(dictd, "freedict-eng-ind.index")
    body = gzip.open(os.path.join(dictd, "freedict-eng-ind.dict.dz")).read()
    for line in open(index, encoding="utf-8"):
        head, off, length = line.rstrip("\n").split("\t")
        if head.startswith("00database"):
            continue
        yield head, body[b64(off): b64(off) + b64(length)].decode("utf-8")


def clean(t):
    """One translation as a plain lower-case word or phrase, or None."""
    t = re.sub(r"\([^)]*\)", " ", t)
    t = re.sub(r"\s+", " ", t).strip().lower()
    if not t or not re.fullmatch(r"[a-zà-ÿ' -]+", t) or t.startswith("-") or t.endswith("-"):
        return None
    return t


def senses(text):
    """The part of speech and the translations of one entry, first sense first.

    The first line holds translations; when an entry has several senses, so does each
    numbered line (`2. anak`, or ` 3.` for a sense without one); any other line is a gloss."""
    lines = [l for l in text.split("\n")[1:] if l.strip()]
    pos = re.findall(r"<([a-z]+)>", text.split("\n")[0])
    numbered = [l for l in lines if re.match(r"^\s*\d+\.", l)]
    trs_lines = lines[:1] + [l for l in numbered if l is not lines[0]]
    out = []
    for tr in trs_lines:
        tr = re.sub(r"^\s*\d+\.\s*", "", tr)
        tr = re.sub(r"\s*\d+\.\s*$", "", tr)
        for piece in re.split(r"[,;]", tr):
            c = clean(piece)
            if c and c not in out:
                out.append(c)
    return (pos[0] if pos else ""), out


def main():
    dictd = sys.argv[1]
    merged = {}
    for head, text in entries(dictd):
        pos, trs = senses(text)
        if pos not in KEEP_POS or not trs:
            continue
        en = head.strip().lower()
        if not re.fullmatch(r"[a-z][a-z' -]*", en):
            continue
        have = merged.setdefault(en, [pos, []])
        for t in trs:
            if t not in have[1]:
                have[1].append(t)
    print("# English-Indonesian pairs derived from FreeDict eng-ind 2022.11.18 (Debian")
    print("# dict-freedict-eng-ind 2022.12.07-2), CC BY-SA 3.0; see README.md here.")
    for en in sorted(merged):
        pos, trs = merged[en]
        print(f"{en}\t{pos}\t{'|'.join(trs)}")


if __name__ == "__main__":
    main()
