#!/usr/bin/env python3
"""pustaka on Apache Spark: one index split per partition, passages as Parquet, reuse across all.

    spark-submit contrib/spark/pustaka_spark.py --input IN --output OUT [--partitions N]
        [--pustaka BIN] [--include-formulaic] [--min-similarity X]
    python3 contrib/spark/pustaka_spark.py ... --master local[2]

Every step that reads, cuts, fingerprints, indexes or aligns text is pustaka's own binary, run
by the partitions; this module only moves documents and passage ids between them, so the results
are those of `pustaka index` / `pustaka dupes` on one machine (the test, test_spark_job.py, checks
exactly that). Three stages, each timed (a table on stdout and OUT/timings.json):

1. split: the documents are dealt to N partitions as N contiguous ranges of about the same
   size of the input, in the order `pustaka index IN` reads it (files by relative path,
   records in file order; documents sharing an id go with the first, which pustaka keeps).
   Split k thus holds range k in one index's order, and over the splits, listed in that order,
   passages of equal score rank as in one index. Each partition writes its documents to a local
   temporary folder (a whole file under its path relative to IN, so its id is the one `pustaka
   index IN` gives it; a JSON Lines record into a file of its file's name), indexes it with
   `pustaka index` into OUT/splits/split-NNNNN (built in the temporary folder, then moved in,
   so a retried task leaves a whole split; what pustaka skipped, and why, goes to
   OUT/logs/split-NNNNN.log) and lists its passages with `pustaka passages --json
   --fingerprints`. The passages, every field, nested ones kept, plus the `split` that holds
   them, go to OUT/passages (Parquet).
2. metastore: the driver lists the splits with `pustaka metastore OUT/metastore.json`.
   `pustaka --splits OUT/metastore.json search ...` then ranks over all splits as over one index.
3. reuse: (fingerprint, passage) rows are grouped by fingerprint; a fingerprint held by 2 to
   max_shared passages (`pustaka align --rules`) pairs every two of them. The distinct pairs
   are spread over the partitions and piped to `pustaka --splits OUT/metastore.json align`,
   which does what `dupes` does with them (formulaic passages, alignment, thresholds, scores
   over the global fingerprint frequencies). Its pairs go to OUT/reuse (Parquet).

Input (--input): a directory (files pustaka reads: .txt .md .jsonl .pdf .docx .odt; a .jsonl
file is read in byte ranges and dealt record by record, so one large file spreads over all
partitions), one such file, or a Parquet dataset of documents with pustaka's JSON Lines record
columns: `id` and `text`, optional `title` and `lang`. Two differences from one `pustaka index`:
a UTF-16 .jsonl file goes whole to one partition (records are cut at '\n' bytes), and a .jsonl
file over pustaka's 512 MiB limit for one file is read all the same, record by record.

Where things must be: IN and OUT are plain (POSIX) paths that the driver and every executor
see at the same place. On one machine (local[N], or a standalone cluster on loopback) any
folder does. On a real cluster OUT (and IN) must be a shared file system mounted on every node
at the same path (NFS, Lustre, CephFS, EFS, a Kubernetes ReadWriteMany volume), because the
splits are folders written by the executors and read by `pustaka metastore` on the driver and
by `pustaka align` on the executors; Parquet goes there too (file:// paths). Without a shared
file system, copy each split to common storage after the split stage (e.g. `hdfs dfs -put` or
`aws s3 cp` of OUT/splits/split-NNNNN) and back to a local OUT on the nodes before the
metastore and reuse stages; this job does not do that copy.

The binary: `--pustaka` (default: `pustaka` on PATH, else this repository's
target/release/pustaka) must run on the driver. The driver's copy is shipped to the executors
with SparkContext.addFile; an executor runs `--pustaka` itself when that path is an executable
file there (an install on every node), the shipped copy otherwise. pustaka uses the cores its
process may run on (CPU affinity, container quota), so give executors the cores of their
containers. A pustaka run that exits with an error fails its task with pustaka's stderr in
the message.
"""
import argparse
import atexit
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import datetime, timezone
from functools import partial

from pyspark import SparkFiles, StorageLevel
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

