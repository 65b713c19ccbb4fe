#!/usr/bin/env bash
# `orux batch` benchmark (BENCHMARKS.md, "Batches"): ROWS rows against
# `orux mock --task-seconds 2` with small result files (--result-bytes
# 4096), --concurrency CONCURRENCY, files downloaded.
#
# Measures, in one run: the mock's submit rate (wrk, 16 connections, 5 s),
# then the batch with its journal (--journal) on disk and on a tmpfs
# (/dev/shm), the result files on disk both times, alternating disk, tmpfs,
# disk, tmpfs, each time with downloads and then with --no-download (so
# that the downloads' own cost does not hide the journal's): wall time,
# client peak RSS (GNU time's maximum resident set size), client CPU time
# (user + system); the difference between disk and tmpfs is the journal's
# share. Then the resume cost: the finished batch run again (nothing left
# to do: every file checked against its size and SHA-256), three times.
# Prints the ideal wall time: ceil(ROWS / CONCURRENCY) x 2 s + ROWS /
# submit rate.
#
# Usage: benches/batch/run.sh [ROWS [CONCURRENCY]]   (defaults 10000 and 500)
# Installs wrk (Debian package, apt-get) when missing. Every server listens
# on 127.0.0.1 and is stopped on exit. Output: target/bench-batch/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rows="${1:-10000}"
concurrency="${2:-500}"
task_seconds=2
out="$root/target/bench-batch"
shm="/dev/shm/orux-bench-batch-$$"
mkdir -p "$out"
cd "$root"

pids=()
base=""
cleanup() {
    for pid in "${pids[@]+"${pids[@]}"}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$shm"
}
trap cleanup EXIT

if ! command -v wrk > /dev/null; then
    echo "==> installing wrk (apt-get)" >&2
    apt-get update >&2
    apt-get install -y wrk >&2
fi

echo "==> building orux (release)" >&2
cargo build --release --locked -p orux-cli --bin orux >&2
target="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
orux="$target/release/orux"
export ORUX_API_KEY=sk-app-bench

# A client keeps about as many connections as it has requests in flight;
# past its --max-connections (256 by default) the mock answers 429, and the
# pause that follows would be measured as the batch's own time.
mock_connections=$((concurrency * 2 + 64))

# start_mock: starts a fresh `orux mock` on a free port; sets $base to its URL.
start_mock() {
    local log="$out/mock.log"
    : > "$log"
    "$orux" mock --port 0 --task-seconds "$task_seconds" --result-bytes 4096 \
        --max-connections "$mock_connections" > /dev/null 2> "$log" &
    pids+=("$!")
    for _ in $(seq 1 500); do
        base="$(sed -n 's/^listening on //p' "$log" | head -n 1)"
        if [ -n "$base" ]; then
            return
        fi
        sleep 0.01
    done
    echo "orux mock did not start" >&2
    exit 1
}

stop_mock() {
    kill "${pids[-1]}" 2>/dev/null || true
    wait "${pids[-1]}" 2>/dev/null || true
    unset 'pids[-1]'
}

manifest="$out/manifest.jsonl"
python3 - "$rows" > "$manifest" <<'EOF'
import json, sys
for i in range(int(sys.argv[1])):
    print(json.dumps({"model": "sora2", "prompt": f"A paper boat on a rainy street, take {i}", "duration": 10}))
EOF

: > "$out/summary.txt"
note() { echo "$*" | tee -a "$out/summary.txt" >&2; }
note "machine: $(nproc) cores, $(uname -sr); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
note "rows $rows, concurrency $concurrency, --task-seconds $task_seconds, results 4096 bytes"

echo "==> mock submit rate: wrk -t1 -c16 -d5s" >&2
start_mock
ORUX_BENCH_BODY='{"model":"sora2","prompt":"A paper boat","duration":10}' \
    wrk -t1 -c16 -d5s -s "$root/benches/mock/submit.lua" "$base" > "$out/submit-rate.wrk"
stop_mock
rate="$(awk '/^Requests\/sec/ { print $2 }' "$out/submit-rate.wrk")"
ideal="$(python3 -c "import math; print(round(math.ceil($rows / $concurrency) * $task_seconds + $rows / $rate, 2))")"
note "mock submit rate: $rate submits/s; ideal wall time: $ideal s"

# batch NAME DIR [ARGS...]: one timed `orux batch`; appends its figures.
batch() {
    local name="$1" dir="$2"
    shift 2
    /usr/bin/time -f '%e %M %U %S' -o "$out/$name.time" \
        "$orux" batch "$manifest" --out "$dir" --base-url "$base" \
        --concurrency "$concurrency" --quiet --format json "$@" > "$out/$name.json" || true
    # GNU time puts "Command exited with non-zero status N" first when N > 0.
    read -r wall rss user sys < <(tail -n 1 "$out/$name.time")
    local verdict
    verdict="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["verdict"])' "$out/$name.json")"
    python3 - "$name" "$wall" "$rss" "$user" "$sys" "$rows" "$ideal" "$verdict" <<'EOF' | tee -a "$out/summary.txt" >&2
import sys
name, wall, rss, user, sys_, rows, ideal, verdict = sys.argv[1:]
wall, rss, cpu, rows, ideal = float(wall), int(rss), float(user) + float(sys_), int(rows), float(ideal)
print(f"{name}: {verdict}; wall {wall:.2f} s ({wall / ideal:.3f}x ideal), peak RSS {rss / 1024:.1f} MiB, "
      f"CPU {cpu:.2f} s ({cpu / rows * 1e6:.0f} us/row)")
EOF
}

for round in 1 2; do
    for mode in download no-download; do
        for where in disk tmpfs; do
            dir="$out/run-$where"
            if [ "$where" = disk ]; then journal="$dir/orux-batch.sqlite"; else journal="$shm/orux-batch.sqlite"; fi
            rm -rf "$dir" "$shm"
            mkdir -p "$dir" "$shm"
            flags=(--journal "$journal")
            if [ "$mode" = no-download ]; then flags+=(--no-download); fi
            start_mock
            note "load average before $mode, journal on $where #$round: $(cut -d' ' -f1-3 /proc/loadavg)"
            batch "$mode-journal-on-$where-$round" "$dir" "${flags[@]}"
            if [ "$mode" = download ] && [ "$where" = disk ] && [ "$round" = 2 ]; then
                for again in 1 2 3; do
                    batch "resume-$again" "$dir" "${flags[@]}"
                done
            fi
            stop_mock
        done
    done
done
