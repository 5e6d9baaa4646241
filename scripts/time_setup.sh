#!/usr/bin/env bash
# Times the README's two set-up commands as a new user meets them: each in its own fresh clone of
# HEAD (nothing compiled, no index), with ../shared beside it as CI has it. Prints wall seconds
# and the compile time cargo reports. Run it on a quiet machine: other builds sharing the cores
# make the figures meaningless. Usage: bash scripts/time_setup.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "$repo/../shared" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ln -s "$shared" "$work/shared"
commit=$(git -C "$repo" rev-parse --short HEAD)
echo "commit $commit, $(date -u +%F), $(nproc) cores"

# 1. The main job: build pustaka, build the index of corpus/ on first use, search.
git clone -q "$repo" "$work/run"
start=$(date +%s)
(cd "$work/run" && cargo run --release -- search "perdagangan manusia" >"$work/run.log" 2>&1)
echo "first command: $(( $(date +%s) - start )) s ($(grep -o 'Finished .*' "$work/run.log" | head -1))"

# 2. The tests, as CI runs them.
git clone -q "$repo" "$work/ci"
start=$(date +%s)
(cd "$work/ci" && CI=true bash .ci/run >"$work/ci.log" 2>&1) || { tail -30 "$work/ci.log"; exit 1; }
echo "cold .ci/run: $(( $(date +%s) - start )) s ($(grep -o 'Finished .*' "$work/ci.log" | head -1))"
