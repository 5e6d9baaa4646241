#!/usr/bin/env python3
"""Where the CPU of a build and of a server's searches goes, by stage: the profiles the README
quotes, taken again by one command instead of remembered.

    python3 scripts/profile.py [--bin PUSTAKA] [--corpus DIR] [--what build,server]
                               [--out docs/bench/profile.md] [--keep DIR]

- build: `perf record` of `pustaka index` over ../shared/corpus-large (a new index in a temporary
  directory), every thread of the process;
- server: `perf record -p` of `pustaka serve --no-cache` on that index while this script sends it
  the 40 queries of benches/queries.txt over one keep-alive connection (the API's defaults, then
  `&per_doc=0`), rounds after a warm-up round; only the requests are profiled.

Each sample's call stack (`--call-graph dwarf`) is read from `perf script` and counted toward the
stages whose functions are on it: at each level of the tables the innermost one (a stage's share
holds the stages indented under it, which do not overlap; a sample in no stage is counted by what
else it holds). Stacks perf could not unwind to the outermost frame are counted by what
they do hold: a search's sample cut short above `Search::answer` still names tantivy's or
pustaka's search functions, and is reported on its own line rather than guessed into a stage.
Writes the markdown (date UTC, commit, machine, the commands, sample counts, the tables) and prints
it. Needs `perf` (linux-perf) allowed to profile (kernel.perf_event_paranoid ≤ 2 for one's own
processes); without it, or without the corpus, says so and exits 0. About 2 minutes on 2 cores
and 1–2 GB of temporary disk (dwarf stacks are large).

The shares are of one run on a shared machine; a stage's share moves by a point or two between
runs. The figures to compare across commits are ratios of `scripts/ab.py`, not these.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.dont_write_bytecode = True  # no scripts/__pycache__ left in the checkout
import peers  # noqa: E402  (scripts/peers.py: the bench's server harness and machine facts)

ROOT = Path(__file__).resolve().parent.parent
NAMES = ("id_court_decisions.jsonl", "en_plos_fulltext.jsonl")

# (label, frames any of which on the stack puts a sample in the stage, depth). A stage at depth
# d > 0 is part of the nearest stage above it at depth d - 1.
BUILD_STAGES = [
    ("reading the source files (`ingest::read`)", ["pustaka::ingest::read::"], 0),
    ("cutting the documents into passages (`ingest::cut_for_index`)", ["pustaka::ingest::cut_for_index"], 0),
    ("reading each passage's words for its fields and fingerprints (`text::forms`)", ["pustaka::text::forms::forms"], 1),
    ("cleaning lines: page headers, footers, hyphenation (`normalize::clean`)", ["pustaka::ingest::normalize::clean"], 1),
    ("segmentation: headings, chapters, sections, kinds (`ingest::segment`)", ["pustaka::ingest::segment::"], 1),
    ("language of each passage (`enrich::lang::assign`)", ["pustaka::enrich::lang::assign"], 1),
    ("each document's words counted for its line-end hyphens, when one needs them (`hyphen::count_words`)", ["pustaka::ingest::hyphen::count_words"], 1),
    ("citations and bibliography entries (`enrich::cite`)", ["pustaka::enrich::cite::annotate"], 1),
    ("document metadata (`enrich::meta`)", ["pustaka::enrich::meta::extract"], 1),
    ("making tantivy documents (`index::to_document`)", ["pustaka::index::to_document"], 0),
    ("formulaic passages and manifest after the commit (`index::formulaic`)", ["pustaka::index::formulaic::"], 0),
]

SERVER_STAGES = [
    ("the search (`api::Search::answer`)", ["pustaka::api::Search::answer"], 0),
    ("the scored first pass over every match (the collectors driving `search::union`, `cancel::Stopping`)", ["search_with_statistics_provider"], 1),
    # Counting each document's matches for the cap per document is inlined into the first
    # pass's loop since e9c6efe (`UnionScorer::drain`), so no frame names it: what it costs is
    # the latency bench's per_doc 0 arm against a user's search.
    ("building the query (`Builder::build`)", ["pustaka::search::builder::Builder::build"], 1),
    ("of it, translations (`builder::translate`)", ["pustaka::search::builder::translate::"], 2),
    ("of them, the dictionary's senses (`lexicon::Compiled::senses`)", ["pustaka::text::lexicon::"], 3),
    ("of them, the passages of each sense read to choose among them (`translate::docs`)",
     ["pustaka::search::builder::Builder>::docs"], 3),
    ("the candidates' forms, read for re-ranking and `via` (`rerank::mark`)",
     ["pustaka::search::rerank::mark"], 1),
    ("the hits: stored fields, highlights, snippets (`Engine::hit`)", ["pustaka::index::Engine>::hit"], 1),
    ("of them, reading stored fields (`StoreReader::get`)", ["tantivy::store::reader::StoreReader::get"], 2),
    ("of them, highlighting and snippets", ["pustaka::search::snippet::"], 2),
    ("the rest of `via`, the translations a hit was found through (`Engine::vias`)",
     ["pustaka::index::Engine>::vias"], 1),
    ("the page spread over documents and each one's `more` (`group::spread`, `group::more_after`)",
     ["pustaka::search::group::spread", "pustaka::search::group::more_after"], 1),
    ("the response's JSON (`serde_json::ser`)", ["serde_json::ser::"], 0),
]


def log(msg: str) -> None:
    print(f"== {msg}", file=sys.stderr, flush=True)


def run(cmd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, **kw)


def perf_usable() -> str | None:
    """Why perf cannot profile here, or None when it can."""
    if shutil.which("perf") is None:
        return "perf is not installed (Debian: apt-get install linux-perf)"
    probe = subprocess.run(["perf", "record", "-e", "cpu-clock", "-o", "/dev/null", "--", "true"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return f"perf cannot record here: {probe.stderr.strip()[:200]}"
    return None


def frames_of_samples(script_path: Path):
    """Yield (thread name, [frames, leaf first]) for each sample of `perf script` output; a frame
    is `symbol+offset (object)`."""
    comm, frames = None, []
    with open(script_path, errors="replace") as f:
        for line in f:
            if not line.strip():
                if comm is not None:
                    yield comm, frames
                comm, frames = None, []
            elif line[0] in " \t":
                parts = line.split(None, 1)
                if len(parts) == 2:
                    frames.append(parts[1].rstrip())
            else:
                comm, frames = line.split(None, 1)[0], []
    if comm is not None:
        yield comm, frames


def parents(stages) -> list[int | None]:
    """The index of each stage's parent: the nearest stage before it one level up."""
    out: list[int | None] = []
    for i, (_, _, depth) in enumerate(stages):
        out.append(next((j for j in range(i - 1, -1, -1) if stages[j][2] == depth - 1), None)
                   if depth else None)
    return out


