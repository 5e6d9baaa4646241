#!/usr/bin/env python3
"""Two commits of pustaka against each other, alternated on the same machine in the same run.

    python3 scripts/ab.py REV_A REV_B [--rounds N] [--what build,search,latency,http] [--http-rounds N]

Builds each revision's release binary (a detached git worktree under target/ab/, one shared
CARGO_TARGET_DIR so only pustaka itself is compiled twice), then alternates them, A B A B (the
order reversed every other round):

- build: `pustaka index ../shared/corpus-large` into a fresh directory, CPU seconds (user + sys
  of the process and its threads, getrusage of the child) and peak RSS;
- search: `pustaka search Q --json --limit 10` as a new process for each of the 40 queries of
  benches/queries.txt, CPU milliseconds per process;
- latency: this checkout's `benches/latency.rs` built against each revision (copied into its
  worktree, so that both are timed the same way: how the bench times changed on 2026-12-07, and
  a revision's own bench would time it the old way), 10 rounds a run: the
  p50 thread CPU of a user's search, of per_doc 0, without translations and of plain tantivy,
  and the mean of a user's search (where the slow queries show); over benches/queries.txt, or
  over the file `--queries` names (this checkout's, so an older revision reads it too);
- http: `scripts/peers.py http` (of this checkout) against each revision's `serve --no-cache`,
  5 rounds a run (`--http-rounds`: the kernel counts CPU in 10 ms ticks, so 5 rounds of 40
  requests move in steps of 0.05 ms; 25 rounds in steps of 0.01): server CPU per request, with
  the API's defaults and with per_doc 0.

Every revision searches an index its own binary built (built once, before the alternation), so
two revisions of different schema versions compare too.

Prints the medians and the ratio B / A. On a shared machine CPU time is the steady figure, and
alternating the two binaries gives both the same machine state; the ratio is the result, the
absolute times are that evening's. The README quotes these ratios with the revisions and date.
"""

import argparse
import json
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


def freshen(tree: Path) -> None:
    """Mark every source file of `tree` as changed now. The two worktrees share a target
    directory, where an artifact has the same name for both revisions, and cargo rebuilds
    it only when a source is newer than it: without this, the second revision built after the
    first was taken as up to date and both measures ran the first one's code."""
    for path in tree.rglob("*"):
        if path.is_file() and ".git" not in path.parts:
            os.utime(path)


def worktree(rev: str, work: Path) -> tuple:
    """The short hash of `rev` and its worktree under `work` (added the first time), its
    sources marked changed (freshen()), with the environment that builds it into the shared
    target directory."""
    sha = subprocess.run(
        ["git", "rev-parse", "--short", rev], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.strip()
    tree = work / f"wt-{sha}"
    if not tree.exists():
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(tree), sha],
            cwd=ROOT, check=True, capture_output=True,
        )
    freshen(tree)
    return sha, tree, dict(os.environ, CARGO_TARGET_DIR=str(work / "target"))


def build_binary(rev: str, work: Path) -> Path:
    """The release binary of `rev`, built in a worktree of its own."""
    sha, tree, env = worktree(rev, work)
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--bin", "pustaka"], cwd=tree, env=env, check=True
    )
    out = work / f"pustaka-{sha}"
    shutil.copy2(work / "target" / "release" / "pustaka", out)
    return out


def build_latency_bench(rev: str, work: Path) -> Path:
    """This checkout's latency bench built against `rev`, in its worktree."""
    sha, tree, env = worktree(rev, work)
    shutil.copy2(ROOT / "benches" / "latency.rs", tree / "benches" / "latency.rs")
    done = subprocess.run(
        ["cargo", "bench", "--bench", "latency", "--no-run", "--message-format=json"],
        cwd=tree, env=env, check=True, capture_output=True, text=True)
    exe = None
    for line in done.stdout.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable") \
                and msg["target"]["name"] == "latency":
            exe = msg["executable"]
    if exe is None:
        sys.exit(f"ab: no latency bench built for {rev}")
    out = work / f"latency-{sha}"
    shutil.copy2(exe, out)
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


