#!/usr/bin/env python3
"""The standalone benchmark's report (standalone.sh): time per stage with one worker and with two,
the speed-up, and whether both runs built the same splits and found the same pairs.

    python3 contrib/spark/bench_report.py OUT_1_WORKER OUT_2_WORKERS docs/bench/spark.md [SINGLE.json]

Prints the table and writes it, with the date, commit, machine and versions, to the Markdown file.
SINGLE.json ({"index": s, "dupes": s}) is pustaka alone on the same input, for comparison.
"""
import json
import os
import platform
import subprocess
import sys
from datetime import date


def load(out):
    """A run's timings.json and metastore.json."""
    with open(os.path.join(out, "timings.json")) as f:
        timings = json.load(f)
    with open(os.path.join(out, "metastore.json")) as f:
        metastore = json.load(f)
    return timings, metastore


def same_results(one, two):
    """Whether two runs dealt the same documents and passages to each split and found as many
    candidates and pairs (a split's checksum differs between two builds of the same documents:
    tantivy names segments at random)."""
    splits = [[(s["id"], s["documents"], s["passages"]) for s in m["splits"]] for _, m in (one, two)]
    return splits[0] == splits[1] and one[0]["counts"] == two[0]["counts"]


def command_output(args):
    """A command's first line of output (stderr too: java -version), or '?'."""
    try:
        proc = subprocess.run(args, capture_output=True, text=True, check=False)
        return (proc.stdout or proc.stderr).strip().splitlines()[0]
    except (OSError, IndexError):
        return "?"


def commit():
    """The commit, +changes when the work tree differs from it."""
    head = command_output(["git", "rev-parse", "--short", "HEAD"])
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                            capture_output=True, text=True, check=False).stdout
    dirty = bool(status.strip())
    return head + ("+changes" if dirty else "")


def machine():
    """CPU model, cores, memory, OS, and the versions that matter."""
    model = "?"
    with open("/proc/cpuinfo") as f:
        model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    with open("/proc/meminfo") as f:
        mem_gb = int(f.readline().split()[1]) / 1024 / 1024
    import pyspark
    return (f"{model}, {os.cpu_count()} cores, {mem_gb:.0f} GB RAM, {platform.system()} "
            f"{platform.release()}; PySpark {pyspark.__version__}, "
            f"{command_output(['java', '-version'])}, Python {platform.python_version()}")


def seconds_by_step(timings):
    """(stage or stage: step, seconds) in the order of the run, then the total."""
    out = []
    for s in timings["stages"]:
        out.append((s["stage"], s["seconds"]))
        out += [(f"&nbsp;&nbsp;{s['stage']}: {k}", v) for k, v in s.get("steps", {}).items()]
    return out + [("**total**", timings["total_seconds"])]


def table(one, two):
    """Markdown rows: each stage's (and step's) seconds with one worker and two, the speed-up."""
    rows = ["| stage | 1 worker (s) | 2 workers (s) | speed-up |", "| --- | ---: | ---: | ---: |"]
    second = dict(seconds_by_step(two))
    for name, a in seconds_by_step(one):
        b = second.get(name)
        speedup = f"{a / b:.2f}x" if b and a >= 0.5 else "–"
        rows.append(f"| {name} | {a:.1f} | {'?' if b is None else f'{b:.1f}'} | {speedup} |")
    return rows


def single_line(single):
    """What pustaka alone took on the same input, if measured."""
    if not single:
        return []
    return [f"pustaka alone on the same input and machine (both cores, no Spark): "
            f"`pustaka index` {single['index']:.1f} s, `pustaka dupes --count-all` "
            f"{single['dupes']:.1f} s.", ""]


def report(one, two, single=None):
    """The Markdown text."""
    t1, t2 = one[0], two[0]
    c = t1["counts"]
    return "\n".join([
        f"# Spark job on a standalone cluster: 1 worker vs 2 ({date.today().isoformat()})",
        "",
        f"commit {commit()}; {machine()}.",
        f"Input {t1['input']}: {c['documents']} documents, {c['passages']} passages in "
        f"{c['splits']} splits ({t1['partitions']} partitions); {c['candidates']} candidate pairs, "
        f"{c['pairs']} reuse pairs.",
        "Master and workers on 127.0.0.1, each worker 1 core pinned to a core of its own "
        "(taskset), the driver unpinned; `bash contrib/spark/standalone.sh` reproduces it. "
        "With one worker the driver (its JVM, Python and the Parquet and shuffle planning) has "
        "the other core to itself; with two it shares the two cores with the executors, which "
        "then have less than two whole cores.",
        "",
        *table(t1, t2),
        "",
        *single_line(single),
        "Same documents and passages in each split, same candidates and pairs, in both runs: "
        f"{'yes' if same_results(one, two) else 'NO'}.",
        "",
    ])


def main():
    one, two = load(sys.argv[1]), load(sys.argv[2])
    single = None
    if len(sys.argv) > 4:
        with open(sys.argv[4]) as f:
            single = json.load(f)
    text = report(one, two, single)
    print(text)
    os.makedirs(os.path.dirname(os.path.abspath(sys.argv[3])), exist_ok=True)
    with open(sys.argv[3], "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