# The extensions `pustaka index` reads (src/ingest/read.rs, Format::of), any case.
WHOLE_FILE_EXTENSIONS = (".txt", ".md", ".pdf", ".docx", ".odt")
JSONL_EXTENSION = ".jsonl"
# Where records of a Parquet input are written in a partition's folder (any name would do:
# a record's id is its own `id`).
PARQUET_RECORDS_FILE = "documents.jsonl"
# The record fields pustaka reads (src/ingest/read.rs, struct Record); others are ignored.
RECORD_FIELDS = ("id", "text", "title", "lang")
HERE = os.path.dirname(os.path.abspath(__file__))
REPO_BINARY = os.path.join(HERE, "..", "..", "target", "release", "pustaka")


class PustakaError(RuntimeError):
    """pustaka exited with an error; the message carries its command line and stderr."""


# ---------------------------------------------------------------------------------------------
# Running pustaka
# ---------------------------------------------------------------------------------------------


def run_pustaka(binary, args, stdin=None, ok=(0,), log=None):
    """pustaka's stdout; any other exit status raises with its stderr, so that the task (or the
    driver) fails saying what pustaka said rather than failing later on missing output. With
    `log`, its stdout and stderr (its summary: what it skipped and why) go to that file."""
    proc = subprocess.run([binary, "--color", "never", *args], input=stdin, capture_output=True)
    if log:
        with open(log, "ab") as f:
            f.write(b"$ pustaka " + " ".join(args).encode() + b"\n" + proc.stdout + proc.stderr)
    if proc.returncode not in ok:
        stderr = proc.stderr.decode("utf-8", "replace").strip()
        raise PustakaError(
            f"pustaka {' '.join(args)} exited with status {proc.returncode}:\n{stderr}"
        )
    return proc.stdout


def json_lines(data):
    """The non-empty lines of a command's stdout, as str."""
    return [line for line in data.decode("utf-8").split("\n") if line.strip()]


def resolve_driver_binary(option):
    """The binary the driver runs: `--pustaka` as a path, then as a name on PATH, then as a file
    shipped with spark-submit --files (cluster deploy mode); without `--pustaka`, `pustaka` on
    PATH, then this repository's release build."""
    candidates = [option, shutil.which(option)] if option else [shutil.which("pustaka")]
    if option:
        candidates.append(SparkFiles.get(os.path.basename(option)))
    else:
        candidates.append(REPO_BINARY)
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return os.path.abspath(path)
    raise SystemExit(f"pustaka_spark: no pustaka binary at {option or 'PATH or ' + REPO_BINARY}")


