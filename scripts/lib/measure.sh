# Shared by the bench scripts (sourced, not run): a temporary directory removed on exit, and
# `measure`, which times a command and reads its peak memory the same way in every report.
#
#   source "$ROOT/scripts/lib/measure.sh"
#   bench_tmpdir NAME          # sets TMP; PUSTAKA_BENCH_KEEP=1 keeps it
#   measure OUT.json CMD...    # runs CMD, writes {"wall_s", "max_rss_kb", "cpu_s", "exit", "via"}

# bench_tmpdir NAME: make TMP under $TMPDIR and remove it on exit unless PUSTAKA_BENCH_KEEP=1.
bench_tmpdir() {
    TMP="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
    BENCH_TMP_NAME="$1"
    trap bench_tmpdir_cleanup EXIT
}

bench_tmpdir_cleanup() {
    if [[ "${PUSTAKA_BENCH_KEEP:-0}" == 1 ]]; then
        echo "$BENCH_TMP_NAME: kept $TMP" >&2
    else
        rm -rf "$TMP"
    fi
}

# measure OUT.json CMD...: GNU /usr/bin/time -v when it works (peak RSS of the command itself);
# otherwise a python wrapper reading RUSAGE_CHILDREN. Returns the command's exit status.
if /usr/bin/time -v true >/dev/null 2>&1; then
    measure() {
        local out="$1"; shift
        local start end rc=0
        start="$(date +%s.%N)"
        /usr/bin/time -v -o "$out.time" "$@" || rc=$?
        end="$(date +%s.%N)"
        python3 - "$out" "$out.time" "$start" "$end" "$rc" <<'PY'
import json, re, sys
out, tfile, start, end, rc = sys.argv[1:]
text = open(tfile).read()
m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
u = re.search(r"User time \(seconds\): ([\d.]+)", text)
s = re.search(r"System time \(seconds\): ([\d.]+)", text)
json.dump({"wall_s": float(end) - float(start), "max_rss_kb": int(m.group(1)) if m else None,
           "cpu_s": float(u.group(1)) + float(s.group(1)) if u and s else None,
           "exit": int(rc), "via": "/usr/bin/time -v"}, open(out, "w"))
PY
        return "$rc"
    }
else
    measure() {
        local out="$1"; shift
        python3 - "$out" "$@" <<'PY'
import json, resource, subprocess, sys, time
out, cmd = sys.argv[1], sys.argv[2:]
t0 = time.perf_counter()
rc = subprocess.run(cmd).returncode
wall = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
kb = ru.ru_maxrss // 1024 if sys.platform == "darwin" else ru.ru_maxrss
json.dump({"wall_s": wall, "max_rss_kb": kb, "cpu_s": ru.ru_utime + ru.ru_stime, "exit": rc,
           "via": "python RUSAGE_CHILDREN"}, open(out, "w"))
sys.exit(rc)
PY
    }
fi

# measured_commit: the short commit, with `+changes` when the code differs from it. The reports
# and the README are not what is measured: a step run after another rewrote its report (not yet
# committed) measures the commit's code, as scripts/peers.py and profile.py decide.
measured_commit() {
    local rev
    rev="$(git rev-parse --short HEAD)"
    if [[ -n "$(git status --porcelain --untracked-files=no -- . ':!docs' ':!README.md')" ]]; then
        rev="$rev+changes"
    fi
    echo "$rev"
}

# The index of ../shared/corpus-large that the scripts reading it share (scripts/relevance_large.sh
# keeps it there too), and `large_index BIN`, which builds it with BIN when it is missing. Run
# from the repository's root, as every script that sources this file is.
LARGE_INDEX=/tmp/pustaka-large-index
large_index() {
    [[ -d $LARGE_INDEX ]] || "$1" --index "$LARGE_INDEX" index ../shared/corpus-large >/dev/null
}
