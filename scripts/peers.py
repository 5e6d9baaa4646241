#!/usr/bin/env python3
"""The peers of scripts/bench.sh (SQLite FTS5 and tantivy-py), its query timings and its report.

Subcommands (each prints one JSON object on stdout; progress and errors go to stderr):

    python3 scripts/peers.py build fts5 --out DB PASSAGES.jsonl
    python3 scripts/peers.py build tantivy --out DIR PASSAGES.jsonl
        Index the passages pustaka indexes: PASSAGES.jsonl is what `pustaka passages --json
        FILE...` writes (bench.sh exports it once, outside the timed builds), one JSON object a
        passage ({"id", "doc", "title", ..., "text"}). Each passage is one row of the peer's
        index: its id (stored, not analyzed) and its text (stored, the peer's default analyzer);
        no title per row, to keep the peer bare. Streaming: a line is parsed, added and dropped.
        fts5: `CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, text,
        tokenize='unicode61 remove_diacritics 2')`, every row inserted in one transaction,
        COMMIT, then `INSERT INTO fts(fts) VALUES('optimize')`.
        tantivy: schema id (text, stored, `raw` tokenizer), text (text, stored, default
        tokenizer); `index.writer()` with its defaults, every row added, `commit()`,
        `wait_merging_threads()`.
        bench.sh runs each build as its own process under /usr/bin/time -v, which gives the CPU
        seconds and peak RSS it reports: the whole process (Python's start, reading and parsing
        the JSON Lines, indexing, commit, merges); the phase timings printed here are for
        reading only.

    python3 scripts/peers.py query [--fts5 DB] [--tantivy DIR] [--queries FILE] [--rounds N]
        In-process latency of every query of benches/queries.txt, one warm-up round then N rounds
        (20), each engine a sweep over every query per round (the engines alternating which goes
        first), so that no search runs right after a search for the same words or right after
        the other engine's: the thread's CPU time (time.thread_time_ns) and
        wall time around
          fts5:    con.execute("SELECT id FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT 10",
                   ('"a" OR "b"',)).fetchall()
          tantivy: searcher.search(index.parse_query(q, ["text"]), 10) (tantivy's query parser
                   ORs the terms by default) and searcher.doc() of each of the 10 hits.
        Also the process's CPU time (time.process_time_ns) as a check that no other thread works.

    python3 scripts/peers.py process --bin PUSTAKA --index DIR [--fts5 DB] [--rounds N]
        Whole process: `pustaka search Q --index DIR --json --limit 10` and the sqlite3 shell
        (`sqlite3 DB "SELECT id FROM fts WHERE fts MATCH '...' ORDER BY rank LIMIT 10"`) once per
        query per round (5 rounds after a warm-up round), the two alternating query by query.
        CPU ms per process: the delta of resource.getrusage(RUSAGE_CHILDREN) user+sys around each
        subprocess.run; wall ms: perf_counter around it.

    python3 scripts/peers.py http --bin PUSTAKA --index DIR [--rounds N]
        Starts `pustaka serve --no-cache` on a free loopback port and sends every query as
        GET /api/search?limit=10&q=... (the API's defaults, per_doc 3) and as the same with
        &per_doc=0, over one keep-alive connection (http.client), one request at a time: one
        warm-up round of both, then N rounds (10); in each round the queries of one variant,
        then those of the other (which goes first alternates). Server CPU per request of a
        variant: the deltas of utime+stime of /proc/PID/stat around its blocks of requests (clock
        ticks / SC_CLK_TCK), summed, divided by its requests; client wall p50/p99 per request.

    python3 scripts/peers.py report --dir TMP --md OUT.md --json OUT.json
        Reads what bench.sh left in TMP (machine-*.json, export.json, build-*.json, size-*,
        query.json, latency.json, process.json, http.json) and writes docs/bench/results.md and the raw
        figures as JSON.

Percentiles are nearest-rank (as benches/latency.rs computes them). Python 3.9+, standard library
only, except the tantivy peer, which needs `python3 -m pip install tantivy==0.27.0` (the official
bindings); `python3 scripts/peers.py has tantivy` exits 0 when it can be imported.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import platform
import resource
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_QUERIES = ROOT / "benches" / "queries.txt"
LIMIT = 10
FTS5_TOKENIZER = "unicode61 remove_diacritics 2"
FTS5_SQL = f"SELECT id FROM fts WHERE fts MATCH ? ORDER BY rank LIMIT {LIMIT}"
# The requests of `peers.py http`: the API's defaults (per_doc 3), and without the spreading.
HTTP_VARIANTS = [("default", ""), ("per_doc=0", "&per_doc=0")]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# Shared helpers


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0..100)."""
    if not values:
        return None
    s = sorted(values)
    rank = max(1, -(-len(s) * p // 100))  # ceil(n * p / 100), at least 1
    return s[int(rank) - 1]


def summary(values: list[float], nd: int = 4) -> dict | None:
    if not values:
        return None
    return {
        "n": len(values),
        "p50": round(percentile(values, 50), nd),
        "p99": round(percentile(values, 99), nd),
        "mean": round(statistics.fmean(values), nd),
        "min": round(min(values), nd),
        "max": round(max(values), nd),
    }


def read_queries(path: Path) -> list[str]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    if not out:
        sys.exit(f"peers: no queries in {path}")
    return out


def fts_match(query: str) -> str:
    """`a b c` -> `"a" OR "b" OR "c"`: every term quoted, so no word is read as FTS5 syntax."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in query.split())


def passages(path: Path):
    """(passage id, text) for every passage of a `pustaka passages --json` file, in file order."""
    with path.open("rb") as f:
        for raw in f:
            if raw.strip():
                p = json.loads(raw)
                yield p["id"], p["text"]


def has_fts5() -> bool:
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False


def tantivy_version() -> str | None:
    try:
        import importlib.metadata as md

        return md.version("tantivy")
    except Exception:
        return None


# ---------------------------------------------------------------------------------------------
# build


class Phases:
    """Wall and process-CPU seconds of consecutive phases of a build."""

    def __init__(self) -> None:
        self.out: dict[str, dict] = {}
        self._wall, self._cpu = time.perf_counter(), time.process_time()

    def mark(self, name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        self.out[name] = {"wall_s": round(wall - self._wall, 3), "cpu_s": round(cpu - self._cpu, 3)}
        self._wall, self._cpu = wall, cpu


def build_fts5(out: Path, source: Path) -> dict:
    if not has_fts5():
        sys.exit("peers: this Python's SQLite has no FTS5")
    if out.exists():
        out.unlink()
    con = sqlite3.connect(out, isolation_level=None)
    con.execute(f"CREATE VIRTUAL TABLE fts USING fts5(id UNINDEXED, text, tokenize='{FTS5_TOKENIZER}')")
    ph = Phases()
    n = text_bytes = 0
    con.execute("BEGIN")
    batch: list[tuple[str, str]] = []
    for row in passages(source):
        batch.append(row)
        n += 1
        text_bytes += len(row[1].encode("utf-8"))
        if len(batch) >= 1000:
            con.executemany("INSERT INTO fts(id, text) VALUES (?, ?)", batch)
            batch.clear()
    con.executemany("INSERT INTO fts(id, text) VALUES (?, ?)", batch)
    ph.mark("read_parse_insert")
    con.execute("COMMIT")
    ph.mark("commit")
    con.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    ph.mark("optimize")
    con.close()
    return {"engine": "fts5", "sqlite_version": sqlite3.sqlite_version, "tokenizer": FTS5_TOKENIZER,
            "rows": n, "text_bytes": text_bytes, "phases": ph.out}


def build_tantivy(out: Path, source: Path) -> dict:
    import tantivy  # checked by the caller

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("text", stored=True)
    index = tantivy.Index(sb.build(), path=str(out))
    writer = index.writer()
    ph = Phases()
    n = text_bytes = 0
    for pid, text in passages(source):
        writer.add_document(tantivy.Document(id=pid, text=text))
        n += 1
        text_bytes += len(text.encode("utf-8"))
    ph.mark("read_parse_add")
    writer.commit()
    ph.mark("commit")
    writer.wait_merging_threads()
    ph.mark("wait_merging_threads")
    return {"engine": "tantivy-py", "tantivy_py_version": tantivy_version(), "rows": n,
            "text_bytes": text_bytes, "phases": ph.out}


# ---------------------------------------------------------------------------------------------
# query (in-process)


def cmd_query(args) -> dict:
    queries = read_queries(args.queries)
    engines = {}  # name -> function(query) returning the number of hits
    if args.fts5:
        con = sqlite3.connect(f"file:{args.fts5}?mode=ro", uri=True)
        matches = {q: fts_match(q) for q in queries}

        def fts5(q: str) -> int:
            return len(con.execute(FTS5_SQL, (matches[q],)).fetchall())

        engines["fts5"] = fts5
    if args.tantivy:
        import tantivy

        index = tantivy.Index.open(str(args.tantivy))
        index.reload()
        searcher = index.searcher()

        def tv(q: str) -> int:
            result = searcher.search(index.parse_query(q, ["text"]), LIMIT)
            for _score, addr in result.hits:
                searcher.doc(addr)
            return len(result.hits)

        engines["tantivy"] = tv

    hits = {name: {} for name in engines}
    for name, fn in engines.items():  # warm-up
        for q in queries:
            hits[name][q] = fn(q)
    samples = {name: {"thread_cpu_ms": [], "wall_ms": [], "process_cpu_ms": []} for name in engines}
    per_query = {name: {q: [] for q in queries} for name in engines}
    order = list(engines)
    for r in range(args.rounds):
        # Each engine a sweep over every query, the engines alternating which goes first: with
        # the engines interleaved query by query (until 2026-12-07), tantivy-py ran right after
        # an FTS5 query, whose millisecond over its own files emptied the CPU's caches.
        for name in (order if r % 2 == 0 else order[::-1]):
            for q in queries:
                fn = engines[name]
                p0, t0, w0 = time.process_time_ns(), time.thread_time_ns(), time.perf_counter_ns()
                fn(q)
                w1, t1, p1 = time.perf_counter_ns(), time.thread_time_ns(), time.process_time_ns()
                s = samples[name]
                s["thread_cpu_ms"].append((t1 - t0) / 1e6)
                s["wall_ms"].append((w1 - w0) / 1e6)
                s["process_cpu_ms"].append((p1 - p0) / 1e6)
                per_query[name][q].append((t1 - t0) / 1e6)
    out = {"queries": len(queries), "rounds": args.rounds, "limit": LIMIT}
    for name in engines:
        slowest = sorted(((percentile(v, 50), q) for q, v in per_query[name].items()), reverse=True)[:5]
        out[name] = {
            **{k: summary(v) for k, v in samples[name].items()},
            "queries_without_hits": [q for q, n in hits[name].items() if n == 0],
            "slowest_thread_cpu_p50_ms": [{"query": q, "p50_ms": round(ms, 4)} for ms, q in slowest],
            "per_query_thread_cpu_p50_ms": {q: round(percentile(v, 50), 4)
                                            for q, v in per_query[name].items()},
        }
    return out


# ---------------------------------------------------------------------------------------------
# process (whole process)


def children_cpu_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def cmd_process(args) -> dict:
    queries = read_queries(args.queries)
    argvs = {"pustaka": lambda q: [str(args.bin), "search", q, "--index", str(args.index), "--json",
                                   "--limit", str(LIMIT)]}
    sqlite_shell = shutil.which("sqlite3")
    if args.fts5 and sqlite_shell:
        def shell(q: str) -> list[str]:
            match = fts_match(q).replace("'", "''")
            return [sqlite_shell, str(args.fts5),
                    f"SELECT id FROM fts WHERE fts MATCH '{match}' ORDER BY rank LIMIT {LIMIT}"]
        argvs["sqlite3_shell"] = shell
    out = {"queries": len(queries), "rounds": args.rounds,
           "sqlite3_shell": None, "sqlite3_shell_version": None}
    if sqlite_shell:
        v = subprocess.run([sqlite_shell, "--version"], capture_output=True, text=True).stdout.split()
        out["sqlite3_shell_version"] = v[0] if v else None
    for name, argv_of in argvs.items():  # warm-up, and a check that each runs
        for q in queries:
            r = subprocess.run(argv_of(q), capture_output=True)
            if r.returncode not in (0, 1):  # pustaka search: 1 when nothing is found
                log(f"peers process: {argv_of(q)} failed ({r.returncode}): {r.stderr.decode()[:500]}")
                sys.exit(1)
    cpu = {name: [] for name in argvs}
    wall = {name: [] for name in argvs}
    order = list(argvs)
    for r in range(args.rounds):
        for q in queries:
            for name in (order if r % 2 == 0 else order[::-1]):
                argv = argvs[name](q)
                c0, w0 = children_cpu_s(), time.perf_counter()
                subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                w1, c1 = time.perf_counter(), children_cpu_s()
                cpu[name].append((c1 - c0) * 1000)
                wall[name].append((w1 - w0) * 1000)
    for name in argvs:
        out[name] = {"cpu_ms": summary(cpu[name], 3), "wall_ms": summary(wall[name], 3)}
    return out


# ---------------------------------------------------------------------------------------------
# http (pustaka serve)


def proc_cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "; field 3 is fields[0]
    return int(fields[11]) + int(fields[12])  # utime (14), stime (15)


@contextlib.contextmanager
def serving(binary: Path, index: Path, who: str):
    """`pustaka serve --no-cache` on a free local port, answering /health; yields the process
    and its port, and stops it on the way out. Exits with a message, naming `who`, when it
    dies or never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [str(binary), "serve", "--index", str(index), "--addr", f"127.0.0.1:{port}",
         "--no-cache"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                sys.exit(f"{who}: pustaka serve exited with {server.returncode}")
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/health")
                if c.getresponse().status == 200:
                    c.close()
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                sys.exit(f"{who}: pustaka serve did not answer /health within 60 s")
            time.sleep(0.1)
        yield server, port
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def cmd_http(args) -> dict:
    queries = read_queries(args.queries)
    with serving(args.bin, args.index, "peers http") as (server, port):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        paths = {name: [f"/api/search?limit={LIMIT}&q={urllib.parse.quote(q)}{extra}" for q in queries]
                 for name, extra in HTTP_VARIANTS}

        def get(path: str) -> dict:
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 200:
                sys.exit(f"peers http: {path} answered {resp.status}: {body[:300]!r}")
            if resp.getheader("X-Pustaka-Cache", "").lower() == "hit":
                sys.exit("peers http: a response came from the cache despite --no-cache")
            return json.loads(body)

        empty = {name: [q for q, p in zip(queries, ps) if not get(p).get("hits")]  # warm-up
                 for name, ps in paths.items()}
        tick = os.sysconf("SC_CLK_TCK")
        walls = {name: [] for name in paths}
        ticks = {name: 0 for name in paths}
        order = list(paths)
        w0 = time.perf_counter()
        for r in range(args.rounds):
            for name in (order if r % 2 == 0 else order[::-1]):
                t0 = proc_cpu_ticks(server.pid)
                for p in paths[name]:
                    a = time.perf_counter()
                    get(p)
                    walls[name].append((time.perf_counter() - a) * 1000)
                ticks[name] += proc_cpu_ticks(server.pid) - t0
        elapsed = time.perf_counter() - w0
        conn.close()
    out = {"queries": len(queries), "rounds": args.rounds, "clk_tck": tick, "elapsed_s": round(elapsed, 3),
           "variants": {}}
    for name, extra in HTTP_VARIANTS:
        n = len(walls[name])
        out["variants"][name] = {
            "query_string": f"limit={LIMIT}&q=...{extra}", "requests": n,
            "server_cpu_ticks": ticks[name], "server_cpu_s": ticks[name] / tick,
            "server_cpu_ms_per_request": round(ticks[name] / tick * 1000 / n, 3),
            "wall_ms": summary(walls[name], 3), "queries_without_hits": empty[name]}
    return out


# ---------------------------------------------------------------------------------------------
# machine (for the report header)


def cmd_machine(_args) -> dict:
    model = None
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
            "cpu_model": model or platform.processor() or platform.machine(),
            "cores": os.cpu_count(), "kernel": platform.release(), "arch": platform.machine(),
            "loadavg": list(os.getloadavg())}


# ---------------------------------------------------------------------------------------------
# report

ENGINES = [("pustaka", "pustaka"), ("fts5", "SQLite FTS5"), ("tantivy", "tantivy-py")]


def _load(d: Path, name: str):
    p = d / name
    if not p.exists():
        return None
    text = p.read_text().strip()
    return json.loads(text) if text else None


def _f(x, nd=2, unit=""):
    return "—" if x is None else f"{x:,.{nd}f}{unit}"


def _mmm(values: list[float]):
    return (min(values), statistics.median(values), max(values)) if values else (None, None, None)


def _ratio(a, b):
    return None if a is None or not b else a / b


def _git(*argv) -> str:
    try:
        return subprocess.run(["git", *argv], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


def _gather(d: Path) -> dict:
    """Everything the run left in `d`, and what describes it (commit, versions)."""
    rounds = int((d / "rounds").read_text()) if (d / "rounds").exists() else 0
    before, after = _load(d, "machine-before.json"), _load(d, "machine-after.json") or cmd_machine(None)
    skipped = _load(d, "skipped.json") or {}
    builds = {e: [] for e, _ in ENGINES}  # per round: {"cpu_s", "wall_s", "max_rss_kb", "bytes", ...}
    for r in range(1, rounds + 1):
        for e, _ in ENGINES:
            m = _load(d, f"build-{e}-{r}.json")
            if m is None:
                continue
            m["bytes"] = int((d / f"size-{e}-{r}").read_text()) if (d / f"size-{e}-{r}").exists() else None
            m["inner"] = _load(d, f"build-{e}-{r}.out.json")
            m["round"] = r
            builds[e].append(m)
    present = [(e, label) for e, label in ENGINES if builds[e]]
    query, latency, process, httpr = (_load(d, n) for n in
                                      ("query.json", "latency.json", "process.json", "http.json"))
    stats = _load(d, "pustaka-stats.json")
    source_bytes = int((d / "source-bytes").read_text()) if (d / "source-bytes").exists() else None
    docs = int((d / "source-docs").read_text()) if (d / "source-docs").exists() else None
    export = _load(d, "export.json")
    passages_bytes = int((d / "passages-bytes").read_text()) if (d / "passages-bytes").exists() else None

    commit = _git("rev-parse", "--short", "HEAD") or "?"
    # The reports and the README are not what is measured (a run after another rewrote the
    # reports before they were committed measures the commit's code), as in profile.py.
    if _git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!docs", ":!README.md"):
        commit += " + uncommitted changes"
    tv_version = None if "tantivy" in skipped else tantivy_version()
    shell_v = process.get("sqlite3_shell_version") if process else None
    rows = {e: next((b["inner"]["rows"] for b in builds[e] if b.get("inner")), None)
            for e in ("fts5", "tantivy")}

    return dict(locals())


def _header(R: dict) -> list[str]:
    """The title and what the figures were taken on."""
    md: list[str] = []
    add = md.append
    before = R["before"]
    after = R["after"]
    skipped = R["skipped"]
    stats = R["stats"]
    source_bytes = R["source_bytes"]
    docs = R["docs"]
    commit = R["commit"]
    tv_version = R["tv_version"]
    shell_v = R["shell_v"]
    rows = R["rows"]
    add("# pustaka, SQLite FTS5 and tantivy-py on corpus-large")
    add("")
    add("Generated by `bash scripts/bench.sh`; do not edit by hand (rerun it).")
    add("")
    add(f"- **Taken**: {before['utc'] if before else '?'} – {after['utc']} UTC")
    add(f"- **Commit**: {commit}")
    lb = " / ".join(f"{x:.2f}" for x in before["loadavg"]) if before else "?"
    la = " / ".join(f"{x:.2f}" for x in after["loadavg"])
    add(f"- **Machine**: {after['cpu_model']}, {after['cores']} cores (shared), {after['arch']}, "
        f"Linux {after['kernel']}; load average (1/5/15 min) {lb} before, {la} after")
    add(f"- **Versions**: tantivy-py {tv_version or '(not run)'}, SQLite "
        f"{sqlite3.sqlite_version} (Python's sqlite3, builds and in-process queries)"
        + (f", sqlite3 shell {shell_v}" if shell_v else "")
        + f", Python {platform.python_version()}")
    corpus = "`id_court_decisions.jsonl` + `en_plos_fulltext.jsonl`"
    if source_bytes:
        corpus += f", {source_bytes / 1e6:.1f} MB"
    if docs:
        corpus += f", {docs:,} documents"
    if stats and stats.get("passages"):
        corpus += f"; pustaka cuts {stats['passages']:,} passages"
    peer_rows = sorted({n for n in rows.values() if n is not None})
    if peer_rows:
        corpus += ", the peers index " + " / ".join(f"{n:,}" for n in peer_rows) + " rows (those passages)"
    add(f"- **Corpus**: {corpus}")
    if stats and stats.get("passages") and any(n != stats["passages"] for n in peer_rows):
        add(f"- **Odd**: the peers' rows ({', '.join(f'{n:,}' for n in peer_rows)}) are not "
            f"pustaka's {stats['passages']:,} passages")
    for e, why in skipped.items():
        add(f"- **Skipped**: {dict(ENGINES).get(e, e)}: {why}")
    add("")
    return md


def _build_section(R: dict) -> list[str]:
    """Build CPU and wall per round, with the ratios; the export the peers read."""
    md: list[str] = []
    add = md.append
    rounds = R["rounds"]
    builds = R["builds"]
    present = R["present"]
    export = R["export"]
    passages_bytes = R["passages_bytes"]
    # Build tables.
    def build_table(key: str, title: str, nd: int) -> None:
        add(f"### Build: {title}")
        add("")
        add("| | " + " | ".join(f"round {r}" for r in range(1, rounds + 1)) + " | min | median | max |")
        add("|---|" + "---:|" * (rounds + 3))
        per = {e: {b["round"]: b.get(key) for b in builds[e]} for e, _ in present}
        for e, label in present:
            vals = [per[e].get(r) for r in range(1, rounds + 1)]
            lo, mid, hi = _mmm([v for v in vals if v is not None])
            add(f"| {label} | " + " | ".join(_f(v, nd) for v in vals)
                + f" | {_f(lo, nd)} | {_f(mid, nd)} | {_f(hi, nd)} |")
        for e, label in present[1:]:
            if "pustaka" not in per:
                break
            ratios = [_ratio(per["pustaka"].get(r), per[e].get(r)) for r in range(1, rounds + 1)]
            lo, mid, hi = _mmm([v for v in ratios if v is not None])
            add(f"| pustaka / {label} | " + " | ".join(_f(v, 2, "×") for v in ratios)
                + f" | {_f(lo, 2, '×')} | {_f(mid, 2, '×')} | {_f(hi, 2, '×')} |")
        add("")

    add("## Build")
    add("")
    add(f"{rounds} round{'s' if rounds != 1 else ''}, interleaved: in each round "
        + ", then ".join(label for _, label in present) + ", "
        "each a process of its own timed from outside by `/usr/bin/time -v` (CPU = user + sys of "
        "the process and its threads; wall = start to exit). Ratios are per round. pustaka "
        "starts from the source JSON Lines (its whole pipeline, cutting included); the peers start "
        "from the passages pustaka cuts, exported once beforehand (below), and their figures are "
        "the whole Python process: start, reading and parsing the passages' JSON Lines, "
        "indexing, commit and merges.")
    add("")
    build_table("cpu_s", "CPU seconds (user + sys)", 2)
    build_table("wall_s", "wall seconds", 2)
    if export:
        line = (f"The export the peers read, `pustaka passages --json FILES > passages.jsonl`, run "
                f"once before round 1 and in none of the figures above: {_f(export.get('cpu_s'), 2)} "
                f"s CPU, {_f(export.get('wall_s'), 2)} s wall, peak RSS "
                f"{_f((export.get('max_rss_kb') or 0) / 1024 or None, 0)} MiB")
        if passages_bytes:
            line += f"; {passages_bytes / 1e6:.1f} MB of JSON Lines"
        add(line + ".")
        add("")
    return md


def _size_section(R: dict) -> list[str]:
    """Index size and build memory."""
    md: list[str] = []
    add = md.append
    builds = R["builds"]
    present = R["present"]
    add("## Index size and build memory")
    add("")
    hdr = "| | " + " | ".join(label for _, label in present)
    hdr += "".join(f" | pustaka / {label}" for e, label in present if e != "pustaka") + " |"
    add(hdr)
    add("|---|" + "---:|" * (len(present) + len(present) - 1))

    def row(label: str, vals: dict, nd: int) -> None:
        cells = [_f(vals.get(e), nd) for e, _ in present]
        cells += [_f(_ratio(vals.get("pustaka"), vals.get(e)), 2, "×") for e, _ in present if e != "pustaka"]
        add(f"| {label} | " + " | ".join(cells) + " |")

    def median_of(e: str, key: str, scale: float):
        v = [b[key] for b in builds[e] if b.get(key) is not None]
        return statistics.median(v) / scale if v else None

    row("index size on disk, last round (MB)",
        {e: (builds[e][-1]["bytes"] / 1e6 if builds[e][-1].get("bytes") else None) for e, _ in present}, 1)
    row("build peak RSS, median of rounds (MiB)", {e: median_of(e, "max_rss_kb", 1024) for e, _ in present}, 0)
    add("")
    add("Sizes: `du -sb`, MB = 10⁶ bytes. RSS: `/usr/bin/time -v`'s maximum resident set, in MiB. "
        "The peers' indexes hold each passage's id and text; pustaka's also hold its three "
        "analyzed fields, titles, sections, kinds, languages, citations and fingerprints.")
    add("")
    tokens = (R.get("stats") or {}).get("tokens") or {}
    if tokens.get("text_exact"):
        words = tokens["text_exact"]
        total = sum(tokens.values())
        fields = ", ".join(f"{f} {n:,}" for f, n in sorted(tokens.items(), key=lambda kv: -kv[1]))
        add(f"Words indexed (`pustaka stats --json`, `tokens`): {total:,} in pustaka's analyzed "
            f"fields ({fields}), {total / words:.2f}× the {words:,} words of the passages' text "
            "(`text_exact`), which is what each peer indexes once, in its one text field; "
            "tantivy's part of a build grows with the words it indexes.")
        add("")
    return md


def _query_section(R: dict) -> list[str]:
    """In-process query latency: the peers, pustaka's variants, the CPU check."""
    md: list[str] = []
    add = md.append
    present = R["present"]
    query = R["query"]
    latency = R["latency"]
    add("## Query latency, in-process")
    add("")
    if query or latency:
        qr = query["rounds"] if query else latency.get("rounds")
        nq = query["queries"] if query else latency.get("queries")
        per_doc = latency.get("per_doc") if latency else None
        add(f"{nq} queries of `benches/queries.txt` (2–3 words, half Indonesian, half English), "
            f"top {LIMIT}, terms ORed, one warm-up round then {qr} round{'s' if qr != 1 else ''}; "
            "milliseconds per query. Each engine (and each of pustaka's searches below) runs a "
            f"sweep over the {nq} queries before the next runs its own, so that no search follows "
            "a search for the same words, which would find what it reads in the CPU's caches. "
            "CPU is the calling thread's CPU time around each call "
            "(`CLOCK_THREAD_CPUTIME_ID`), the work of the search itself, unaffected by waiting "
            "for a core on this shared machine; wall includes that wait. pustaka's search is a "
            "user's: `api::Search` with the query and limit 10, the rest of the CLI's and HTTP "
            f"API's defaults (per_doc {per_doc if per_doc is not None else '?'}, translations on).")
        add("")
        peers = [(e, label) for e, label in present if e != "pustaka"]
        add("| | " + " | ".join(label for _, label in present)
            + "".join(f" | pustaka / {label}" for _, label in peers) + " |")
        add("|---|" + "---:|" * (len(present) + len(peers)))
        lat_key = {"thread_cpu_ms": "pustaka_thread_cpu", "wall_ms": "pustaka"}

        def qval(e, kind, p):
            if e == "pustaka":
                return ((latency or {}).get(lat_key[kind]) or {}).get(f"{p}_ms")
            return (((query or {}).get(e) or {}).get(kind) or {}).get(p)

        for kind, label in (("thread_cpu_ms", "thread CPU"), ("wall_ms", "wall")):
            for p in ("p50", "p99"):
                vals = {e: qval(e, kind, p) for e, _ in present}
                cells = [_f(vals[e], 3) for e, _ in present]
                cells += [_f(_ratio(vals.get("pustaka"), vals[e]), 2, "×") for e, _ in peers]
                add(f"| {p}, {label} (ms) | " + " | ".join(cells) + " |")
        add("")
        if latency:
            add("pustaka's other searches in the same rounds (`benches/latency.rs`, each a sweep "
                "over every query in turn, the order of the sweeps reversed every other round), "
                "and plain tantivy on "
                "pustaka's index in the same process:")
            add("")
            add("| | p50 thread CPU (ms) | p99 thread CPU (ms) | p50 wall (ms) | p99 wall (ms) |")
            add("|---|---:|---:|---:|---:|")

            def lrow(label, wall_key, cpu_key):
                w, c = latency.get(wall_key) or {}, latency.get(cpu_key) or {}
                add(f"| {label} | {_f(c.get('p50_ms'), 3)} | {_f(c.get('p99_ms'), 3)} | "
                    f"{_f(w.get('p50_ms'), 3)} | {_f(w.get('p99_ms'), 3)} |")

            lrow(f"pustaka, a user's search (per_doc {per_doc})", "pustaka", "pustaka_thread_cpu")
            lrow("pustaka, per_doc 0", "pustaka_per_doc0", "pustaka_per_doc0_thread_cpu")
            lrow("pustaka, no translations", "pustaka_untranslated", "pustaka_untranslated_thread_cpu")
            if latency.get("baseline"):
                lrow(f"plain tantivy BM25 (QueryParser on `text_exact`, top {LIMIT} + stored fields)",
                     "baseline", "baseline_thread_cpu")
                rc, rw = latency.get("ratio_thread_cpu") or {}, latency.get("ratio") or {}
                add(f"| pustaka (user's search) / plain tantivy | {_f(rc.get('p50'), 2, '×')} | "
                    f"{_f(rc.get('p99'), 2, '×')} | {_f(rw.get('p50'), 2, '×')} | "
                    f"{_f(rw.get('p99'), 2, '×')} |")
            add("")
        checks = []
        pc = (latency or {}).get("pustaka_process_cpu")
        tc = (latency or {}).get("pustaka_thread_cpu")
        if pc and tc:
            checks.append(f"pustaka {tc['p50_ms']:.3f} / {pc['p50_ms']:.3f}")
        for e, label in peers:
            qe = (query or {}).get(e) or {}
            if qe.get("thread_cpu_ms") and qe.get("process_cpu_ms"):
                checks.append(f"{label} {qe['thread_cpu_ms']['p50']:.3f} / {qe['process_cpu_ms']['p50']:.3f}")
        if checks:
            add("Thread CPU against the process's CPU over the same calls (`CLOCK_PROCESS_CPUTIME_ID`"
                ", p50 ms, thread / process), the check that no other thread does a query's work: "
                + "; ".join(checks) + ".")
            add("")
        md.extend(_per_query_table(latency, query))
    else:
        add("(not measured)")
        add("")
    return md


def _per_query_table(latency, query) -> list[str]:
    """Each query's p50 thread CPU, pustaka's (a user's search) beside tantivy-py's, the largest
    ratio first: where the gap between them lies, query by query."""
    ours = (latency or {}).get("per_query_thread_cpu_p50_ms") or {}
    theirs = ((query or {}).get("tantivy") or {}).get("per_query_thread_cpu_p50_ms") or {}
    both = [q for q in ours if q in theirs and theirs[q] > 0]
    if not both:
        return []
    totals = (latency or {}).get("totals") or {}
    rows = sorted(both, key=lambda q: ours[q] / theirs[q], reverse=True)
    md = ["Each query's p50 thread CPU, a user's search against tantivy-py's, the largest ratio "
          "first (matches: the passages pustaka's search counts, translations included):", "",
          "| query | matches | pustaka (ms) | tantivy-py (ms) | pustaka / tantivy-py |",
          "|---|---:|---:|---:|---:|"]
    for q in rows:
        n = totals.get(q)
        md.append(f"| {q} | {f'{n:,}' if n is not None else '—'} | {ours[q]:.3f} | "
                  f"{theirs[q]:.3f} | {ours[q] / theirs[q]:.2f}× |")
    md.append("")
    return md


def _process_section(R: dict) -> list[str]:
    """Whole-process latency: `pustaka search` against the sqlite3 shell."""
    md: list[str] = []
    add = md.append
    process = R["process"]
    add("## Whole process, one query")
    add("")
    if process and process.get("pustaka"):
        names = [("pustaka", "`pustaka search`")]
        if process.get("sqlite3_shell"):
            names.append(("sqlite3_shell", "`sqlite3` shell (FTS5)"))
        add(f"Each of the {process['queries']} queries run as a new process, {process['rounds']} "
            f"round{'s' if process['rounds'] != 1 else ''} after a warm-up round, the two alternating; CPU = user + sys of the child "
            "(`getrusage(RUSAGE_CHILDREN)` deltas), wall = `subprocess.run` start to end.")
        add("")
        add("| | " + " | ".join(label for _, label in names)
            + (" | pustaka / sqlite3 |" if len(names) > 1 else " |"))
        add("|---|" + "---:|" * (len(names) + (1 if len(names) > 1 else 0)))
        for kind, label in (("cpu_ms", "CPU"), ("wall_ms", "wall")):
            for p in ("p50", "p99"):
                vals = [process[n][kind][p] for n, _ in names]
                cells = [_f(v, 2) for v in vals]
                if len(names) > 1:
                    cells.append(_f(_ratio(vals[0], vals[1]), 2, "×"))
                add(f"| {p}, {label} (ms) | " + " | ".join(cells) + " |")
        add("")
    else:
        add("(not measured)")
        add("")
    return md


def _http_section(R: dict) -> list[str]:
    """Server CPU per uncached search over HTTP."""
    md: list[str] = []
    add = md.append
    httpr = R["httpr"]
    add("## HTTP, `pustaka serve --no-cache`")
    add("")
    if httpr and httpr.get("variants"):
        vs = httpr["variants"]
        add(f"Sequential `GET /api/search?limit={LIMIT}&q=…` requests over one keep-alive connection, "
            f"every one searched (no response cache): {httpr['rounds']} rounds after a warm-up round; "
            "in each round the queries once with the API's defaults and once with `&per_doc=0` "
            "(which goes first alternates). Server CPU = utime + stime of the server process from "
            "`/proc/PID/stat` (10 ms ticks) around each block of requests, summed per variant and "
            "divided by its requests.")
        add("")
        add("| request | requests | server CPU per request (ms) | client wall p50 (ms) | client wall p99 (ms) |")
        add("|---|---:|---:|---:|---:|")
        for name, v in vs.items():
            label = {"default": "`limit=10&q=…` (defaults: per_doc 3)",
                     "per_doc=0": "`limit=10&q=…&per_doc=0`"}.get(name, name)
            w = v["wall_ms"]
            add(f"| {label} | {v['requests']} | {v['server_cpu_ms_per_request']:.2f} | {w['p50']:.2f} | "
                f"{w['p99']:.2f} |")
        add("")
    else:
        add("(not measured)")
        add("")
    return md


def _notes_section(R: dict) -> list[str]:
    """What each side does, and the queries without hits."""
    md: list[str] = []
    add = md.append
    present = R["present"]
    query = R["query"]
    latency = R["latency"]
    add("## What each side does")
    add("")
    add("- **pustaka** (`pustaka index FILES --index DIR`, the whole pipeline): reads the JSON Lines, "
        "normalizes the text, segments it into passages (headings, chapters, sections, kinds), "
        "detects each passage's language, extracts citations and bibliography entries, computes "
        "reuse fingerprints, and indexes every passage in three analyzed fields (Indonesian-stemmed, "
        "English-stemmed, unstemmed) plus stored fields, in tantivy.")
    add("- **Peers** (`python3 scripts/peers.py build fts5|tantivy --out PATH passages.jsonl`): "
        "index the passages pustaka cuts, read from `pustaka passages --json` (exported once, "
        "outside the timed builds): one row per passage, its id (stored, not analyzed) and its "
        "text (stored, the peer's default analyzer). No title per row and no other field: a bare "
        "peer, where pustaka also indexes and stores titles, sections, kinds, languages and more. "
        f"SQLite FTS5: `fts5(id UNINDEXED, text, tokenize='{FTS5_TOKENIZER}')`, all rows in one "
        "transaction, commit, then `optimize`. tantivy-py: id (`raw`) and text with the default "
        "tokenizer (split on non-alphanumerics, lower-case, no stemming), both stored, "
        "`index.writer()` defaults, commit, `wait_merging_threads()`.")
    add("- **Queries in-process**: pustaka's `api::Search::answer`, which `pustaka search` and "
        "`/api/search` call (`cargo bench --bench latency`: query analysis and translation, three "
        "fields, ranking, spreading over documents, total count, hits with stored fields, "
        "snippets and highlights); FTS5 `SELECT id … MATCH '\"a\" OR \"b\"' ORDER BY rank LIMIT 10` "
        "with `fetchall()` (ids only, no count); tantivy-py `parse_query(q, [\"text\"])` "
        "(OR), `searcher.search(query, 10)` (which also counts the hits) and `searcher.doc()` of "
        "the 10. The peers' times include the Python calls into the engine.")
    add("- **Whole process**: `pustaka search Q --index DIR --json --limit 10` (opens the index, "
        "searches with the CLI's defaults, per_doc 3 included, prints JSON hits with snippets) vs `sqlite3 DB \"SELECT id … LIMIT 10\"`. "
        "tantivy-py has no command of its own and is not in this table.")
    add("- The machine is shared: compare ratios of one run, and the spread across rounds, rather "
        "than absolute times across runs.")
    add("")
    if query:
        for e, label in present:
            s = query.get(e)
            if s and s.get("queries_without_hits"):
                add(f"{label} queries without hits: {', '.join(s['queries_without_hits'])}.")
                add("")
    if latency and latency.get("queries_without_hits"):
        add(f"pustaka queries without hits: {', '.join(latency['queries_without_hits'])}.")
        add("")
    return md


def cmd_report(args) -> dict:
    """Write docs/bench/results.md and the raw figures from the run's directory."""
    R = _gather(args.dir)
    md: list[str] = []
    for section in (_header, _build_section, _size_section, _query_section, _process_section,
                    _http_section, _notes_section):
        md += section(R)
    rounds = R["rounds"]
    before = R["before"]
    after = R["after"]
    skipped = R["skipped"]
    builds = R["builds"]
    query = R["query"]
    latency = R["latency"]
    process = R["process"]
    httpr = R["httpr"]
    stats = R["stats"]
    source_bytes = R["source_bytes"]
    docs = R["docs"]
    export = R["export"]
    passages_bytes = R["passages_bytes"]
    commit = R["commit"]
    tv_version = R["tv_version"]
    shell_v = R["shell_v"]
    text = "\n".join(md).rstrip() + "\n"
    args.md.parent.mkdir(parents=True, exist_ok=True)
    args.md.write_text(text)
    raw = {"commit": commit, "machine_before": before, "machine_after": after, "rounds": rounds,
           "source_bytes": source_bytes, "source_docs": docs, "pustaka_stats": stats,
           "versions": {"tantivy_py": tv_version, "sqlite_python": sqlite3.sqlite_version,
                        "sqlite3_shell": shell_v, "python": platform.python_version()},
           "skipped": skipped, "export": export, "passages_bytes": passages_bytes, "builds": builds, "query": query, "latency": latency,
           "process": process, "http": httpr}
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(raw, indent=1, ensure_ascii=False) + "\n")
    sys.stdout.write(text)
    return {}


# ---------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)

    b = sub.add_parser("build", help="build a peer's index from pustaka's passages (JSON Lines)")
    b.add_argument("engine", choices=["fts5", "tantivy"])
    b.add_argument("--out", type=Path, required=True, help="database file (fts5) or directory (tantivy)")
    b.add_argument("passages", type=Path, help="what `pustaka passages --json FILE...` wrote")

    q = sub.add_parser("query", help="in-process query latency of the peers")
    q.add_argument("--fts5", type=Path)
    q.add_argument("--tantivy", type=Path)
    q.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    q.add_argument("--rounds", type=int, default=20)

    p = sub.add_parser("process", help="whole-process latency: pustaka search vs the sqlite3 shell")
    p.add_argument("--bin", type=Path, required=True)
    p.add_argument("--index", type=Path, required=True)
    p.add_argument("--fts5", type=Path)
    p.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    p.add_argument("--rounds", type=int, default=5)

    h = sub.add_parser("http", help="server CPU per request of pustaka serve --no-cache")
    h.add_argument("--bin", type=Path, required=True)
    h.add_argument("--index", type=Path, required=True)
    h.add_argument("--queries", type=Path, default=DEFAULT_QUERIES)
    h.add_argument("--rounds", type=int, default=10)

    sub.add_parser("machine", help="CPU model, cores, kernel, load average, UTC time")

    hs = sub.add_parser("has", help="exit 0 when the peer can run here, 1 (saying why) when not")
    hs.add_argument("engine", choices=["fts5", "tantivy"])

    r = sub.add_parser("report", help="write docs/bench/results.md and the raw JSON")
    r.add_argument("--dir", type=Path, required=True)
    r.add_argument("--md", type=Path, required=True)
    r.add_argument("--json", type=Path, required=True)

    args = ap.parse_args()
    if args.cmd == "has":
        if args.engine == "fts5":
            ok, why = has_fts5(), "this Python's SQLite has no FTS5"
        else:
            try:
                import tantivy  # noqa: F401
                ok, why = True, ""
            except ImportError:
                ok, why = False, "the Python module tantivy is missing (python3 -m pip install tantivy==0.27.0)"
        if not ok:
            print(why)
        return 0 if ok else 1
    if args.cmd == "build":
        fn = build_fts5 if args.engine == "fts5" else build_tantivy
        result = fn(args.out, args.passages)
    elif args.cmd == "query":
        result = cmd_query(args)
    elif args.cmd == "process":
        result = cmd_process(args)
    elif args.cmd == "http":
        result = cmd_http(args)
    elif args.cmd == "machine":
        result = cmd_machine(args)
    else:
        cmd_report(args)
        return 0
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
