#!/usr/bin/env python3
"""Two commits of pustaka against each other, alternated on the same machine in the same run.

    python3 scripts/ab.py REV_A REV_B [--rounds N] [--what build,search]

Builds each revision's release binary (a detached git worktree under target/ab/, one shared
CARGO_TARGET_DIR so only pustaka itself is compiled twice), then alternates them, A B A B (the
order reversed every other round):

- build: `pustaka index ../shared/corpus-large` into a fresh directory, CPU seconds (user + sys
  of the process and its threads, getrusage of the child) and peak RSS;
- search: `pustaka search Q --json --limit 10` as a new process for each of the 40 queries of
  benches/queries.txt on an index built once by REV_B, CPU milliseconds per process.

Prints the medians and the ratio B / A. On a shared machine CPU time is the steady figure, and
alternating the two binaries gives both the same machine state; the ratio is the result, the
absolute times are that evening's. The README quotes these ratios with the revisions and date.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LARGE = ROOT.parent / "shared" / "corpus-large"
QUERIES = ROOT / "benches" / "queries.txt"


def build_binary(rev: str, work: Path) -> Path:
    """The release binary of `rev`, built in a worktree of its own."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    tree = work / f"wt-{sha}"
    if not tree.exists():
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(tree), sha],
            cwd=ROOT, check=True, capture_output=True,
        )
    env = dict(os.environ, CARGO_TARGET_DIR=str(work / "target"))
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bin", "pustaka"], cwd=tree, env=env, check=True
    )
    out = work / f"pustaka-{sha}"
    shutil.copy2(work / "target" / "release" / "pustaka", out)
    return out


def child_cpu(cmd: list) -> tuple:
    """Run `cmd`; its CPU seconds (user + sys, its threads included) and peak RSS in MiB, from
    the rusage of that one child (`wait4`), not of every child so far."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def alternate(bins: dict, rounds: int, one) -> dict:
    """`one(binary)` for each binary, A B then B A, `rounds` times; the results by name."""
    out = {name: [] for name in bins}
    names = list(bins)
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            out[name].append(one(bins[name]))
    return out


def report(title: str, unit: str, results: dict) -> None:
    (a, xs), (b, ys) = results.items()
    ma, mb = statistics.median(xs), statistics.median(ys)
    print(f"{title}: A {a} median {ma:.3f} {unit} (min {min(xs):.3f}, max {max(xs):.3f}); "
          f"B {b} median {mb:.3f} {unit} (min {min(ys):.3f}, max {max(ys):.3f}); B / A {mb / ma:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--what", default="build,search")
    args = ap.parse_args()
    if not LARGE.is_dir():
        print(f"ab: {LARGE} not found (it holds corpus-large)", file=sys.stderr)
        return 1
    work = ROOT / "target" / "ab"
    work.mkdir(parents=True, exist_ok=True)
    bins = {rev: build_binary(rev, work) for rev in (args.a, args.b)}
    what = args.what.split(",")
    scratch = Path(tempfile.mkdtemp(prefix="pustaka-ab-"))
    try:
        if "build" in what:
            def build(binary):
                index = scratch / "build"
                shutil.rmtree(index, ignore_errors=True)
                return child_cpu([binary, "--index", index, "index", LARGE])
            runs = alternate(bins, args.rounds, build)
            report("build CPU", "s", {k: [c for c, _ in v] for k, v in runs.items()})
            report("build peak RSS", "MiB", {k: [m for _, m in v] for k, v in runs.items()})
        if "search" in what:
            index = scratch / "search"
            subprocess.run([bins[args.b], "--index", index, "index", LARGE], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            queries = [q.strip() for q in QUERIES.read_text().splitlines()
                       if q.strip() and not q.startswith("#")]

            def search(binary):
                return [1000 * child_cpu([binary, "--index", index, "search", q, "--json",
                                          "--limit", "10"])[0] for q in queries]
            runs = alternate(bins, max(2, args.rounds // 2), search)
            report("whole-process search CPU", "ms",
                   {k: [x for run in v for x in run] for k, v in runs.items()})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        for tree in work.glob("wt-*"):
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT,
                           capture_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
