#!/usr/bin/env bash
# The single-machine limits of the README's "Scaling out" (issue 19): passages, index size, RAM and
# `dupes` time at 25, 50 and 100 % of ../shared/corpus-large, and extrapolated to 1 M and 10 M
# passages.
#
#   bash scripts/scale_limits.sh
#   PUSTAKA=/tmp/scale-bin/pustaka bash scripts/scale_limits.sh     # measure a copy of the binary
#
# Steps:
#   1. The binary: $PUSTAKA, or target/release/pustaka (`cargo build --release` only when that is
#      absent and PUSTAKA is unset); copied into the temporary directory and the copy measured, so
#      that a build elsewhere during the run changes nothing measured.
#   2. Slices (scripts/scale_limits.py slice), in the temporary directory, never in the repository:
#      25 %, 50 % and 100 % of the records of each of the two files, by record, so that both
#      languages scale together: every k-th record (stride, the default), so that each share holds
#      the same mix of court categories (the file is ordered by category; PUSTAKA_SCALE_SUBSET=first
#      takes the first records instead, and a share then differs in content as well as in size).
#   3. PUSTAKA_SCALE_ROUNDS rounds (3), each over the shares in turn (25, 50, 100 %, then again):
#        pustaka --index IDX index SLICE_DIR           a new index (the old one removed first)
#        pustaka --index IDX stats --json              passages, index size (size_bytes)
#        pustaka --index IDX dupes --json --limit 50   the default call of a user
#        pustaka --index IDX dupes --json --count-all  every candidate pair aligned
#      each under /usr/bin/time -v (scripts/lib/measure.sh; python's getrusage when GNU time is
#      missing): CPU s (user + sys), wall s, peak RSS; from the dupes JSON: candidates aligned
#      (`candidates`), pairs found (`total`), passages with fingerprints (`passages`).
#   4. scripts/scale_limits.py report: medians over the rounds, fits over the three shares (build
#      CPU, index size and peak RSS linear in passages; `dupes` candidates, pairs and CPU a power law
#      c·n^k, k printed), extrapolation to 1 M and 10 M passages and the RAM they need; writes
#      docs/bench/scale.md (date UTC, commit, binary, machine, the command, the tables) and the raw
#      figures to target/scale-limits.json, and prints the tables.
# CPU seconds are the figures to trust: the machine is shared, wall time depends on what else runs.
#
# Environment:
#   PUSTAKA                   the binary to measure (default target/release/pustaka)
#   PUSTAKA_CORPUS_LARGE      the corpus directory (default ../shared/corpus-large); when it or one of
#                             its two files is missing, the script says so and exits 0
#   PUSTAKA_SCALE_ROUNDS      rounds (3)
#   PUSTAKA_SCALE_SUBSET      stride | first (stride)
#   PUSTAKA_SCALE_REPORT      the markdown written (docs/bench/scale.md; when set, the raw figures go
#                             beside it, .md replaced by .json, instead of target/scale-limits.json)
#   PUSTAKA_BENCH_KEEP=1      keep the temporary directory (slices, indexes, raw figures)
#
# Installs nothing. Needs python3 (3.9+), /usr/bin/time (else python's getrusage). About 2 minutes
# on 2 cores with 3 rounds (about 35 CPU s a round); 1 GB of temporary disk.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

CORPUS="${PUSTAKA_CORPUS_LARGE:-$ROOT/../shared/corpus-large}"
ROUNDS="${PUSTAKA_SCALE_ROUNDS:-3}"
SUBSET="${PUSTAKA_SCALE_SUBSET:-stride}"
REPORT_MD="${PUSTAKA_SCALE_REPORT:-$ROOT/docs/bench/scale.md}"
REPORT_JSON="$ROOT/target/scale-limits.json"
if [[ -n "${PUSTAKA_SCALE_REPORT:-}" ]]; then REPORT_JSON="${REPORT_MD%.md}.json"; fi
NAMES=(id_court_decisions.jsonl en_plos_fulltext.jsonl)
SHARES=(25 50 100)
HELPER=(python3 "$ROOT/scripts/scale_limits.py")

log() { printf '\n== %s\n' "$*" >&2; }

# The command as run, for the report: the settings that change what is measured, then the script.
COMMAND=""
for var in PUSTAKA PUSTAKA_CORPUS_LARGE PUSTAKA_SCALE_ROUNDS PUSTAKA_SCALE_SUBSET; do
    if [[ -n "${!var:-}" ]]; then COMMAND+="$var=${!var} "; fi
done
COMMAND+="bash scripts/scale_limits.sh"