def assign(frames: list[str], stages, up) -> set[int]:
    """The stages a sample counts toward: at each level, the one whose function is nearest the
    leaf (the innermost: a stage that calls another gives it the samples spent in it), among
    those under the stage it counted toward one level up."""
    at = {}
    for i, (_, pats, _) in enumerate(stages):
        hits = [k for k, f in enumerate(frames) if any(p in f for p in pats)]
        if hits:
            at[i] = min(hits)
    chosen: set[int] = set()
    for depth in sorted({d for _, _, d in stages}):
        cands = [i for i in at if stages[i][2] == depth and (up[i] is None or up[i] in chosen)]
        if cands:
            chosen.add(min(cands, key=lambda i: at[i]))
    return chosen


def tally(script_path: Path, stages, extra):
    """Samples in all, per stage, per thread name, and per `extra` category of the samples that
    count toward no stage."""
    up = parents(stages)
    total, per_stage, threads, extras = 0, [0] * len(stages), {}, {}
    for comm, frames in frames_of_samples(script_path):
        total += 1
        threads[comm] = threads.get(comm, 0) + 1
        chosen = assign(frames, stages, up)
        for i in chosen:
            per_stage[i] += 1
        key = None if chosen else extra(comm, "\n".join(frames))
        if key:
            extras[key] = extras.get(key, 0) + 1
    return total, per_stage, threads, extras


def perf_script(data: Path, out: Path) -> None:
    with open(out, "w") as f:
        run(["perf", "script", "-i", str(data), "-F", "comm,tid,time,event,ip,sym,dso"],
            stdout=f, stderr=subprocess.DEVNULL)


def share(n: int, total: int) -> str:
    return f"{100 * n / total:.1f}%" if total else "—"


