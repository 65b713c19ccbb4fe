#!/usr/bin/env bash
# CLI throughput (BENCHMARKS.md, "CLI throughput"): `orux validate --jsonl`
# on LINES lines made from the request corpus, pinned to one core, with its
# wall time and peak RSS from /usr/bin/time -v; the same at a tenth of the
# lines, to show memory stays flat; and the Python `jsonschema` package with
# the generated bundle on the first SAMPLE lines (the per-line cost is
# extrapolated: 1,000,000 lines would take it hours).
#
# Usage: benches/cli/run.sh [LINES [SAMPLE]]   (defaults 1000000 and 20000, or
# $ORUX_BENCH_LINES and $ORUX_BENCH_SAMPLE)
# `ORUX_BENCH_CLI=1 cargo bench --bench cli` runs it too. Needs python3 with
# venv (installs benches/cli/requirements.txt into target/bench-venv once),
# /usr/bin/time and taskset. Files go to target/bench-cli/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
lines="${1:-${ORUX_BENCH_LINES:-1000000}}"
sample="${2:-${ORUX_BENCH_SAMPLE:-20000}}"
out="$root/target/bench-cli"
venv="$root/target/bench-venv"
bundle="$root/generated/schema/orux-models.schema.json"
cpu="${ORUX_BENCH_CPU:-1}"
mkdir -p "$out"
cd "$root"

echo "==> building orux and orux-bench-lines (release)" >&2
cargo build --release --locked -p orux-cli -p orux-benches --bin orux --bin orux-bench-lines >&2
target="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
orux="$target/release/orux"

echo "==> writing the inputs" >&2
"$target/release/orux-bench-lines" "$lines" > "$out/lines.jsonl" 2> "$out/lines.txt"
"$target/release/orux-bench-lines" "$((lines / 10))" > "$out/tenth.jsonl" 2> "$out/tenth.txt"
"$target/release/orux-bench-lines" "$sample" > "$out/sample.jsonl" 2> "$out/sample.txt"

# Runs `orux validate --jsonl FILE` on one core under /usr/bin/time -v.
# Exit status 1 (some line invalid) is the expected outcome here.
time_orux() {
    local file="$1" log="$2"
    local status=0
    /usr/bin/time -v taskset -c "$cpu" "$orux" validate --jsonl "$file" > /dev/null 2> "$log" || status=$?
    if [ "$status" -gt 1 ]; then
        cat "$log" >&2
        echo "orux validate --jsonl failed with status $status" >&2
        exit 1
    fi
}
seconds() { # "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.93" -> 1.93
    sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1" |
        awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'
}
rss_kib() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }

echo "==> orux validate --jsonl, $lines lines, on CPU $cpu" >&2
time_orux "$out/tenth.jsonl" "$out/orux-tenth.time" # warms the page cache too
time_orux "$out/lines.jsonl" "$out/orux.time"

if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$venv/installed-requirements.txt"; then
    echo "==> installing benches/cli/requirements.txt into target/bench-venv" >&2
    python3 -m venv --clear "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$venv/installed-requirements.txt"
fi
echo "==> python jsonschema, $sample lines, on CPU $cpu" >&2
/usr/bin/time -v taskset -c "$cpu" "$venv/bin/python" "$here/validate_jsonl.py" "$bundle" "$out/sample.jsonl" \
    > /dev/null 2> "$out/python.time"

python3 - "$out" "$lines" "$sample" "$(seconds "$out/orux.time")" "$(rss_kib "$out/orux.time")" \
    "$(seconds "$out/orux-tenth.time")" "$(rss_kib "$out/orux-tenth.time")" \
    "$(seconds "$out/python.time")" "$(rss_kib "$out/python.time")" <<'PY'
import re, sys
out, lines, sample = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
orux_s, orux_kib, tenth_s, tenth_kib, py_s, py_kib = map(float, sys.argv[4:])
# /usr/bin/time reports wall time in hundredths of a second.
orux_s, tenth_s = max(orux_s, 0.01), max(tenth_s, 0.01)
stats = open(f"{out}/lines.txt").read().split()
size_mb = int(stats[2]) / 1e6
loop = re.search(r"([0-9.]+) us per line", open(f"{out}/python.time").read())
py_us = float(loop.group(1))
orux_us = orux_s / lines * 1e6
print(f"\n## CLI throughput ({lines:,} lines, {size_mb:.0f} MB, {stats[4]} valid)\n")
print("| run | lines | wall time | lines/s | per line | peak RSS |")
print("|---|---:|---:|---:|---:|---:|")
print(f"| orux validate --jsonl | {lines // 10:,} | {tenth_s:.2f} s | {lines / 10 / tenth_s:,.0f} | {tenth_s / (lines / 10) * 1e6:.2f} µs | {tenth_kib / 1024:.1f} MiB |")
print(f"| orux validate --jsonl | {lines:,} | {orux_s:.2f} s | {lines / orux_s:,.0f} | {orux_us:.2f} µs | {orux_kib / 1024:.1f} MiB |")
print(f"| python jsonschema (loop only) | {sample:,} | {py_us * sample / 1e6:.2f} s | {1e6 / py_us:,.0f} | {py_us:.1f} µs | {py_kib / 1024:.1f} MiB |")
print(f"| python jsonschema, extrapolated | {lines:,} | {py_us * lines / 1e6:,.0f} s | | | |")
print(f"\norux is {py_us / orux_us:,.0f}x faster per line than the Python package "
      f"(whole-process time for orux; the Python loop alone, without start-up).")
print(f"Peak RSS at {lines // 10:,} lines: {tenth_kib / 1024:.1f} MiB; at {lines:,}: {orux_kib / 1024:.1f} MiB.")
PY
