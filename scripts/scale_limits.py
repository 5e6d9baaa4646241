#!/usr/bin/env python3
"""The helper of scripts/scale_limits.sh: slices of corpus-large, the figures of each run, the fits
and the report (docs/bench/scale.md).

Subcommands (progress and errors go to stderr):

    python3 scripts/scale_limits.py machine
        One JSON object: UTC time, CPU model, CPUs (os.cpu_count and the ones this process may run
        on, as `nproc` counts them), RAM (MemTotal of /proc/meminfo), kernel, load average.

    python3 scripts/scale_limits.py binary PUSTAKA
        One JSON object: `pustaka --version`, size, modification time (UTC) and sha256 of the binary;
        the commit (HEAD) and the files under src/ (and Cargo.*) changed but not committed, now.

    python3 scripts/scale_limits.py slice CORPUS OUTDIR first|stride --shares SHARE... --files FILE...
        For each SHARE (a percentage): OUTDIR/sSHARE/corpus/FILE holding the first SHARE % of the
        records (non-blank lines) of CORPUS/FILE, by record (`first`; rounded down, at least one),
        or every k-th record evenly spread (`stride`), for every FILE, so that the languages scale
        together; and OUTDIR/sSHARE/subset.json (records and bytes per file).

    python3 scripts/scale_limits.py build-figures MEASURE.json STATS.json
        Prints (stderr) what a build took and what the index holds.

    python3 scripts/scale_limits.py dupes-figures OUT.json MEASURE.json
        Adds to MEASURE.json (what scripts/lib/measure.sh wrote about a `pustaka dupes --json` run)
        the counts of its output OUT.json: passages (with fingerprints), formulaic, candidates
        (aligned), skipped (not aligned), exhaustive, total (pairs found), total_cross_doc, groups,
        took_ms, and the size of the output.

    python3 scripts/scale_limits.py report --dir TMP --shares 25 50 100 --rounds N --md OUT.md
            --json OUT.json --command "..."
        Reads what scale_limits.sh left in TMP, fits, extrapolates to 1 M and 10 M passages,
        writes the markdown report and the raw figures, and prints the tables.

How it fits, for a figure y measured at n passages (n = passages in the index, `stats --json`),
over the shares' medians across rounds:
  - linear: y = a + b·n, least squares over the points;
  - power law: y = c·n^k, least squares of log y on log n (k = 1 is linear, k = 2 quadratic);
    the local exponents between consecutive shares, log(y2/y1) / log(n2/n1), show whether k holds.
Build CPU, index size and peak RSS are extrapolated linearly (work and bytes per passage), the
figures of `dupes` (candidates, pairs, CPU) by the power law; every row gives both, so a reader
can see how far the two part.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGETS = [1_000_000, 10_000_000]
DUPES_RUNS = [("limit50", "`dupes --json --limit 50`"), ("all", "`dupes --json --count-all`")]
HOUR_CPU_S = 3600.0


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# machine, binary


def cmd_machine() -> dict:
    model = None
    mem = None
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1]) * 1024
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = os.cpu_count()
    return {"utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
            "cpu_model": model or platform.processor() or platform.machine(),
            "cores": os.cpu_count(), "nproc": usable, "mem_total_bytes": mem,
            "kernel": platform.release(), "arch": platform.machine(), "loadavg": list(os.getloadavg())}


def cmd_binary(path: Path) -> dict:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    st = path.stat()
    try:
        version = subprocess.run([str(path), "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        version = "?"
    changed = [l[3:] for l in _git("status", "--porcelain", "--", "src", "Cargo.toml", "Cargo.lock",
                                   strip=False).splitlines() if l.strip()]
    # Changed files dated before the binary could be in it; those dated after cannot.
    older = [c for c in changed if (ROOT / c).exists() and (ROOT / c).stat().st_mtime <= st.st_mtime]
    commit_time = _git("show", "-s", "--format=%ct", "HEAD")
    return {"path": str(path), "version": version, "bytes": st.st_size, "sha256": h.hexdigest(),
            "mtime_utc": datetime.datetime.fromtimestamp(st.st_mtime, datetime.timezone.utc)
            .strftime("%Y-%m-%d %H:%M:%S"),
            "commit": _git("rev-parse", "--short", "HEAD") or "?",
            "commit_utc": _git("show", "-s", "--format=%cI", "HEAD"),
            "changed_at_copy": changed, "changed_before_binary": older,
            "binary_before_commit": bool(commit_time) and st.st_mtime < int(commit_time)}


# ---------------------------------------------------------------------------------------------
# slice


def cmd_slice(corpus: Path, out: Path, mode: str, shares: list[int], names: list[str]) -> None:
    lines = {}
    for name in names:
        with (corpus / name).open("rb") as f:
            lines[name] = [l if l.endswith(b"\n") else l + b"\n" for l in f if l.strip()]
    for share in shares:
        d = out / f"s{share}" / "corpus"
        d.mkdir(parents=True, exist_ok=True)
        records, sizes = {}, {}
        for name in names:
            recs = lines[name]
            if mode == "first":
                kept = recs[:max(1, len(recs) * share // 100)]
            else:
                # Record i is kept when floor((i + 1) * share / 100) steps up: evenly spread.
                kept = [r for i, r in enumerate(recs) if (i + 1) * share // 100 > i * share // 100]
            with (d / name).open("wb") as f:
                f.writelines(kept)
            records[name] = len(kept)
            sizes[name] = (d / name).stat().st_size
        (out / f"s{share}" / "subset.json").write_text(json.dumps(
            {"share": share, "mode": mode, "records": records, "bytes": sizes,
             "of_records": {n: len(lines[n]) for n in names}}))
        log(f"  {share:3d} %: " + ", ".join(f"{records[n]:,} of {len(lines[n]):,} records of {n}"
                                          for n in names)
            + f"; {sum(sizes.values()) / 1e6:.1f} MB")


# ---------------------------------------------------------------------------------------------
# build-figures, dupes-figures


def cmd_build_figures(measure: Path, stats: Path) -> None:
    b, s = json.loads(measure.read_text()), json.loads(stats.read_text())
    log(f"    CPU {b['cpu_s']:.2f} s, wall {b['wall_s']:.2f} s, peak RSS {b['max_rss_kb'] / 1024:.0f} MiB; "
        f"{s['documents']:,} documents, {s['passages']:,} passages, {s['size_bytes'] / 1e6:.1f} MB")


def cmd_dupes_figures(out: Path, measure: Path) -> None:
    with out.open() as f:
        r = json.load(f)
    fig = json.loads(measure.read_text())
    fig.update({k: r.get(k) for k in ("passages", "formulaic", "candidates", "skipped", "exhaustive",
                                      "total", "total_cross_doc", "took_ms")})
    fig["groups"] = len(r.get("groups") or [])
    fig["listed"] = len(r.get("pairs") or [])
    fig["out_bytes"] = out.stat().st_size
    measure.write_text(json.dumps(fig))
    log(f"    CPU {fig['cpu_s']:.2f} s, wall {fig['wall_s']:.2f} s, peak RSS {fig['max_rss_kb'] / 1024:.0f} MiB; "
        f"{fig['candidates']:,} candidates aligned, {fig['skipped']:,} skipped, {fig['total']:,} pairs found"
        f" ({'exhaustive' if fig['exhaustive'] else 'stopped early'})")


# ---------------------------------------------------------------------------------------------
# fits


def fit_linear(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least squares y = a + b·x."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx
    return my - b * mx, b


def fit_power(xs: list[float], ys: list[float]) -> tuple[float, float] | None:
    """Least squares of log y = log c + k·log x; None when a figure is not positive."""
    if any(y <= 0 for y in ys):
        return None
    a, k = fit_linear([math.log(x) for x in xs], [math.log(y) for y in ys])
    return math.exp(a), k


def local_exponents(xs: list[float], ys: list[float]) -> list[float | None]:
    return [math.log(y2 / y1) / math.log(x2 / x1) if y1 > 0 and y2 > 0 else None
            for (x1, y1), (x2, y2) in zip(zip(xs, ys), zip(xs[1:], ys[1:]))]


class Fit:
    def __init__(self, name: str, unit: str, xs: list[float], ys: list[float], model: str, nd: int):
        self.name, self.unit, self.xs, self.ys, self.model, self.nd = name, unit, xs, ys, model, nd
        self.lin = fit_linear(xs, ys)
        self.pow = fit_power(xs, ys)
        self.local = local_exponents(xs, ys)

    def linear(self, n: float) -> float:
        return self.lin[0] + self.lin[1] * n

    def power(self, n: float) -> float | None:
        return None if self.pow is None else self.pow[0] * n ** self.pow[1]

    def top(self, n: float) -> float | None:
        """From the largest share on, at the exponent between the two largest shares."""
        k = self.local[-1] if self.local else None
        return None if k is None else self.ys[-1] * (n / self.xs[-1]) ** k

    def solve_top(self, y: float) -> float | None:
        k = self.local[-1] if self.local else None
        return None if k is None or k <= 0 else self.xs[-1] * (y / self.ys[-1]) ** (1 / k)

    def chosen(self, n: float) -> float | None:
        return self.linear(n) if self.model == "linear" else self.power(n)

    def other(self, n: float) -> float | None:
        return self.power(n) if self.model == "linear" else self.linear(n)

    def solve(self, y: float) -> float | None:
        """The passages at which the chosen model reaches y."""
        if self.model == "linear":
            a, b = self.lin
            return (y - a) / b if b > 0 else None
        if self.pow is None or self.pow[1] <= 0:
            return None
        c, k = self.pow
        return (y / c) ** (1 / k)

    def as_json(self) -> dict:
        return {"name": self.name, "unit": self.unit, "passages": self.xs, "values": self.ys,
                "model": self.model, "linear": {"a": self.lin[0], "b": self.lin[1]},
                "power": None if self.pow is None else {"c": self.pow[0], "k": self.pow[1]},
                "local_exponents": self.local,
                "extrapolated": {str(n): {"chosen": self.chosen(n), "linear": self.linear(n),
                                          "power": self.power(n), "top_local_k": self.top(n)}
                                 for n in TARGETS}}


# ---------------------------------------------------------------------------------------------
# report


def _num(x, nd=2) -> str:
    if x is None:
        return "—"
    return f"{x:,.{nd}f}"


def _bytes(b) -> str:
    if b is None:
        return "—"
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if abs(b) >= size:
            return f"{b / size:,.1f} {unit}"
    return f"{b:,.0f} B"


def _mib(kb) -> str:
    return "—" if kb is None else f"{kb / 1024:,.0f}"


def _dur(s) -> str:
    if s is None:
        return "—"
    if abs(s) < 120:
        return f"{s:,.1f} s"
    if abs(s) < 7200:
        return f"{s / 60:,.1f} min"
    return f"{s / 3600:,.1f} h"


def _spread(vals: list[float], nd: int) -> str:
    """median, with min–max when the rounds differ."""
    m = statistics.median(vals)
    if len(vals) > 1 and max(vals) != min(vals):
        return f"{m:,.{nd}f} ({min(vals):,.{nd}f}–{max(vals):,.{nd}f})"
    return f"{m:,.{nd}f}"


def _git(*argv, strip: bool = True) -> str:
    try:
        out = subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True).stdout
        return out.strip() if strip else out
    except OSError:
        return ""


def _load(p: Path):
    return json.loads(p.read_text()) if p.exists() and p.read_text().strip() else None


def gather(d: Path, shares: list[int], rounds: int) -> list[dict]:
    rows = []
    for share in shares:
        s = d / f"s{share}"
        runs = []
        for r in range(1, rounds + 1):
            rd = s / f"r{r}"
            runs.append({"round": r, "build": _load(rd / "build.json"), "stats": _load(rd / "stats.json"),
                         "du_bytes": int((rd / "du").read_text()) if (rd / "du").exists() else None,
                         **{k: _load(rd / f"dupes-{k}.json") for k, _ in DUPES_RUNS}})
        rows.append({"share": share, "subset": _load(s / "subset.json"), "runs": runs})
    return rows


def med(row: dict, *path):
    vals = []
    for run in row["runs"]:
        v = run
        for p in path:
            v = None if v is None else v.get(p)
        if v is not None:
            vals.append(v)
    return statistics.median(vals) if vals else None


def vals(row: dict, *path) -> list:
    out = []
    for run in row["runs"]:
        v = run
        for p in path:
            v = None if v is None else v.get(p)
        if v is not None:
            out.append(v)
    return out


def cmd_report(args) -> None:
    d: Path = args.dir
    rows = gather(d, args.shares, args.rounds)
    before = _load(d / "machine-before.json")
    after = cmd_machine()
    binary = _load(d / "binary.json") or {}
    commit = binary.get("commit") or _git("rev-parse", "--short", "HEAD") or "?"
    changed = binary.get("changed_at_copy") or []
    mode = rows[0]["subset"]["mode"] if rows[0]["subset"] else "first"
    m = before or after
    mem = m.get("mem_total_bytes")

    # Measured: medians over rounds (min–max in brackets when the rounds differ).
    index_head = ["share", "records", "passages", "with fingerprints", "index size",
                  "build CPU s", "build wall s", "build peak RSS MiB"]
    index_table = []
    for row in rows:
        sub = row["subset"] or {}
        index_table.append([
            f"{row['share']} %", f"{sum((sub.get('records') or {}).values()):,}",
            f"{int(med(row, 'stats', 'passages')):,}", f"{int(med(row, 'all', 'passages')):,}",
            _bytes(med(row, "stats", "size_bytes")),
            _spread(vals(row, "build", "cpu_s"), 2), _spread(vals(row, "build", "wall_s"), 2),
            _mib(med(row, "build", "max_rss_kb"))])
    dupes_head = ["share", "dupes call", "CPU s", "wall s", "peak RSS MiB", "candidates aligned",
                  "not aligned", "pairs found"]
    dupes_table = []
    for row in rows:
        for k, label in DUPES_RUNS:
            dupes_table.append([
                f"{row['share']} %", label, _spread(vals(row, k, "cpu_s"), 2),
                _spread(vals(row, k, "wall_s"), 2), _mib(med(row, k, "max_rss_kb")),
                f"{int(med(row, k, 'candidates')):,}", f"{int(med(row, k, 'skipped')):,}",
                f"{int(med(row, k, 'total')):,}" + ("" if all(vals(row, k, "exhaustive")) else " (so far)")])

    xs = [med(r, "stats", "passages") for r in rows]
    fits = [
        Fit("build CPU", "s", xs, [med(r, "build", "cpu_s") for r in rows], "linear", 1),
        Fit("index size", "bytes", xs, [med(r, "stats", "size_bytes") for r in rows], "linear", 0),
        Fit("build peak RSS", "KiB", xs, [med(r, "build", "max_rss_kb") for r in rows], "linear", 0),
        Fit("passages with fingerprints", "", xs, [med(r, "all", "passages") for r in rows], "linear", 0),
        Fit("dupes --limit 50: CPU", "s", xs, [med(r, "limit50", "cpu_s") for r in rows], "power", 1),
        Fit("dupes --limit 50: peak RSS", "KiB", xs, [med(r, "limit50", "max_rss_kb") for r in rows], "linear", 0),
        Fit("dupes --count-all: candidates aligned", "", xs, [med(r, "all", "candidates") for r in rows], "power", 0),
        Fit("dupes --count-all: pairs found", "", xs, [med(r, "all", "total") for r in rows], "power", 0),
        Fit("dupes --count-all: CPU", "s", xs, [med(r, "all", "cpu_s") for r in rows], "power", 1),
        Fit("dupes --count-all: peak RSS", "KiB", xs, [med(r, "all", "max_rss_kb") for r in rows], "linear", 0),
    ]
    by = {f.name: f for f in fits}

    def show(f: Fit, y) -> str:
        if y is None:
            return "—"
        if f.unit == "bytes":
            return _bytes(y)
        if f.unit == "KiB":
            return _bytes(y * 1024)
        if f.unit == "s":
            return _dur(y)
        return f"{y:,.0f}" if abs(y) < 1e6 else f"{y / 1e6:,.1f} M"

    def formula(f: Fit) -> str:
        if f.model == "power":
            return f"{f.pow[0]:.3g}·n^{f.pow[1]:.2f}" if f.pow else "—"
        a, b = f.lin
        per = {"s": f"{b * 1e3:.3f} ms", "bytes": _bytes(b), "KiB": _bytes(b * 1024)}.get(f.unit, f"{b:.3f}")
        return f"{per}/passage {'+' if a >= 0 else '−'} {show(f, abs(a))}"

    fit_head = ["figure", *[f"{r['share']} %" for r in rows], "k", "local k", "model", "fit",
                *[f"{n // 1_000_000} M passages" for n in TARGETS], "10 M, other model",
                "10 M, last local k"]
    fit_rows = [[f.name, *[show(f, y) for y in f.ys], f"{f.pow[1]:.2f}" if f.pow else "—",
                 " → ".join("—" if k is None else f"{k:.2f}" for k in f.local), f.model, formula(f),
                 *[show(f, f.chosen(n)) for n in TARGETS], show(f, f.other(TARGETS[-1])),
                 show(f, f.top(TARGETS[-1]))]
                for f in fits]

    # RAM need: the largest peak RSS of the three processes: linear (the chosen, the upper end) and
    # by the power laws (the lower end: RSS has grown slower than the passages here).
    rss_fits = [by["build peak RSS"], by["dupes --limit 50: peak RSS"], by["dupes --count-all: peak RSS"]]
    ram = {n: max(f.linear(n) for f in rss_fits) * 1024 for n in TARGETS}
    ram_pow = {n: max((f.power(n) or 0) for f in rss_fits) * 1024 for n in TARGETS}
    ram_hit = min((x for x in (f.solve(mem / 1024) for f in rss_fits) if x), default=None) if mem else None
    hour = by["dupes --count-all: CPU"].solve(HOUR_CPU_S)
    hour_top = by["dupes --count-all: CPU"].solve_top(HOUR_CPU_S)
    hour50 = by["dupes --limit 50: CPU"].solve(HOUR_CPU_S)

    def passages_text(n) -> str:
        if n is None:
            return "—"
        if n > 1e10:
            return "not below 10,000 M passages (it hardly grows)"
        return f"at about {n / 1e6:,.1f} M passages"

    full = rows[-1]
    fp_share = med(full, "all", "passages") / med(full, "stats", "passages")
    cand, cpu = by["dupes --count-all: candidates aligned"], by["dupes --count-all: CPU"]
    batch = [int(med(r, "limit50", "candidates")) for r in rows]
    locs = lambda f: " → ".join("—" if k is None else f"{k:.2f}" for k in f.local)
    notes = [
        "CPU seconds (user + sys of the process and its threads, from `/usr/bin/time -v`) are the "
        "figures to trust: the machine is shared, so wall seconds depend on what else runs; peak "
        "RSS is the process's maximum resident set.",
        f"Each figure is the median of {args.rounds} round{'s' if args.rounds != 1 else ''} "
        "(min–max in brackets when the rounds differ); rounds are interleaved (25, 50, 100 %, then "
        "again) and each builds every index from scratch.",
        "`dupes --json --limit 50` is the default call of a user (the 50 most similar pairs): it "
        "stops once no pair left could make the list, so its pairs found are those found by then "
        "(\"so far\"). `--count-all` aligns every candidate pair. Candidates aligned = `candidates` "
        "of the JSON, not aligned = `skipped`, pairs found = `total`; with fingerprints = `passages` "
        f"of the dupes JSON (the passages `dupes` considers: {fp_share:.0%} of the index at 100 %).",
        "Fits over the three shares, n = passages in the index: linear = least squares a + b·n; "
        "k = the exponent of the least-squares power law c·n^k on log–log (1 = linear, 2 = "
        "quadratic); local k = the exponent between consecutive shares (25→50, 50→100 %). Build "
        "CPU, index size and peak RSS are extrapolated linearly, the work of `dupes` by the power "
        "law; the last two columns give 10 M by the other model and by the local exponent between "
        "50 and 100 % carried on from the 100 % point, to show how far the estimates part.",
        f"1 M passages is {TARGETS[0] / xs[-1]:.0f}× and 10 M {TARGETS[1] / xs[-1]:.0f}× the largest "
        f"measured point, fitted over a {xs[-1] / xs[0]:.1f}× range: read the extrapolations as "
        "orders of magnitude.",
    ]
    if cand.pow and cpu.pow:
        top_k = max(k for k in (cand.local[-1], cpu.local[-1]) if k is not None)
        grows = ("about as fast as the corpus" if max(cand.pow[1], cpu.pow[1], top_k) <= 1.1 else
                 "faster than the corpus" if min(cand.pow[1], cpu.pow[1]) > 1.1 else
                 "faster than the corpus between the two largest shares")
        notes.append(
            f"`dupes --count-all` grows {grows}: candidates aligned ∝ n^{cand.pow[1]:.2f} "
            f"(local {locs(cand)}), CPU ∝ n^{cpu.pow[1]:.2f} (local {locs(cpu)}); carried on at the "
            f"last local exponent, its CPU at 10 M passages would be {_dur(cpu.top(TARGETS[-1]))} "
            f"rather than {_dur(cpu.power(TARGETS[-1]))}; `dupes --limit 50` "
            f"CPU ∝ n^{by['dupes --limit 50: CPU'].pow[1]:.2f}"
            + (f" (it aligned the same {batch[0]:,} candidates at every share; what grows is finding them)."
               if len(set(batch)) == 1 else f" (candidates aligned: {', '.join(f'{b:,}' for b in batch)})."))
    if mode == "first":
        notes.append(
            "Shares are the first records of each file: `id_court_decisions.jsonl` is ordered by "
            "category (the 220 `campuran` decisions first), so the shares differ in content as well "
            "as in size, and reuse within a category (where court formulas repeat) is part of what "
            "grows. `PUSTAKA_SCALE_SUBSET=stride` takes evenly spread records instead.")
    notes.append(
        "RAM: one machine needs at least the largest peak RSS of the three processes (the build, "
        "the two `dupes` calls): "
        + ", ".join(f"{_bytes(ram_pow[n])} – {_bytes(ram[n])} at {n // 1_000_000} M passages" for n in TARGETS)
        + " (power laws – linear fits; peak RSS has grown slower than the passages here, so the "
        "linear figure is the cautious one)"
        + (f"; this machine's {_bytes(mem)} are reached at about {ram_hit / 1e6:,.1f} M passages "
           "by the linear fits" if mem and ram_hit else "")
        + ". Searching fast also wants the index in the page cache (its size above), which RSS does "
        "not count.")
    notes.append(
        "An hour of CPU: `dupes --count-all` takes it " + passages_text(hour)
        + " by its power law (" + passages_text(hour_top) + " at its last local exponent)"
        + ", `dupes --limit 50` " + passages_text(hour50) + " by its power law; the build takes "
        + _dur(by["build CPU"].linear(TARGETS[-1])) + " of CPU at 10 M passages.")

    def text_table(h, t) -> list[str]:
        widths = [max(len(x), *(len(r[i]) for r in t)) for i, x in enumerate(h)]
        line = lambda cells: "  ".join(c.ljust(widths[i]) if i < 2 and not cells[i][:1].isdigit()
                                       else c.rjust(widths[i]) for i, c in enumerate(cells))
        return [line(h), "  ".join("-" * w for w in widths), *[line(r) for r in t]]

    def md_table(h, t, left=1) -> list[str]:
        return ["| " + " | ".join(h) + " |",
                "|" + "|".join(["---"] * left + ["---:"] * (len(h) - left)) + "|",
                *["| " + " | ".join(r) + " |" for r in t]]

    lb = " / ".join(f"{x:.2f}" for x in before["loadavg"]) if before else "?"
    la = " / ".join(f"{x:.2f}" for x in after["loadavg"])
    corpus_line = ", ".join(
        f"`{n}` {c:,} records" for n, c in ((rows[-1]["subset"] or {}).get("of_records") or {}).items())
    commit_line = f"{commit} (committed {binary.get('commit_utc') or '?'})"
    if changed:
        commit_line += f"; when the run started, {len(changed)} file(s) under src/ or Cargo.* had uncommitted changes"
        if binary.get("changed_before_binary"):
            commit_line += (f", {len(binary['changed_before_binary'])} of them dated before the binary "
                            "file: the binary may not be exactly this commit's")
        else:
            commit_line += ", all last modified after the binary file's date"
    if binary.get("binary_before_commit"):
        commit_line += "; the binary file is older than the commit: it may be an earlier build"
    md = [
        "# Single-machine limits: corpus-large at 25, 50 and 100 %",
        "",
        "Generated by `scripts/scale_limits.sh`; do not edit by hand (rerun it).",
        "",
        f"- **Taken**: {before['utc'] if before else '?'} – {after['utc']} UTC",
        f"- **Commit**: {commit_line}",
        f"- **Binary**: {binary.get('version', '?')}, sha256 {binary.get('sha256', '?')[:12]}…, "
        f"file dated {binary.get('mtime_utc', '?')} UTC",
        f"- **Machine**: {m['cpu_model']}, {m['nproc']} CPUs (`nproc`; shared with other work), "
        f"{_bytes(mem)} RAM, {m['arch']}, Linux {m['kernel']}; load average (1/5/15 min) {lb} "
        f"before, {la} after",
        f"- **Corpus**: the {'first' if mode == 'first' else 'evenly spread'} 25 / 50 / 100 % of the "
        f"records of each file of `corpus-large` ({corpus_line})",
        f"- **Command**: `{args.command}`",
        "- **Each share, each round**: `pustaka --index IDX index SLICE_DIR` (a new index), "
        "`pustaka --index IDX stats --json`, `pustaka --index IDX dupes --json --limit 50`, "
        "`pustaka --index IDX dupes --json --count-all`, each timed by `/usr/bin/time -v` "
        "(scripts/lib/measure.sh)",
        "",
        "## Index",
        "",
        *md_table(index_head, index_table),
        "",
        "## `dupes`",
        "",
        *md_table(dupes_head, dupes_table, 2),
        "",
        "## Fits and extrapolation",
        "",
        *md_table(fit_head, fit_rows),
        "",
        "## Notes",
        "",
        *[f"- {n}" for n in notes],
        "",
    ]
    args.md.parent.mkdir(parents=True, exist_ok=True)
    args.md.write_text("\n".join(md))
    raw = {"commit": commit, "binary": binary, "machine_before": before, "machine_after": after,
           "rounds": args.rounds, "mode": mode, "command": args.command, "rows": rows,
           "fits": [f.as_json() for f in fits],
           "ram_need_bytes": {"linear": {str(n): ram[n] for n in TARGETS},
                              "power": {str(n): ram_pow[n] for n in TARGETS}},
           "passages_at_machine_ram": ram_hit,
           "passages_at_one_cpu_hour": {"count_all": hour, "count_all_last_local_k": hour_top,
                                        "limit50": hour50}}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(raw, indent=1) + "\n")

    out = ["", f"Single-machine limits: commit {commit_line}; {m['nproc']} CPUs, {_bytes(mem)} RAM; "
               f"medians of {args.rounds} round{'s' if args.rounds != 1 else ''}; CPU seconds are the "
               "figures to trust on this shared machine", "",
           *text_table(index_head, index_table), "", *text_table(dupes_head, dupes_table), "",
           *text_table(fit_head, fit_rows), ""]
    out += [f"- {n}" for n in notes]
    print("\n".join(out))


# ---------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("machine")
    b = sub.add_parser("binary")
    b.add_argument("path", type=Path)
    s = sub.add_parser("slice")
    s.add_argument("corpus", type=Path)
    s.add_argument("out", type=Path)
    s.add_argument("mode", choices=["first", "stride"])
    s.add_argument("--shares", type=int, nargs="+", required=True)
    s.add_argument("--files", nargs="+", required=True)
    bf = sub.add_parser("build-figures")
    bf.add_argument("measure", type=Path)
    bf.add_argument("stats", type=Path)
    f = sub.add_parser("dupes-figures")
    f.add_argument("out", type=Path)
    f.add_argument("measure", type=Path)
    r = sub.add_parser("report")
    r.add_argument("--dir", type=Path, required=True)
    r.add_argument("--shares", type=int, nargs="+", required=True)
    r.add_argument("--rounds", type=int, required=True)
    r.add_argument("--md", type=Path, required=True)
    r.add_argument("--json", type=Path, required=True)
    r.add_argument("--command", required=True)
    args = ap.parse_args()
    if args.cmd == "machine":
        print(json.dumps(cmd_machine()))
    elif args.cmd == "binary":
        print(json.dumps(cmd_binary(args.path)))
    elif args.cmd == "slice":
        cmd_slice(args.corpus, args.out, args.mode, args.shares, args.files)
    elif args.cmd == "build-figures":
        cmd_build_figures(args.measure, args.stats)
    elif args.cmd == "dupes-figures":
        cmd_dupes_figures(args.out, args.measure)
    else:
        cmd_report(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