if [[ ! -d "$CORPUS" ]]; then
    echo "scale_limits: no large corpus at $CORPUS; nothing to measure." >&2
    echo "              Set PUSTAKA_CORPUS_LARGE to a directory holding ${NAMES[*]}." >&2
    exit 0
fi
for f in "${NAMES[@]}"; do
    if [[ ! -f "$CORPUS/$f" ]]; then
        echo "scale_limits: $CORPUS/$f is missing; nothing to measure." >&2
        exit 0
    fi
done
command -v python3 >/dev/null || { echo "scale_limits: python3 is required" >&2; exit 1; }
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "scale_limits: PUSTAKA_SCALE_ROUNDS must be a positive integer" >&2; exit 2; }
[[ "$SUBSET" == first || "$SUBSET" == stride ]] || { echo "scale_limits: PUSTAKA_SCALE_SUBSET must be first or stride" >&2; exit 2; }

if [[ -n "${PUSTAKA:-}" ]]; then
    SRC_BIN="$PUSTAKA"
    [[ -x "$SRC_BIN" ]] || { echo "scale_limits: PUSTAKA=$SRC_BIN is not an executable" >&2; exit 2; }
else
    SRC_BIN="$ROOT/target/release/pustaka"
    if [[ ! -x "$SRC_BIN" ]]; then
        log "cargo build --release (no $SRC_BIN)"
        cargo build --release
    fi
fi

source "$ROOT/scripts/lib/measure.sh"
bench_tmpdir pustaka-scale
mkdir -p "$TMP/bin"
cp -p "$SRC_BIN" "$TMP/bin/pustaka"
BIN="$TMP/bin/pustaka"
"${HELPER[@]}" binary "$BIN" > "$TMP/binary.json"
"${HELPER[@]}" machine > "$TMP/machine-before.json"
echo "scale_limits: measuring $SRC_BIN ($(cat "$TMP/binary.json")) in $TMP" >&2
if ! /usr/bin/time -v true >/dev/null 2>&1; then
    echo "scale_limits: no GNU /usr/bin/time; CPU and peak RSS from python's getrusage" >&2
fi

log "slices ($SUBSET): 25 %, 50 %, 100 % of the records of each file"
"${HELPER[@]}" slice "$CORPUS" "$TMP" "$SUBSET" --shares "${SHARES[@]}" --files "${NAMES[@]}"

# dupes_run SHARE_DIR ROUND NAME ARGS...: one timed `dupes` call, its counts kept, its output dropped.
dupes_run() {
    local rd="$1" name="$2"; shift 2
    local rc=0
    measure "$rd/dupes-$name.json" "$BIN" --index "$rd/index" dupes --json "$@" \
        > "$rd/dupes-$name.out" 2> "$rd/dupes-$name.err" || rc=$?
    if ((rc > 1)); then  # 1: no pair found, still a run
        cat "$rd/dupes-$name.err" >&2
        echo "scale_limits: pustaka dupes $* failed ($rc)" >&2
        exit 1
    fi
    "${HELPER[@]}" dupes-figures "$rd/dupes-$name.out" "$rd/dupes-$name.json"
    rm -f "$rd/dupes-$name.out"
}

for round in $(seq 1 "$ROUNDS"); do
    for share in "${SHARES[@]}"; do
        d="$TMP/s$share"
        rd="$d/r$round"
        mkdir -p "$rd"
        # Only the last round's index of each share is kept, for PUSTAKA_BENCH_KEEP.
        rm -rf "$d"/r*/index
        log "round $round/$ROUNDS, $share %: pustaka index (from scratch)"
        rc=0
        measure "$rd/build.json" "$BIN" --index "$rd/index" index "$d/corpus" \
            > "$rd/index.out" 2> "$rd/index.err" || rc=$?
        if ((rc != 0)); then
            cat "$rd/index.err" >&2
            echo "scale_limits: pustaka index failed ($rc)" >&2
            exit 1
        fi
        "$BIN" --index "$rd/index" stats --json > "$rd/stats.json"
        du -sb "$rd/index" | cut -f1 > "$rd/du"
        "${HELPER[@]}" build-figures "$rd/build.json" "$rd/stats.json"
        log "round $round/$ROUNDS, $share %: pustaka dupes --json --limit 50"
        dupes_run "$rd" limit50 --limit 50
        log "round $round/$ROUNDS, $share %: pustaka dupes --json --count-all"
        dupes_run "$rd" all --count-all
    done
done

log "report"
"${HELPER[@]}" report --dir "$TMP" --shares "${SHARES[@]}" --rounds "$ROUNDS" \
    --md "$REPORT_MD" --json "$REPORT_JSON" --command "$COMMAND"
echo "scale_limits: wrote $REPORT_MD and $REPORT_JSON" >&2
