#!/usr/bin/env python3
"""List functions in src/ longer than a limit (default 80 lines), skipping `#[cfg(test)]` modules.

Issue 12 asks for no function over 80 lines outside tests; this is the check. A function's length is
counted from its `fn` line to its closing brace, by brace depth (strings and comments are stripped
first, so a brace in a literal does not count). Exits 1 when any function is over the limit.
"""
import re
import sys
from pathlib import Path

LIMIT = int(sys.argv[1]) if len(sys.argv) > 1 else 80
FN = re.compile(r"^\s*(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?(unsafe\s+)?fn\s+(\w+)")


def strip(line):
    line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
    line = re.sub(r"'(\\.|[^'\\])'", "''", line)
    return line.split("//", 1)[0]


def functions(path):
    lines = path.read_text().splitlines()
    i, out = 0, []
    while i < len(lines):
        if lines[i].strip() == "#[cfg(test)]":
            break  # test modules sit at the end of a file here
        m = FN.match(lines[i])
        if m:
            depth, j, opened = 0, i, False
            while j < len(lines):
                s = strip(lines[j])
                if not opened and ";" in s and "{" not in s:
                    break  # a declaration without a body
                depth += s.count("{") - s.count("}")
                opened = opened or "{" in s
                if opened and depth <= 0:
                    out.append((j - i + 1, m.group(6), i + 1))
                    break
                j += 1
        i += 1
    return out


long = []
for path in sorted(Path("src").rglob("*.rs")):
    for n, name, line in functions(path):
        if n > LIMIT:
            long.append((n, f"{path}:{line}", name))
for n, where, name in sorted(long, reverse=True):
    print(f"{n:4}  {where}  {name}")
sys.exit(1 if long else 0)