def alternate(names: list, rounds: int, one) -> dict:
    """`one(name)` for each revision, A B then B A, `rounds` times; the results by name."""
    out = {name: [] for name in names}
    for r in range(rounds):
        for name in names if r % 2 == 0 else names[::-1]:
            out[name].append(one(name))
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
    ap.add_argument("--http-rounds", type=int, default=5)
    ap.add_argument("--queries", type=Path,
                    help="the latency bench's queries (default: benches/queries.txt)")
    args = ap.parse_args()
    if not LARGE.is_dir():
        print(f"ab: {LARGE} not found (it holds corpus-large)", file=sys.stderr)
        return 1
    work = ROOT / "target" / "ab"
    work.mkdir(parents=True, exist_ok=True)
    revs = [args.a, args.b]
    bins = {rev: build_binary(rev, work) for rev in revs}
    what = args.what.split(",")
    scratch = Path(tempfile.mkdtemp(prefix="pustaka-ab-"))
    try:
        if "build" in what:
            def build(rev):
                index = scratch / "build"
                shutil.rmtree(index, ignore_errors=True)
                return child_cpu([bins[rev], "--index", index, "index", LARGE])
            runs = alternate(revs, args.rounds, build)
            report("build CPU", "s", {k: [c for c, _ in v] for k, v in runs.items()})
            report("build peak RSS", "MiB", {k: [m for _, m in v] for k, v in runs.items()})
        indexes = {}
        if any(w in what for w in ("search", "latency", "http")):
            for i, rev in enumerate(revs):
                indexes[rev] = scratch / f"index-{i}"
                subprocess.run([bins[rev], "--index", indexes[rev], "index", LARGE], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if "search" in what:
            queries = [q.strip() for q in QUERIES.read_text().splitlines()
                       if q.strip() and not q.startswith("#")]

            def search(rev):
                return [1000 * child_cpu([bins[rev], "--index", indexes[rev], "search", q,
                                          "--json", "--limit", "10"])[0] for q in queries]
            runs = alternate(revs, max(2, args.rounds // 2), search)
            report("whole-process search CPU", "ms",
                   {k: [x for run in v for x in run] for k, v in runs.items()})
        if "latency" in what:
            benches = {rev: build_latency_bench(rev, work) for rev in revs}

            def latency(rev):
                env = dict(os.environ, PUSTAKA_BENCH_INDEX=str(indexes[rev]),
                           PUSTAKA_BENCH_ROUNDS="10")
                if args.queries:
                    env["PUSTAKA_BENCH_QUERIES"] = str(args.queries.resolve())
                out = subprocess.run([benches[rev]], env=env, check=True, capture_output=True,
                                     text=True).stdout
                return json.loads([x for x in out.splitlines() if x.startswith("{")][-1])
            runs = alternate(revs, args.rounds, latency)
            for key, title in (("pustaka_thread_cpu", "a user's search"),
                               ("pustaka_per_doc0_thread_cpu", "per_doc 0"),
                               ("pustaka_untranslated_thread_cpu", "no translations"),
                               ("baseline_thread_cpu", "plain tantivy")):
                report(f"in-process p50 thread CPU, {title}", "ms",
                       {k: [r[key]["p50_ms"] for r in v] for k, v in runs.items()})
            report("in-process mean thread CPU, a user's search", "ms",
                   {k: [r["pustaka_thread_cpu"]["mean_ms"] for r in v] for k, v in runs.items()})
        if "http" in what:
            def http(rev):
                out = subprocess.run(
                    [sys.executable, str(ROOT / "scripts" / "peers.py"), "http", "--bin",
                     str(bins[rev]), "--index", str(indexes[rev]), "--rounds",
                     str(args.http_rounds)],
                    check=True, capture_output=True, text=True).stdout
                return json.loads(out)["variants"]
            runs = alternate(revs, args.rounds, http)
            for variant in next(iter(runs.values()))[0]:
                report(f"HTTP server CPU per request, {variant}", "ms",
                       {k: [r[variant]["server_cpu_ms_per_request"] for r in v]
                        for k, v in runs.items()})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        for tree in work.glob("wt-*"):
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT,
                           capture_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
