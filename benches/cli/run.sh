#!/usr/bin/env bash
# CLI throughput (BENCHMARKS.md, "CLI throughput"): `orux validate --jsonl`
# on LINES lines made from the request corpus, with its wall time and peak
# RSS from /usr/bin/time -v: `--jobs 1` pinned to one core, the same at a
# tenth of the lines (memory stays flat), and the default `--jobs` (every
# core); then three Python peers on the first SAMPLE lines, pinned to one
# core (the per-line cost is extrapolated): `jsonschema` on the pre-dispatch
# bundle (root `oneOf`) with every error, `jsonschema` on the generated
# bundle (its if/then/else dispatch on `model`) with is_valid, and, as a
# careful user sets them up, `jsonschema` and `jsonschema-rs` each
# dispatching per model (json.loads, the model's own compiled schema,
# is_valid). It ends with the three targets of issue 15, each met or MISSED.
# The 1,000,000-line orux runs (`--jobs 1` and the default) alternate
# $ORUX_BENCH_RUNS times (default 5), and so do the per-model and dispatch
# Python peers; each figure is the median of its runs, so one slow moment
# of a shared machine does not decide a ratio.
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
schemas="$root/generated/schema"
cpu="${ORUX_BENCH_CPU:-1}"
runs="${ORUX_BENCH_RUNS:-5}"
mkdir -p "$out"
rm -f "$out"/*.time "$out"/*.time.* # no timing of an earlier run is read
cd "$root"

echo "==> building orux and orux-bench-lines (release)" >&2
cargo build --release --locked -p orux-cli -p orux-benches --bin orux --bin orux-bench-lines >&2
target="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
orux="$target/release/orux"

echo "==> writing the inputs" >&2
"$target/release/orux-bench-lines" "$lines" > "$out/lines.jsonl" 2> "$out/lines.txt"
"$target/release/orux-bench-lines" "$((lines / 10))" > "$out/tenth.jsonl" 2> "$out/tenth.txt"
"$target/release/orux-bench-lines" "$sample" > "$out/sample.jsonl" 2> "$out/sample.txt"

# Runs `orux validate --jsonl FILE [ARGS]` under /usr/bin/time -v, on the
# CPUs listed in $cpus. Exit status 1 (some line invalid) is expected here.
time_orux() {
    local file="$1" log="$2"
    shift 2
    local status=0
    /usr/bin/time -v taskset -c "$cpus" "$orux" validate --jsonl "$file" "$@" > /dev/null 2> "$log" || status=$?
    if [ "$status" -gt 1 ]; then
        cat "$log" >&2
        echo "orux validate --jsonl failed with status $status" >&2
        exit 1
    fi
}

echo "==> orux validate --jsonl --jobs 1, $lines lines, on CPU $cpu" >&2
cpus="$cpu"
time_orux "$out/tenth.jsonl" "$out/orux-tenth.time" --jobs 1 # warms the page cache too
echo "==> and alternating with the default --jobs ($(nproc) cores), $runs runs each" >&2
for run in $(seq "$runs"); do
    cpus="$cpu"
    time_orux "$out/lines.jsonl" "$out/orux.time.$run" --jobs 1
    cpus="0-$(($(nproc) - 1))"
    time_orux "$out/lines.jsonl" "$out/orux-jobs.time.$run"
done

if [ ! -x "$venv/bin/python" ] || ! cmp -s "$here/requirements.txt" "$venv/installed-requirements.txt"; then
    echo "==> installing benches/cli/requirements.txt into target/bench-venv" >&2
    python3 -m venv --clear "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$here/requirements.txt"
    cp "$here/requirements.txt" "$venv/installed-requirements.txt"
fi
time_peer() {
    local peer="$1" log="$2"
    /usr/bin/time -v taskset -c "$cpu" "$venv/bin/python" "$here/validate_jsonl.py" "$peer" "$schemas" \
        "$out/sample.jsonl" > /dev/null 2> "$log"
}
echo "==> python peer bundle, $sample lines, on CPU $cpu (once: it is slow)" >&2
time_peer bundle "$out/python-bundle.time.1"
for run in $(seq "$runs"); do
    for peer in dispatch model model-rs; do
        echo "==> python peer $peer, $sample lines, on CPU $cpu, run $run of $runs" >&2
        time_peer "$peer" "$out/python-$peer.time.$run"
    done
done

python3 - "$out" "$lines" "$sample" "$(nproc)" "$(uptime)" "$runs" <<'PY'
import glob, re, statistics, sys
out, lines, sample, cores, load = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
runs = int(sys.argv[6])

def timing(name):
    """Wall seconds, peak MiB and Python's per-line µs: the median of the
    runs of `name` (`name.time.1`, `.2`, …), or its one run (`name.time`)."""
    logs = sorted(glob.glob(f"{out}/{name}.time.*")) or [f"{out}/{name}.time"]
    results = [one_timing(log) for log in logs]
    loops = [r[2] for r in results if r[2] is not None]
    return (statistics.median(r[0] for r in results), max(r[1] for r in results),
            statistics.median(loops) if loops else None)

def one_timing(log):
    text = open(log).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    loop = re.search(r"([0-9.]+) us per line", text)
    # /usr/bin/time reports wall time in hundredths of a second.
    return max(seconds, 0.01), kib / 1024, float(loop.group(1)) if loop else None

stats = open(f"{out}/lines.txt").read().split()
size_mb = int(stats[2]) / 1e6
one_s, one_mib, _ = timing("orux")
tenth_s, tenth_mib, _ = timing("orux-tenth")
jobs_s, jobs_mib, _ = timing("orux-jobs")
one_us, jobs_us = one_s / lines * 1e6, jobs_s / lines * 1e6
print(f"\n## CLI throughput ({lines:,} lines, {size_mb:.0f} MB, {stats[4]} valid; {cores} cores; medians of {runs} runs; load: {load.strip()})\n")
print("| run | lines | wall time | lines/s | per line | peak RSS |")
print("|---|---:|---:|---:|---:|---:|")
print(f"| orux validate --jsonl --jobs 1 | {lines // 10:,} | {tenth_s:.2f} s | {lines / 10 / tenth_s:,.0f} | {tenth_s / (lines / 10) * 1e6:.2f} µs | {tenth_mib:.1f} MiB |")
print(f"| orux validate --jsonl --jobs 1 | {lines:,} | {one_s:.2f} s | {lines / one_s:,.0f} | {one_us:.2f} µs | {one_mib:.1f} MiB |")
print(f"| orux validate --jsonl (--jobs {cores}) | {lines:,} | {jobs_s:.2f} s | {lines / jobs_s:,.0f} | {jobs_us:.2f} µs | {jobs_mib:.1f} MiB |")
peers = [("model-rs", "python jsonschema-rs, per model, is_valid"),
         ("model", "python jsonschema, per model, is_valid"),
         ("dispatch", "python jsonschema, generated bundle (if/then/else dispatch), is_valid"),
         ("bundle", "python jsonschema, pre-dispatch bundle (root oneOf), iter_errors")]
per_line = {}
for peer, label in peers:
    _, mib, us = timing(f"python-{peer}")
    per_line[peer] = us
    print(f"| {label} (loop only) | {sample:,} | {us * sample / 1e6:.2f} s | {1e6 / us:,.0f} | {us:.2f} µs | {mib:.1f} MiB |")
print()
for peer, label in peers:
    print(f"- vs {label}: orux is {per_line[peer] / jobs_us:,.1f}x faster per line "
          f"(--jobs {cores}), {per_line[peer] / one_us:,.1f}x with --jobs 1")
print(f"- --jobs {cores} is {one_s / jobs_s:.2f}x the --jobs 1 rate")
print(f"\nWhole-process time for orux; the Python loops alone, without start-up and compilation.")
print(f"Peak RSS with --jobs 1 at {lines // 10:,} lines: {tenth_mib:.1f} MiB; at {lines:,}: {one_mib:.1f} MiB.")

def verdict(met):
    return "met" if met else "MISSED"

python_x = per_line["model"] / jobs_us
rs_x = per_line["model-rs"] / jobs_us
scaling = one_s / jobs_s
print(f"\n## Targets (issue 15; load: {load.strip()})\n")
print(f"- orux --jobs {cores} >= 100x Python jsonschema per model: {python_x:,.1f}x: {verdict(python_x >= 100)}")
print(f"- orux --jobs {cores} >= 4x jsonschema-rs per model: {rs_x:,.1f}x: {verdict(rs_x >= 4)}")
print(f"- --jobs {cores} >= 1.8x the --jobs 1 rate: {scaling:.2f}x: {verdict(scaling >= 1.8)}")
PY