def stage_rows(stages, per_stage, total) -> list[str]:
    """The table's rows: each stage, indented under its parent, and after the stages under a
    top-level stage what of it they leave (its own work and what no stage names)."""
    rows = ["| stage | samples | share of the process's CPU |", "|---|---:|---:|"]
    up = parents(stages)
    pad = "&nbsp;&nbsp;&nbsp;&nbsp;"

    def row(label: str, depth: int, n: int) -> str:
        lead = "of which " if depth and not label.startswith("of ") else ""
        return f"| {pad * depth}{lead}{label} | {n:,} | {share(n, total)} |"

    for i, ((label, _, depth), n) in enumerate(zip(stages, per_stage)):
        rows.append(row(label, depth, n))
        ends_top = i + 1 == len(stages) or stages[i + 1][2] == 0
        top = next(j for j in range(i, -1, -1) if stages[j][2] == 0)
        if ends_top and top != i:
            rest = per_stage[top] - sum(per_stage[k] for k in range(len(stages)) if up[k] == top)
            rows.append(row("the rest of it", 1, rest))
    return rows


def build_extra(comm: str, joined: str) -> str | None:
    if comm.startswith("thrd-tantivy") or "tantivy::indexer::" in joined:
        return "tantivy's indexing (its indexing threads, segment serialization and merges)"
    return "the rest: the index writer's own work, start-up, memory"


def server_extra(comm: str, joined: str) -> str | None:
    if "[kernel.kallsyms]" in joined:
        return "kernel: sockets, epoll, scheduling (outside a search)"
    if "tantivy::" in joined or "pustaka::search::" in joined or "pustaka::index::" in joined:
        return "search work whose stack perf cut short (no `Search::answer` frame)"
    if "hyper::" in joined or "warp::" in joined or "tokio::" in joined or "pustaka::server" in joined:
        return "HTTP and async runtime (hyper, warp, tokio, pustaka::server)"
    return "other"


def profile_build(binary: Path, corpus: Path, tmp: Path, freq: int) -> dict:
    index = tmp / "index"
    data, script = tmp / "build.perf", tmp / "build.txt"
    files = [str(corpus / n) for n in NAMES]
    cmd = ["perf", "record", "-e", "cpu-clock", "-F", str(freq), "--call-graph", "dwarf,32768",
           "-o", str(data), "--", str(binary), "index", *files, "--index", str(index)]
    log(f"build: perf record -e cpu-clock -F {freq} --call-graph dwarf,32768 -- "
        "pustaka index corpus-large --index DIR")
    t0 = time.time()
    run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.time() - t0
    perf_script(data, script)
    data.unlink()
    total, per_stage, threads, extras = tally(script, BUILD_STAGES, build_extra)
    script.unlink()
    return {"total": total, "stages": per_stage, "threads": threads, "extras": extras,
            "wall": wall, "index": index, "freq": freq}


def profile_server(binary: Path, index: Path, tmp: Path, rounds: int, freq: int) -> dict:
    """The server's profile; its stacks are unwound from 64 KB of stack each (tokio's and
    warp's frames are many), so fewer are cut short than with the build's 32 KB."""
    queries = peers.read_queries(ROOT / "benches/queries.txt")
    paths = [f"/api/search?limit=10&q={urllib.parse.quote(q)}{extra}"
             for extra in ("", "&per_doc=0") for q in queries]
    data, script = tmp / "server.perf", tmp / "server.txt"
    with peers.serving(binary, index, "profile") as (server, port):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

        def get_all() -> None:
            for p in paths:
                conn.request("GET", p)
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    sys.exit(f"profile: {p} answered {resp.status}")

        get_all()  # warm-up
        log(f"server: perf record -p PID while {rounds} rounds of {len(paths)} requests run")
        perf = subprocess.Popen(["perf", "record", "-e", "cpu-clock", "-F", str(freq),
                                 "--call-graph", "dwarf,65528", "-p", str(server.pid),
                                 "-o", str(data)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)  # perf attaches to every thread before the first request
        for _ in range(rounds):
            get_all()
        perf.send_signal(signal.SIGINT)
        perf.wait(60)
        conn.close()
    perf_script(data, script)
    data.unlink()
    total, per_stage, threads, extras = tally(script, SERVER_STAGES, server_extra)
    script.unlink()
    return {"total": total, "stages": per_stage, "threads": threads, "extras": extras,
            "requests": rounds * len(paths), "freq": freq}


def machine() -> str:
    m = peers.cmd_machine(None)
    return f"{m['cpu_model']}, {m['cores']} cores (shared), {m['arch']}, Linux {m['kernel']}"


def commit() -> str:
    rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                         text=True).stdout.strip()
    # The reports and the README are not what is measured: a run after bench.sh rewrote its
    # report, not yet committed, measures the commit's code.
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                            ":!docs", ":!README.md"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
    return rev + (" (with uncommitted changes to the code)" if dirty else "")


