#!/usr/bin/env python3
"""The Spark job (pustaka_spark.py) gives what pustaka gives on one machine (issue 19).

    python3 contrib/spark/test_spark_job.py        (run by .ci/run; needs pyspark and Java 17)

The input is the seed corpus (corpus/) plus a slice of ../shared/corpus-large (the first 60
court decisions and 20 PLOS articles, as two .jsonl files). The job runs in local[2] with 3
partitions, its JSON Lines read in 1 MiB ranges so that records of one file are dealt over the
partitions. Then, against one index built by `pustaka index` from the same input:

1. the passages in Parquet are `pustaka passages --json --fingerprints` of the input, every
   field of every passage;
2. searches over the splits (`--splits OUT/metastore.json`) rank the same passages with the
   same scores (to 1e-4), in the same order, as over the one index (equal scores included:
   pustaka orders them by document id and passage number);
3. the reuse pairs are those of `pustaka dupes --count-all` on the one index, with their
   scores, and some pair across two splits (court decisions share text), so that a join that
   missed other splits' passages would fail.

Two smaller runs in this process check a Parquet input and that pustaka's error fails the job
with pustaka's own message. Without ../shared/corpus-large the test is skipped, saying so, except
on CI (CI set), where it fails.
"""
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
# PUSTAKA_SPARK_TEST_BIN: another binary (to try the job against a build elsewhere).
BINARY = os.environ.get("PUSTAKA_SPARK_TEST_BIN") or os.path.join(REPO, "target", "release", "pustaka")
LARGE = os.path.normpath(os.path.join(REPO, "..", "shared", "corpus-large"))
COURT, PLOS = 60, 20
PARTITIONS = 3
TOLERANCE = 1e-4
# The most pairs `dupes` lists (api::MAX_LIST).
MAX_LIST = 1000
QUERIES = [
    ["perdagangan manusia"],
    ["terdakwa dipidana penjara"],
    ["putusan pengadilan negeri"],
    ['"hak asasi manusia"'],
    ['"tindak pidana perdagangan orang"'],
    ["Pasal 2 ayat (1) Undang-Undang Nomor 21 Tahun 2007"],
    ["stem cell research"],
    ['"gene expression"'],
    ["malaria transmission mosquito"],
    ["child trafficking", "--per-doc", "0"],
    ["Saragih Alfajri 2023"],
]

sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # importing pustaka_spark leaves no __pycache__ in the repository


def pustaka(binary, *args, ok=(0,)):
    """pustaka's stdout as text; another exit status fails the test with its stderr."""
    proc = subprocess.run([binary, "--color", "never", *args], capture_output=True, text=True)
    if proc.returncode not in ok:
        raise AssertionError(f"pustaka {' '.join(args)}: status {proc.returncode}\n{proc.stderr}")
    return proc.stdout


def head_lines(src, dest, n):
    """The first n lines of a JSON Lines file, into dest."""
    with open(src, "rb") as f, open(dest, "wb") as out:
        for _, line in zip(range(n), f):
            out.write(line)


def build_input(tmp):
    """The seed corpus, with the corpus-large slice beside it in large/."""
    root = os.path.join(tmp, "input")
    shutil.copytree(os.path.join(REPO, "corpus"), root)
    os.makedirs(os.path.join(root, "large"))
    head_lines(os.path.join(LARGE, "id_court_decisions.jsonl"),
               os.path.join(root, "large", "court_decisions.jsonl"), COURT)
    head_lines(os.path.join(LARGE, "en_plos_fulltext.jsonl"),
               os.path.join(root, "large", "plos.jsonl"), PLOS)
    return root


