#!/usr/bin/env bash
# The Spark job on a standalone cluster on this machine: a master and two workers on 127.0.0.1
# (1 core each), the job over all of ../shared/corpus-large with one worker, then with two; time per
# stage, the speed-up, and docs/bench/spark.md with the figures.
#
#   bash contrib/spark/standalone.sh            (PARTITIONS=4, INPUT=../shared/corpus-large)
#
# Needs pyspark (pip install pyspark==4.3.0; its package has Spark's jars and bin/spark-class, but
# no sbin scripts, so the daemons are started with spark-class here), Java 17 and
# target/release/pustaka. Each worker is pinned to a core of its own with taskset when there are
# two, so that one worker means one core for everything it runs (executor, Python, pustaka: pustaka
# uses every core its process may run on). Logs, work folders and outputs go to a temporary folder,
# removed at the end with everything this script started.
set -euo pipefail
cd "$(dirname "$0")/../.."
INPUT=${INPUT:-../shared/corpus-large}
PARTITIONS=${PARTITIONS:-4}
WORKER_MEMORY=${WORKER_MEMORY:-2g}
SPARK_HOME=$(python3 -c 'import pyspark, os; print(os.path.dirname(pyspark.__file__))')
export SPARK_HOME
[[ -x target/release/pustaka ]] || { echo "standalone.sh: build target/release/pustaka first" >&2; exit 2; }
[[ -e $INPUT ]] || { echo "standalone.sh: $INPUT not found" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pustaka-standalone.XXXXXX")
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# A copy of the binary: a rebuild of target/release during the runs must not change it.
cp target/release/pustaka "$WORK/pustaka"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
MASTER_PORT=$(free_port)
MASTER_UI=$(free_port)
MASTER=spark://127.0.0.1:$MASTER_PORT

# Wait until the master's JSON page lists $1 alive workers (or the master is up, for 0).
wait_for_workers() {
    for _ in $(seq 120); do
        if python3 - "$MASTER_UI" "$1" <<'EOF' 2>/dev/null; then return 0; fi
import json, sys, urllib.request
state = json.load(urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/json/", timeout=2))
sys.exit(0 if state.get("aliveworkers", 0) >= int(sys.argv[2]) else 1)
EOF
        sleep 1
    done
    echo "standalone.sh: the master did not see $1 worker(s); logs in $WORK" >&2
    tail -20 "$WORK"/*.log >&2
    exit 1
}

start_master() {
    SPARK_LOCAL_IP=127.0.0.1 "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
        --host 127.0.0.1 --port "$MASTER_PORT" --webui-port "$MASTER_UI" >"$WORK/master.log" 2>&1 &
    PIDS+=($!)
    wait_for_workers 0
}

# Worker $1 (1 or 2): one core, pinned to core $1-1 when the machine has two or more.
start_worker() {
    local pin=()
    if command -v taskset >/dev/null && (($(nproc) >= 2)); then pin=(taskset -c $(($1 - 1))); fi
    mkdir -p "$WORK/worker$1" "$WORK/local$1"
    SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_DIRS="$WORK/local$1" "${pin[@]}" \
        "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker \
        --host 127.0.0.1 --cores 1 --memory "$WORKER_MEMORY" --work-dir "$WORK/worker$1" \
        --webui-port "$(free_port)" "$MASTER" >"$WORK/worker$1.log" 2>&1 &
    PIDS+=($!)
    wait_for_workers "$1"
}

# The job with the workers there are, output in $WORK/out-$1.
run_job() {
    echo "== the job with $1 worker(s): $INPUT, $PARTITIONS partitions"
    SPARK_LOCAL_IP=127.0.0.1 "$SPARK_HOME/bin/spark-submit" --master "$MASTER" \
        --driver-memory 2g --executor-memory 1536m \
        --conf spark.local.dir="$WORK/driver" --conf spark.ui.showConsoleProgress=false \
        --conf spark.ui.enabled=false \
        contrib/spark/pustaka_spark.py --input "$INPUT" --output "$WORK/out-$1" \
        --partitions "$PARTITIONS" --pustaka "$WORK/pustaka" 2>"$WORK/job-$1.log" \
        || { tail -40 "$WORK/job-$1.log" >&2; exit 1; }
}

# Seconds a command takes (its output dropped).
seconds_of() {
    python3 - "$@" <<'EOF'
import subprocess, sys, time
start = time.perf_counter()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
print(round(time.perf_counter() - start, 2))
EOF
}

# pustaka alone on the same input first, for comparison (both cores, no Spark).
echo "== pustaka alone: index, then dupes --count-all"
INDEX_S=$(seconds_of "$WORK/pustaka" --index "$WORK/single" index "$INPUT")
DUPES_S=$(seconds_of "$WORK/pustaka" --index "$WORK/single" dupes --json --limit 1 --count-all)
echo "{\"index\": $INDEX_S, \"dupes\": $DUPES_S}" >"$WORK/single.json"
rm -rf "$WORK/single"

start_master
start_worker 1
run_job 1
start_worker 2
run_job 2
python3 contrib/spark/bench_report.py "$WORK/out-1" "$WORK/out-2" docs/bench/spark.md \
    "$WORK/single.json"