def report(build: dict | None, server: dict | None, started: str) -> str:
    out = ["# Where the CPU goes: a build and a server's searches, by stage", "",
           "Generated by `python3 scripts/profile.py`; do not edit by hand (rerun it).", "",
           f"- **Taken**: {started} UTC", f"- **Commit**: {commit()}", f"- **Machine**: {machine()}",
           f"- **perf**: {subprocess.run(['perf', '--version'], capture_output=True, text=True).stdout.strip()}, "
           "`-e cpu-clock --call-graph dwarf` (32 KB of stack a sample for the build, 64 KB for "
           "the server)", "",
           "A sample counts toward the stages whose functions are on its call stack: at each level "
           "the innermost (where one stage calls another, the time inside the callee is the "
           "callee's), so a stage's share holds the stages indented under it, and those do not "
           "overlap. A sample in no stage is counted by what its stack holds, in the rows after "
           "the stages. One run on a shared machine: a share moves by a point or two between "
           "runs.", ""]
    if build:
        t = build["total"]
        out += ["## Build: `pustaka index` of corpus-large", "",
                f"{t:,} samples at {build['freq']} Hz (about {t / build['freq']:.1f} CPU s; "
                f"{build['wall']:.1f} s wall under perf), every thread of the process.", ""]
        out += stage_rows(BUILD_STAGES, build["stages"], t)
        for k, n in sorted(build["extras"].items(), key=lambda kv: -kv[1]):
            out.append(f"| {k} | {n:,} | {share(n, t)} |")
        out += ["", "By thread: " + ", ".join(
            f"`{c}` {share(n, t)}" for c, n in sorted(build["threads"].items(), key=lambda kv: -kv[1])) + ".", ""]
    if server:
        t = server["total"]
        out += ["## Server: `pustaka serve --no-cache` answering searches", "",
                f"{server['requests']:,} requests (`/api/search?limit=10&q=…` with the API's defaults, "
                f"then `&per_doc=0`, the 40 queries of benches/queries.txt), one at a time over one "
                f"keep-alive connection after a warm-up round; {t:,} samples at {server['freq']} Hz, "
                f"about {1000 * t / server['freq'] / server['requests']:.2f} ms of the server's CPU a "
                "request (perf's own overhead included).", ""]
        out += stage_rows(SERVER_STAGES, server["stages"], t)
        for k, n in sorted(server["extras"].items(), key=lambda kv: -kv[1]):
            out.append(f"| {k} | {n:,} | {share(n, t)} |")
        out.append("")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", type=Path, default=ROOT / "target/release/pustaka")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/corpus-large")
    ap.add_argument("--what", default="build,server")
    ap.add_argument("--out", type=Path, default=ROOT / "docs/bench/profile.md")
    ap.add_argument("--rounds", type=int, default=25, help="server rounds profiled (25: 2,000 requests)")
    ap.add_argument("--build-freq", type=int, default=1000, help="samples a second of the build")
    ap.add_argument("--server-freq", type=int, default=4000,
                    help="samples a second of the server (a request is half a millisecond)")
    ap.add_argument("--keep", type=Path, help="keep the index here instead of deleting it")
    args = ap.parse_args()
    why = perf_usable()
    if why:
        print(f"profile: skipped: {why}", file=sys.stderr)
        return
    missing = [n for n in NAMES if not (args.corpus / n).is_file()]
    if missing:
        print(f"profile: skipped: {args.corpus} lacks {', '.join(missing)}", file=sys.stderr)
        return
    if not args.bin.is_file():
        log("cargo build --release")
        run(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
    what = set(args.what.split(","))
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    with tempfile.TemporaryDirectory(prefix="pustaka-profile-") as tmp:
        tmp = Path(tmp)
        binary = tmp / "pustaka"
        shutil.copy2(args.bin, binary)  # a build elsewhere during the run changes nothing measured
        build = profile_build(binary, args.corpus, tmp, args.build_freq)
        server = profile_server(binary, build["index"], tmp, args.rounds, args.server_freq) if "server" in what else None
        if args.keep:
            shutil.copytree(build["index"], args.keep, dirs_exist_ok=True)
    text = report(build if "build" in what else None, server, started)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
