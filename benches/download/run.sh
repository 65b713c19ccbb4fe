#!/usr/bin/env bash
# Download benchmark (BENCHMARKS.md, "Downloads"): `orux download` of one
# result served by `orux mock --result-bytes N` on loopback, against
# `curl -o` of the same URL followed by `sync` of curl's file (ours fsyncs
# its file and directory before it returns), alternated in one run; then the
# peak RSS of `orux download` at several sizes.
#
# Usage: benches/download/run.sh [ROUNDS [RATE_MIB [RSS_MIBS]]]
#   ROUNDS    timed rounds per side, alternated (default 5)
#   RATE_MIB  size of the timed download in MiB (default 1024)
#   RSS_MIBS  sizes for the peak RSS, comma-separated (default 100,1024,4096)
# A size is skipped (and said so) when the disk has not twice its room free.
# Everything listens on 127.0.0.1; the mock is stopped and every downloaded
# file removed on exit. Output: target/bench-download/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-5}"
rate_mib="${2:-1024}"
rss_mibs="${3:-100,1024,4096}"
cd "$root"

echo "==> building orux (release)" >&2
cargo build --release --locked -p orux-cli --bin orux >&2
target="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
orux="$target/release/orux"
out="$target/bench-download"
files="$out/files"
mkdir -p "$out"

mock_pid=""
cleanup() {
    if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; fi
    rm -rf "$files"
}
trap cleanup EXIT

export ORUX_API_KEY="sk-app-bench"

# mock MIB: (re)starts the mock serving MIB MiB per result; sets ORUX_BASE_URL.
mock() {
    if [ -n "$mock_pid" ]; then kill "$mock_pid" 2>/dev/null || true; wait "$mock_pid" 2>/dev/null || true; fi
    "$orux" mock --port 0 --task-seconds 0 --result-bytes "$(( $1 * 1024 * 1024 ))" 2> "$out/mock.log" &
    mock_pid=$!
    for _ in $(seq 100); do
        if grep -q 'listening on' "$out/mock.log"; then break; fi
        sleep 0.05
    done
    ORUX_BASE_URL="$(grep -o 'http://[0-9.:]*' "$out/mock.log" | head -1)"
    export ORUX_BASE_URL
}

# task: submits one task and prints its id.
task() {
    echo '{"model":"sora2","prompt":"benchmark"}' | "$orux" submit --format json \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["task_id"])'
}

# url TASK: its result URL.
url() {
    "$orux" status "$1" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["result_urls"][0])'
}

# room MIB: whether the disk under target/ has twice MIB MiB free.
room() {
    local free_kib
    free_kib="$(df -Pk "$out" | awk 'NR==2 {print $4}')"
    [ "$free_kib" -ge $(( $1 * 1024 * 2 )) ]
}

seconds() { python3 -c 'import time; print(f"{time.monotonic():.6f}")'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load before: $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$out/summary.txt"
echo "orux: $("$orux" --version); $(curl --version | head -1)" | tee -a "$out/summary.txt"

if room "$rate_mib"; then
    mock "$rate_mib"
    id="$(task)"
    sleep 0.1
    link="$(url "$id")"
    : > "$out/rate.tsv"
    for round in $(seq "$rounds"); do
        for side in orux curl; do
            rm -rf "$files"; mkdir -p "$files"
            start="$(seconds)"
            if [ "$side" = orux ]; then
                "$orux" download "$id" --out "$files" > /dev/null
            else
                curl -sS -o "$files/curl.bin" "$link"
                sync "$files/curl.bin"
            fi
            end="$(seconds)"
            size="$(stat -c %s "$files"/*)"
            [ "$size" -eq $(( rate_mib * 1024 * 1024 )) ] || { echo "$side wrote $size bytes" >&2; exit 1; }
            echo -e "$round\t$side\t$start\t$end" >> "$out/rate.tsv"
            echo "round $round $side: $(python3 -c "print(f'{$end - $start:.3f} s')")" >&2
        done
    done
    python3 - "$out/rate.tsv" "$rate_mib" <<'EOF' | tee -a "$out/summary.txt"
import statistics, sys
times = {"orux": [], "curl": []}
for line in open(sys.argv[1]):
    _, side, start, end = line.split("\t")
    times[side].append(float(end) - float(start))
mib = int(sys.argv[2])
med = {side: statistics.median(values) for side, values in times.items()}
for side in ("orux", "curl"):
    print(f"{side}: {mib} MiB, median {med[side]:.3f} s ({mib / med[side]:.0f} MiB/s); all: "
          + ", ".join(f"{t:.3f}" for t in times[side]))
print(f"orux / curl rate: {med['curl'] / med['orux']:.3f}x (target >= 0.9x)")
EOF
else
    echo "rate: skipped, less than $(( rate_mib * 2 )) MiB free" | tee -a "$out/summary.txt"
fi

IFS=',' read -r -a sizes <<< "$rss_mibs"
for mib in "${sizes[@]}"; do
    if ! room "$mib"; then
        echo "peak RSS at $mib MiB: skipped, less than $(( mib * 2 )) MiB free" | tee -a "$out/summary.txt"
        continue
    fi
    mock "$mib"
    id="$(task)"
    sleep 0.1
    rm -rf "$files"; mkdir -p "$files"
    /usr/bin/time -f '%M %e' -o "$out/rss-$mib.txt" "$orux" download "$id" --out "$files" > /dev/null
    read -r kib secs < "$out/rss-$mib.txt"
    echo "peak RSS at $mib MiB: $(( kib / 1024 )) MiB ($kib KiB), $secs s (target <= 32 MiB)" | tee -a "$out/summary.txt"
    rm -rf "$files"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/summary.txt"