def ship_binary(sc, binary):
    """Ship the driver's binary to the executors under a name of its content's hash: two runs
    in one Spark application (or a rebuilt binary) never collide on one name in SparkFiles."""
    digest = hashlib.sha256()
    with open(binary, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    name = f"pustaka-{digest.hexdigest()[:16]}"
    folder = tempfile.mkdtemp(prefix="pustaka-spark-bin-")
    atexit.register(shutil.rmtree, folder, True)  # executors fetch it until the job ends
    staged = os.path.join(folder, name)
    shutil.copy2(binary, staged)
    sc.addFile(staged)
    return name


def executor_binary(option, shipped):
    """The binary an executor runs: `--pustaka` where it is an executable file on this node,
    else the copy the driver shipped (made executable if the fetch lost the mode)."""
    if option and os.path.isfile(option) and os.access(option, os.X_OK):
        return option
    path = SparkFiles.get(shipped)
    if not os.access(path, os.X_OK):
        os.chmod(path, 0o755)
    return path


# ---------------------------------------------------------------------------------------------
# Input: what goes to which partition
# ---------------------------------------------------------------------------------------------


def range_of(position, total, n):
    """The partition of a document that starts `position` bytes (rows, for Parquet) into the
    input of `total`: N contiguous ranges of about the same size."""
    return min(n - 1, position * n // max(total, 1))


def is_parquet(path):
    """Parquet input: a .parquet path, or a folder holding .parquet files at its top."""
    if path.endswith(".parquet"):
        return True
    return os.path.isdir(path) and any(n.endswith(".parquet") for n in os.listdir(path))


def source_files(root):
    """(relative path, path) of every file under `root` pustaka may read, sorted by relative
    path as pustaka sorts them, each real file once (links are followed, loops are not).
    Hidden names are left out, as pustaka leaves them out; everything else it skips
    (README.md, lock files, a PDF beside its text) it skips in the partition's folder."""
    found, seen = [], set()
    for top, dirs, files in os.walk(root, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            ext = os.path.splitext(name)[1].lower()
            if name.startswith(".") or ext not in WHOLE_FILE_EXTENSIONS + (JSONL_EXTENSION,):
                continue
            path = os.path.join(top, name)
            found.append(("/".join(os.path.relpath(path, root).split(os.sep)), path))
    found.sort(key=lambda f: f[0].encode("utf-8", "surrogateescape"))
    unique, files_seen = [], set()
    for rel, path in found:
        if os.path.realpath(path) not in files_seen:
            files_seen.add(os.path.realpath(path))
            unique.append((rel, path))
    return unique


def splittable_jsonl(path):
    """Whether a .jsonl file can be dealt record by record: UTF-8 (pustaka would decode a
    UTF-16 file as a whole, so that one goes whole)."""
    with open(path, "rb") as f:
        head = f.read(4096)
    return not (head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head)


def whole_file_key(rel, rels):
    """The id a whole file is dealt by: its relative path, except that a PDF goes with its text
    extraction (x.pdf with x.txt or x.md), which pustaka reads instead, skipping the PDF."""
    stem, ext = os.path.splitext(rel)
    if ext.lower() == ".pdf":
        for sibling in (stem + ".txt", stem + ".md", stem + ".TXT", stem + ".MD"):
            if sibling in rels:
                return sibling
    return rel


def plan_units(root, chunk_bytes):
    """The units the executors read, in the order pustaka reads the input, each with the byte
    position where it starts in the whole input: ("file", rel, path, key, base) for a whole
    file, ("chunk", rel, path, start, end, base) for a byte range of a JSON Lines file whose
    first byte is at `base`. Returns (units, total bytes)."""
    files = [(os.path.basename(root), root)] if os.path.isfile(root) else source_files(root)
    rels = {rel for rel, _ in files}
    units, base = [], 0
    for rel, path in files:
        size = os.path.getsize(path)
        if rel.lower().endswith(JSONL_EXTENSION) and splittable_jsonl(path):
            for start in range(0, max(size, 1), chunk_bytes):
                units.append(("chunk", rel, path, start, min(start + chunk_bytes, size), base))
        else:
            units.append(("file", rel, path, whole_file_key(rel, rels), base))
        base += size
    return units, base


def lines_in_range(path, start, end):
    """(byte offset, line) of every line that starts in [start, end): a line belongs to the
    range its first byte is in, as in Hadoop's line reader, so ranges neither lose nor repeat
    a record."""
    with open(path, "rb") as f:
        if start > 0:
            f.seek(start - 1)
            f.readline()  # the rest of the line the range starts inside (or the '\n' before it)
        while f.tell() < end:
            offset = f.tell()
            line = f.readline()
            if not line:
                break
            yield offset, line


def record_key(line):
    """The id of a JSON Lines record (integers as pustaka reads them, as their digits); None
    for a line that is not a record (pustaka reports it in whichever split has it)."""
    try:
        record = json.loads(line)
    except ValueError:
        return None
    rid = record.get("id") if isinstance(record, dict) else None
    if isinstance(rid, bool) or not isinstance(rid, (str, int)):
        return None
    return str(rid)


def read_unit(unit):
    """(id, position, (rel, order, bytes)) for every document of a unit: a whole file's bytes,
    or each record line of a byte range."""
    if unit[0] == "file":
        _, rel, path, key, base = unit
        with open(path, "rb") as f:
            yield key, base, (rel, 0, f.read())
        return
    _, rel, path, start, end, base = unit
    for offset, line in lines_in_range(path, start, end):
        if offset == 0 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]  # a UTF-8 byte order mark belongs to the file, not to its first record
        if line.strip():
            yield record_key(line), base + offset, (rel, offset, line.rstrip(b"\n"))


def files_input(sc, root, chunk_bytes):
    """The documents of a directory or file, read on the executors; and the input's size."""
    units, total = plan_units(root, chunk_bytes)
    if not units:
        raise SystemExit(f"pustaka_spark: no file pustaka reads under {root}")
    return sc.parallelize(units, len(units)).flatMap(read_unit), total


def parquet_record(row):
    """A Parquet row as the JSON Lines record pustaka reads (integer ids as their digits)."""
    record = {k: row[k] for k in RECORD_FIELDS if k in row and row[k] is not None}
    if isinstance(record.get("id"), int):
        record["id"] = str(record["id"])
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def parquet_input(spark, path):
    """The records of a Parquet dataset of documents, in dataset order (a record's position is
    its row number); and the number of rows."""
    df = spark.read.parquet(path)
    missing = [c for c in ("id", "text") if c not in df.columns]
    if missing:
        raise SystemExit(f"pustaka_spark: {path} has no column {', '.join(missing)}")
    rows = df.select([c for c in RECORD_FIELDS if c in df.columns]).rdd.zipWithIndex()
    docs = rows.map(
        lambda ri: (
            None if ri[0]["id"] is None else str(ri[0]["id"]),
            ri[1],
            (PARQUET_RECORDS_FILE, ri[1], parquet_record(ri[0].asDict())),
        )
    )
    return docs, df.count()


def deal(sc, docs, total, n):
    """(partition, (rel, order, bytes)) for every document: N contiguous ranges of the input in
    the order `pustaka index` reads it, balanced by bytes, so that split k holds the documents
    of range k in one index's order (a query over the splits ranks as over one index whatever
    the order: pustaka breaks ties of equal scores by passage id, not by place in an index).
    Documents sharing an id (pustaka keeps the first it reads, and skips the others) all go
    with the first, as does a PDF with its text extraction. `docs` is read twice: keep it."""
    firsts = (
        docs.filter(lambda d: d[0] is not None)
        .map(lambda d: (d[0], (d[1], 1)))
        .reduceByKey(lambda a, b: (min(a[0], b[0]), a[1] + b[1]))
        .filter(lambda kv: kv[1][1] > 1)
        .mapValues(lambda v: v[0])
        .collectAsMap()
    )
    shared = sc.broadcast(firsts)
    return docs.map(lambda d: (range_of(shared.value.get(d[0], d[1]), total, n), d[2]))


# ---------------------------------------------------------------------------------------------
# Stage 1: one split per partition
# ---------------------------------------------------------------------------------------------


def write_documents(folder, docs):
    """Write a partition's documents under `folder`: whole files under their relative path,
    JSON Lines records appended (in input order) to a file of their file's name."""
    for rel, order, data in sorted(docs, key=lambda d: (d[0], d[1])):
        path = os.path.join(folder, *rel.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if rel.lower().endswith(JSONL_EXTENSION) or rel == PARQUET_RECORDS_FILE:
            with open(path, "ab") as f:
                f.write(data if data.endswith(b"\n") else data + b"\n")
        else:
            with open(path, "wb") as f:
                f.write(data)


def publish(built, dest):
    """Move a split built locally into OUT: copied beside its place, then renamed onto it, so a
    reader (or a retried or speculative task) never sees half a split."""
    staging = f"{dest}.tmp-{os.getpid()}-{time.monotonic_ns()}"
    shutil.copytree(built, staging)
    shutil.rmtree(dest, ignore_errors=True)
    os.rename(staging, dest)


def with_split(line, split):
    """A passage line as JSON with the split that holds it."""
    passage = json.loads(line)
    passage["split"] = split
    return json.dumps(passage, ensure_ascii=False)


def build_split(out, option, shipped, index, rows):
    """Index one partition's documents into OUT/splits/split-NNNNN and return its passages (as
    JSON lines with their split). A partition that got no document makes no split."""
    docs = [doc for _, doc in rows]
    if not docs:
        return []
    binary = executor_binary(option, shipped)
    split = f"split-{index:05d}"
    with tempfile.TemporaryDirectory(prefix=f"pustaka-{split}-") as tmp:
        folder, built = os.path.join(tmp, "docs"), os.path.join(tmp, "index")
        log = os.path.join(tmp, "log")
        write_documents(folder, docs)
        run_pustaka(binary, ["--index", built, "index", folder], log=log)
        passages = run_pustaka(binary, ["passages", "--json", "--fingerprints", folder])
        publish(built, os.path.join(out, "splits", split))
        shutil.copyfile(log, os.path.join(out, "logs", f"{split}.log"))
    return [with_split(line, split) for line in json_lines(passages)]


def stage_split(spark, opts, binary_name, steps):
    """Stage 1: the splits in OUT/splits and the passages in OUT/passages; their counts."""
    sc, n = spark.sparkContext, opts.partitions
    if opts.format == "parquet" or (opts.format == "auto" and is_parquet(opts.input)):
        docs, total = parquet_input(spark, opts.input)
    else:
        docs, total = files_input(sc, opts.input, opts.chunk_mb * 1024 * 1024)
    docs = docs.persist(StorageLevel.MEMORY_AND_DISK)
    by_partition = deal(sc, docs, total, n).partitionBy(n, lambda p: p)
    build = partial(build_split, opts.output, opts.pustaka, binary_name)
    # Kept, so that reading the JSON (schema, then rows) does not index every split again.
    lines = by_partition.mapPartitionsWithIndex(build).persist(StorageLevel.MEMORY_AND_DISK)
    if lines.count() == 0:
        raise SystemExit(f"pustaka_spark: pustaka found no passage in {opts.input}")
    docs.unpersist()
    steps.lap("index")
    passages = spark.read.option("mode", "FAILFAST").json(lines)
    passages.write.mode("overwrite").parquet(file_uri(opts.output, "passages"))
    lines.unpersist()
    written = spark.read.parquet(file_uri(opts.output, "passages"))
    counts = written.agg(
        F.count("*").alias("passages"),
        F.countDistinct("doc").alias("documents"),
        F.countDistinct("split").alias("splits"),
    ).first()
    steps.lap("parquet")
    return counts.asDict()


# ---------------------------------------------------------------------------------------------
# Stage 2: the metastore
# ---------------------------------------------------------------------------------------------


def stage_metastore(opts, binary, steps):
    """Stage 2: OUT/metastore.json over every split the first stage wrote; pustaka's summary."""
    splits_dir = os.path.join(opts.output, "splits")
    splits = sorted(
        os.path.join(splits_dir, d)
        for d in os.listdir(splits_dir)
        if d.startswith("split-") and ".tmp-" not in d
    )
    out = run_pustaka(binary, ["metastore", os.path.join(opts.output, "metastore.json"), *splits])
    try:
        return json.loads(out)
    except ValueError:
        return {"output": out.decode("utf-8", "replace").strip()}


# ---------------------------------------------------------------------------------------------
# Stage 3: reuse across all splits
# ---------------------------------------------------------------------------------------------


def candidate_pairs(passages, max_shared):
    """Distinct (a, b) passage-id pairs, a < b, sharing a fingerprint that 2..=max_shared
    passages hold: the candidates `dupes` aligns (a fingerprint held by more is boilerplate)."""
    held = (
        passages.select("id", F.explode("fingerprints").alias("fp"))
        .groupBy("fp")
        .agg(F.array_sort(F.collect_set("id")).alias("ids"))
        .where(F.size("ids").between(2, max_shared))
    )
    pairs = F.expr(
        "flatten(transform(ids, x -> transform(filter(ids, y -> y > x),"
        " y -> named_struct('a', x, 'b', y))))"
    )
    return held.select(F.explode(pairs).alias("p")).select("p.a", "p.b").distinct()


def align_partition(metastore, option, shipped, extra, lines):
    """Pipe one partition's candidate pairs (`{"a": ID, "b": ID}` lines) to `pustaka --splits
    META align`; its reuse pairs, one JSON object a line. Exit status 1 is pustaka's "no pair
    found"."""
    stdin = "".join(line + "\n" for line in lines)
    if not stdin:
        return []
    binary = executor_binary(option, shipped)
    out = run_pustaka(binary, ["--splits", metastore, "align", *extra], stdin.encode(), ok=(0, 1))
    return json_lines(out)


def json_rdd(df):
    """The rows of `df` as JSON strings, made by Spark (DataFrame.toJSON, which warns that it
    will return a DataFrame one day: then its one column)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        out = df.toJSON()
    return out if hasattr(out, "mapPartitions") else out.rdd.map(lambda row: row[0])


def align_args(opts):
    """The options `align` takes from the job's."""
    extra = ["--include-formulaic"] if opts.include_formulaic else []
    if opts.min_similarity is not None:
        extra += ["--min-similarity", str(opts.min_similarity)]
    return extra


def stage_reuse(spark, opts, binary, binary_name, steps):
    """Stage 3: the reuse pairs in OUT/reuse; the rules and counts."""
    rules = json.loads(run_pustaka(binary, ["align", "--rules"]))
    passages = spark.read.parquet(file_uri(opts.output, "passages"))
    pairs = candidate_pairs(passages, int(rules["max_shared"])).persist()
    candidates = pairs.count()
    steps.lap("candidates")
    # Ranges of `a`: a partition's pairs share their first passages, which `align` then reads
    # once (pairs dealt at random cost pustaka half as much again). As JSON made by Spark: the
    # lines `align` reads, without building a Python object per pair.
    spread = pairs.repartitionByRange(opts.partitions, "a", "b").sortWithinPartitions("a", "b")
    metastore = os.path.join(opts.output, "metastore.json")
    align = partial(align_partition, metastore, opts.pustaka, binary_name, align_args(opts))
    found = json_rdd(spread).mapPartitions(align).persist(StorageLevel.MEMORY_AND_DISK)
    n_pairs = found.count()
    steps.lap("align")
    if n_pairs:
        reuse = spark.read.option("mode", "FAILFAST").json(found)
    else:  # no pair: an empty table with the ids still has a schema Parquet can write
        reuse = spark.createDataFrame([], "a struct<passage_id:string>, b struct<passage_id:string>")
    reuse.write.mode("overwrite").parquet(file_uri(opts.output, "reuse"))
    found.unpersist()
    pairs.unpersist()
    steps.lap("parquet")
    return {"rules": rules, "candidates": candidates, "pairs": n_pairs}


# ---------------------------------------------------------------------------------------------
# The job
# ---------------------------------------------------------------------------------------------


def file_uri(out, name):
    """A file:// URI under OUT: Parquet goes to the shared POSIX folder the splits are in, not
    to the cluster's default file system (HDFS on YARN)."""
    return "file://" + os.path.join(out, name)


# Marks a folder as this job's output: only such a folder (or an empty or new one) is cleared.
MARKER = ".pustaka-spark-output"


def clear_output(out):
    """Remove what an earlier run of the job left in OUT (only its own outputs), so that no
    stale split joins the metastore. OUT must be new, empty, or an earlier run's output (it
    holds MARKER): a folder of the user's is refused, never emptied."""
    os.makedirs(out, exist_ok=True)
    if os.listdir(out) and not os.path.exists(os.path.join(out, MARKER)):
        raise SystemExit(f"pustaka_spark: {out} is not empty and not an output of this job; "
                         "give --output a new or empty folder")
    with open(os.path.join(out, MARKER), "w") as f:
        f.write("written by contrib/spark/pustaka_spark.py; the next run replaces this folder's "
                "splits, passages, reuse, logs, metastore.json and timings.json\n")
    for name in ("splits", "passages", "reuse", "logs"):
        shutil.rmtree(os.path.join(out, name), ignore_errors=True)
    for name in ("metastore.json", "timings.json"):
        if os.path.exists(os.path.join(out, name)):
            os.remove(os.path.join(out, name))
    os.makedirs(os.path.join(out, "splits"))
    os.makedirs(os.path.join(out, "logs"))


class Steps:
    """The wall time of each step of a stage (where a stage's time goes, in the table)."""

    def __init__(self):
        self.seconds, self.last = {}, time.perf_counter()

    def lap(self, name):
        """The step `name` ends now."""
        now = time.perf_counter()
        self.seconds[name] = round(now - self.last, 3)
        self.last = now


def timed(stages, name, fn, *args):
    """Run one stage, keeping its wall time, its steps' and what it returned."""
    start, steps = time.perf_counter(), Steps()
    result = fn(*args, steps)
    seconds = round(time.perf_counter() - start, 3)
    stages.append({"stage": name, "seconds": seconds, "steps": steps.seconds})
    return result


def run(spark, opts):
    """Run the three stages; returns the report written to OUT/timings.json."""
    sc = spark.sparkContext
    opts.input, opts.output = os.path.abspath(opts.input), os.path.abspath(opts.output)
    opts.partitions = opts.partitions or sc.defaultParallelism
    if not sc.getConf().contains("spark.sql.shuffle.partitions"):
        # Spark's 200 is for big clusters; the fingerprint join is spread over as many tasks as
        # the splits, twice over, unless the user set it.
        spark.conf.set("spark.sql.shuffle.partitions", str(2 * opts.partitions))
    if __name__ != "__main__":
        sc.addPyFile(os.path.abspath(__file__))  # imported (as by the test): executors need it
    binary = resolve_driver_binary(opts.pustaka)
    shipped = ship_binary(sc, binary)
    clear_output(opts.output)
    stages, started = [], datetime.now(timezone.utc)
    counts = timed(stages, "split", stage_split, spark, opts, shipped)
    metastore = timed(stages, "metastore", stage_metastore, opts, binary)
    reuse = timed(stages, "reuse", stage_reuse, spark, opts, binary, shipped)
    # Documents as pustaka counts them (one without passages too), not as passages name them.
    counts["documents"] = metastore.get("documents", counts["documents"])
    report = {
        "started": started.isoformat(timespec="seconds"),
        "input": opts.input,
        "output": opts.output,
        "master": sc.master,
        "partitions": opts.partitions,
        "default_parallelism": sc.defaultParallelism,
        "stages": stages,
        "total_seconds": round(sum(s["seconds"] for s in stages), 3),
        "counts": {**counts, "candidates": reuse["candidates"], "pairs": reuse["pairs"]},
        "rules": reuse["rules"],
        "metastore": metastore,
    }
    with open(os.path.join(opts.output, "timings.json"), "w") as f:
        json.dump(report, f, indent=2)
        f.write("\n")
    return report


def print_report(report):
    """The per-stage table on stdout."""
    c = report["counts"]
    detail = {
        "split": f"{c['splits']} splits, {c['documents']} documents, {c['passages']} passages",
        "metastore": "OUT/metastore.json",
        "reuse": f"{c['candidates']} candidate pairs, {c['pairs']} reuse pairs",
    }
    print(f"pustaka_spark: {report['master']}, {report['partitions']} partitions")
    print(f"{'stage':<10} {'seconds':>9}  result")
    for s in report["stages"]:
        print(f"{s['stage']:<10} {s['seconds']:>9.1f}  {detail.get(s['stage'], '')}")
        for step, seconds in s["steps"].items():
            print(f"  {step:<8} {seconds:>9.1f}")
    print(f"{'total':<10} {report['total_seconds']:>9.1f}  {report['output']}/timings.json")


def parse_args(argv):
    """The job's options."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--input", required=True, help="folder or file of documents, or Parquet")
    p.add_argument("--output", required=True, help="output folder (shared by all executors)")
    p.add_argument("--partitions", type=int, help="splits to build (default: Spark's parallelism)")
    p.add_argument("--pustaka", help="the pustaka binary (default: on PATH, else target/release)")
    p.add_argument("--include-formulaic", action="store_true", help="as `dupes --include-formulaic`")
    p.add_argument("--min-similarity", type=float, help="as `dupes --min-similarity`")
    p.add_argument("--format", choices=("auto", "files", "parquet"), default="auto")
    p.add_argument("--chunk-mb", type=int, default=8, help="JSON Lines read in ranges of this size")
    p.add_argument("--master", help="Spark master when run with python3 (e.g. local[2])")
    return p.parse_args(argv)


def main(argv=None):
    """Entry point for spark-submit and python3."""
    opts = parse_args(sys.argv[1:] if argv is None else argv)
    builder = SparkSession.builder.appName("pustaka")
    if opts.master:
        builder = builder.master(opts.master)
    spark = builder.getOrCreate()
    try:
        print_report(run(spark, opts))
    finally:
        spark.stop()


if __name__ == "__main__":
    main()