def without_nulls(value):
    """A JSON value with null object fields dropped: Parquet has a column for every field any
    passage has, so a field one passage lacks reads back as null."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def close(x, y):
    """Equal JSON values, numbers to TOLERANCE; the path of the first difference, or None."""
    if isinstance(x, dict) and isinstance(y, dict):
        if x.keys() != y.keys():
            return f"keys {sorted(x.keys() ^ y.keys())}"
        return next((f".{k}{d}" for k in x if (d := close(x[k], y[k])) is not None), None)
    if isinstance(x, list) and isinstance(y, list):
        if len(x) != len(y):
            return f" lengths {len(x)} != {len(y)}"
        return next((f"[{i}]{d}" for i, (a, b) in enumerate(zip(x, y)) if (d := close(a, b))), None)
    numbers = (int, float)
    if isinstance(x, numbers) and isinstance(y, numbers) and not isinstance(x, bool):
        return None if math.isclose(x, y, rel_tol=0, abs_tol=TOLERANCE) else f": {x} != {y}"
    return None if x == y else f": {x!r} != {y!r}"


class SparkJobTest(unittest.TestCase):
    """One run of the job over the seed corpus and the slice, compared with one index."""

    @classmethod
    def setUpClass(cls):
        if not os.path.isdir(LARGE):
            message = f"{LARGE} not found: the test needs a slice of corpus-large"
            if os.environ.get("CI"):
                raise AssertionError(message)
            raise unittest.SkipTest(message)
        if not os.access(BINARY, os.X_OK):
            raise AssertionError(f"{BINARY} not found: build it first (cargo build --release)")
        cls.tmp = tempfile.mkdtemp(prefix="pustaka-spark-test-")
        try:
            cls.prepare()
        except BaseException:
            cls.tearDownClass()
            raise

    @classmethod
    def prepare(cls):
        """The job's run and the one index to compare it with."""
        # A copy: a rebuild of target/release during the run must not change the binary under it.
        cls.binary = shutil.copy2(BINARY, os.path.join(cls.tmp, "pustaka"))
        cls.input = build_input(cls.tmp)
        cls.out = os.path.join(cls.tmp, "out")
        cls.meta = os.path.join(cls.out, "metastore.json")
        cls.single = os.path.join(cls.tmp, "single")
        cls.run_job()
        pustaka(cls.binary, "--index", cls.single, "index", cls.input)
        cls.start_spark()

    @classmethod
    def run_job(cls):
        """The job as users run it: python3 pustaka_spark.py ... --master local[2]."""
        args = [sys.executable, os.path.join(HERE, "pustaka_spark.py"), "--input", cls.input,
                "--output", cls.out, "--partitions", str(PARTITIONS), "--master", "local[2]",
                "--pustaka", cls.binary, "--chunk-mb", "1"]
        proc = subprocess.run(args, capture_output=True, text=True)
        if proc.returncode != 0:
            raise AssertionError(f"the job failed ({proc.returncode}):\n{proc.stderr[-6000:]}")
        print(proc.stdout, file=sys.stderr)

    @classmethod
    def start_spark(cls):
        """A Spark session in this process, to read the Parquet back (and for the small runs)."""
        from pyspark.sql import SparkSession
        cls.spark = (SparkSession.builder.master("local[2]").appName("pustaka-test")
                     .config("spark.ui.showConsoleProgress", "false").getOrCreate())
        cls.spark.sparkContext.setLogLevel("ERROR")

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "spark", None):
            cls.spark.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def parquet(self, name):
        """The rows of OUT/<name> as plain JSON values."""
        rows = self.spark.read.parquet("file://" + os.path.join(self.out, name)).collect()
        return [without_nulls(r.asDict(recursive=True)) for r in rows]

    def test_passages_are_pustakas(self):
        """(1) Every passage of the splits, every field, is the one `pustaka passages` cuts."""
        lines = pustaka(self.binary, "passages", "--json", "--fingerprints", self.input)
        expected = {p["id"]: without_nulls(p) for p in map(json.loads, lines.splitlines())}
        rows = self.parquet("passages")
        split_of = {r["id"]: r.pop("split") for r in rows}
        got = {r["id"]: r for r in rows}
        self.assertEqual(len(rows), len(got), "a passage in two splits")
        self.assertEqual(sorted(got), sorted(expected))
        for pid, passage in expected.items():
            self.assertEqual(got[pid], passage, pid)
        self.assertTrue(any(p["fingerprints"] for p in expected.values()), "no fingerprints")
        docs_in = {}
        for pid, split in split_of.items():
            docs_in.setdefault(got[pid]["doc"], set()).add(split)
        self.assertTrue(all(len(s) == 1 for s in docs_in.values()), "a document in two splits")
        self.assertEqual(len(set(split_of.values())), PARTITIONS)
        court = set().union(*(s for d, s in docs_in.items() if d.startswith("idcourt-")))
        self.assertGreater(len(court), 1, "the records of one JSON Lines file in one split")

    def search(self, where, query, limit=20):
        """A search's JSON, over the splits or the one index."""
        args = ["--splits", self.meta] if where == "splits" else ["--index", self.single]
        return json.loads(pustaka(self.binary, *args, "search", "--json", "--limit", str(limit),
                                  *query))

    def assert_same_ranking(self, query, single, splits):
        """The same hits in the same order, scores to TOLERANCE, and the same total: pustaka
        orders equal scores by document id and passage number, not by where a passage sits in
        an index, so ties rank alike too."""
        a, b = single["hits"], splits["hits"]
        self.assertEqual([h["id"] for h in a], [h["id"] for h in b], query)
        for i, (x, y) in enumerate(zip(a, b)):
            self.assertAlmostEqual(x["score"], y["score"], delta=TOLERANCE, msg=f"{query} #{i}")
        self.assertEqual(single["total"], splits["total"], query)

    def test_search_over_splits_ranks_as_one_index(self):
        """(2) Each query ranks the same passages with the same scores over the splits."""
        for query in QUERIES:
            with self.subTest(query=query):
                single, splits = self.search("single", query), self.search("splits", query)
                self.assertTrue(single["hits"], f"{query} finds nothing: a useless query")
                self.assert_same_ranking(query, single, splits)

    def test_reuse_pairs_are_dupes(self):
        """(3) The reuse pairs are `dupes --count-all`'s on the one index, with their scores, and
        some of them join passages of two splits. `dupes` lists at most MAX_LIST pairs (its
        `total` counts them all): the job must find as many, and its best MAX_LIST, ranked as
        `dupes` ranks, must be the pairs `dupes` lists, field for field."""
        out = json.loads(pustaka(self.binary, "--index", self.single, "dupes", "--json",
                                 "--limit", str(MAX_LIST), "--count-all"))
        listed = [without_nulls(p) for p in out["pairs"] if p["kind"] == "reuse"]
        got = {(p["a"]["passage_id"], p["b"]["passage_id"]): p for p in self.parquet("reuse")}
        self.assertTrue(listed, "dupes finds no pair: the comparison would prove nothing")
        self.assertEqual(len(got), out["total"], "every pair, listed or not")
        ranked = sorted(got.values(), key=lambda p: (-p["distinctive"], -p["similarity"],
                                                     p["a"]["passage_id"], p["b"]["passage_id"]))
        ids = lambda ps: [(p["a"]["passage_id"], p["b"]["passage_id"]) for p in ps]
        self.assertEqual(ids(ranked[:len(listed)]), ids(listed))
        for pair in listed:
            key = (pair["a"]["passage_id"], pair["b"]["passage_id"])
            self.assertIsNone(close(got[key], pair), f"{key}: a field differs")
        split_of = {r["id"]: r["split"] for r in self.parquet("passages")}
        across = [k for k in got if split_of[k[0]] != split_of[k[1]]]
        self.assertTrue(across, "no reuse pair across two splits")

    def test_a_folder_of_the_users_is_never_emptied(self):
        """--output naming a non-empty folder the job did not write is refused, and kept."""
        import pustaka_spark
        mine = os.path.join(self.tmp, "mine")
        os.makedirs(os.path.join(mine, "logs"))
        with open(os.path.join(mine, "logs", "notes.txt"), "w") as f:
            f.write("my notes\n")
        with self.assertRaises(SystemExit) as caught:
            pustaka_spark.clear_output(mine)
        self.assertIn("not an output of this job", str(caught.exception))
        with open(os.path.join(mine, "logs", "notes.txt")) as f:
            self.assertEqual(f.read(), "my notes\n")
        # The job's own output folder is replaced as before.
        self.assertTrue(os.path.exists(os.path.join(self.out, pustaka_spark.MARKER)))

    def test_timings_are_written(self):
        """OUT/timings.json has the three stages and the counts."""
        with open(os.path.join(self.out, "timings.json")) as f:
            report = json.load(f)
        self.assertEqual([s["stage"] for s in report["stages"]], ["split", "metastore", "reuse"])
        self.assertEqual(report["counts"]["splits"], PARTITIONS)
        self.assertGreater(report["counts"]["pairs"], 0)

    def job_options(self, **kw):
        """Options for an in-process run of the job (pustaka_spark.run)."""
        import pustaka_spark
        argv = ["--input", kw["input"], "--output", kw["output"], "--partitions", "2",
                "--pustaka", kw.get("pustaka", self.binary)]
        return pustaka_spark.parse_args(argv)

    def test_parquet_input(self):
        """A Parquet dataset of records gives the passages of the same records as JSON Lines."""
        import pustaka_spark
        records = os.path.join(self.input, "large", "plos.jsonl")
        with open(records) as f:
            rows = [json.loads(line) for line in f][:8]
        dataset = os.path.join(self.tmp, "records.parquet")
        df = self.spark.createDataFrame([{k: r.get(k) for k in ("id", "text", "title", "lang")}
                                         for r in rows], "id string, text string, title string, lang string")
        df.write.parquet("file://" + dataset)
        single = os.path.join(self.tmp, "records.jsonl")
        with open(single, "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in rows)
        out = os.path.join(self.tmp, "out-parquet")
        pustaka_spark.run(self.spark, self.job_options(input=dataset, output=out))
        expected = {p["id"]: without_nulls(p) for p in map(json.loads, pustaka(
            self.binary, "passages", "--json", "--fingerprints", single).splitlines())}
        got = self.spark.read.parquet("file://" + os.path.join(out, "passages")).collect()
        got = {r["id"]: without_nulls(r.asDict(recursive=True)) for r in got}
        for passage in got.values():
            passage.pop("split")
        self.assertEqual(got, expected)

    def test_pustaka_error_fails_the_job_with_its_message(self):
        """A pustaka that exits with an error fails the task, and the job, with its stderr."""
        import pustaka_spark
        fake = os.path.join(self.tmp, "failing-pustaka")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\necho 'pustaka: the disk is on fire' >&2\nexit 2\n")
        os.chmod(fake, 0o755)
        opts = self.job_options(input=os.path.join(REPO, "corpus"), pustaka=fake,
                                output=os.path.join(self.tmp, "out-failing"))
        self.spark.sparkContext.setLogLevel("OFF")  # the executor's log of the expected failure
        try:
            with self.assertRaises(Exception) as caught:
                pustaka_spark.run(self.spark, opts)
        finally:
            self.spark.sparkContext.setLogLevel("ERROR")
        self.assertIn("the disk is on fire", str(caught.exception))
        self.assertIn("exited with status 2", str(caught.exception))


if __name__ == "__main__":
    unittest.main(verbosity=2)
