#!/usr/bin/env bash
# Mock server before and after a change (BENCHMARKS.md, "Mock server: before
# and after"): `orux mock` built from BASE (a git revision) and from the
# working tree, both release builds, loaded with the same wrk runs as
# run.sh (-t1 -c16, DURATION seconds, valid then invalid submits),
# alternating which binary goes first in each of ROUNDS rounds, so that
# load from the rest of the machine falls on both alike. Prints, per kind
# of submit, the median requests/s and p99 of each side and their ratio,
# the server's CPU time per request (user + system, from /proc), and the
# instructions it executes per request under valgrind (instructions.py),
# which does not depend on what else the machine is doing at all.
#
# Usage: benches/mock/compare.sh BASE [ROUNDS [DURATION]]   (defaults 5 and 10)
# Installs wrk (apt-get) when missing. BASE's sources are exported with
# `git archive` under target/bench-mock/base/ and built in a target
# directory of their own (target/bench-mock/base-target: cargo names a
# workspace's artifacts by their path inside it, so two checkouts sharing
# one target directory would overwrite each other's). Everything listens
# on 127.0.0.1 only; every server it starts is stopped on exit.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
base="${1:?usage: compare.sh BASE [ROUNDS [DURATION]]}"
rounds="${2:-5}"
duration="${3:-10}"
out="$root/target/bench-mock/compare"
mkdir -p "$out"
cd "$root"

# shellcheck source=benches/mock/setup.sh
source "$here/setup.sh"

echo "==> building orux (release) from the working tree" >&2
cargo build --release --locked -p orux-cli --bin orux >&2
cp "$target/release/orux" "$out/orux-new"

echo "==> building orux (release) from $base" >&2
src="$root/target/bench-mock/base"
rm -rf "$src"
mkdir -p "$src"
git archive "$base" | tar -x -C "$src"
base_target="$root/target/bench-mock/base-target"
(cd "$src" && CARGO_TARGET_DIR="$base_target" cargo build --release --locked -p orux-cli --bin orux >&2)
cp "$base_target/release/orux" "$out/orux-old"
echo "$(git rev-parse --short "$base") $(git rev-parse --short HEAD) $(git status --porcelain | wc -l)" > "$out/revisions"

declare -A port pid
for side in old new; do
    port[$side]="$(free_port)"
    python3 "$here/first_answer.py" "${port[$side]}" "$out/orux-$side" mock --port "${port[$side]}" \
        > /dev/null 2> "$out/$side.pid"
    pid[$side]="$(sed -n 's/^pid=//p' "$out/$side.pid")"
    pids+=("${pid[$side]}")
done
# CPU time a process has used so far, in clock ticks (user + system).
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

valid='{"model":"sora2","prompt":"A drone shot flying over Tokyo at sunset, cinematic","duration":10}'
invalid='{"model":"sora2","prompt":"","duration":8,"resolution":"4k","aspect_ratio":"1:1"}'

: > "$out/runs.txt"
for round in $(seq 1 "$rounds"); do
    if (( round % 2 )); then order=(old new); else order=(new old); fi
    for side in "${order[@]}"; do
        for kind in valid invalid; do
            if [ "$kind" = valid ]; then body="$valid"; else body="$invalid"; fi
            report="$out/$side-$kind-$round.wrk"
            before="$(cpu_ticks "${pid[$side]}")"
            ORUX_BENCH_BODY="$body" wrk -t1 -c16 -d"${duration}s" --latency -s "$here/submit.lua" \
                "http://127.0.0.1:${port[$side]}" > "$report"
            ticks=$(( $(cpu_ticks "${pid[$side]}") - before ))
            requests="$(awk '/requests in/ { print $1 }' "$report")"
            rps="$(awk '/^Requests\/sec/ { print $2 }' "$report")"
            p99="$(awk '$1 == "99%" { print $2 }' "$report")"
            load="$(cut -d' ' -f1 /proc/loadavg)"
            echo "round $round $side $kind: $rps requests/s, p99 $p99, $ticks ticks for $requests requests (load $load)" >&2
            echo "$round $side $kind $rps $p99 $load $ticks $requests" >> "$out/runs.txt"
        done
    done
done

if ! command -v valgrind > /dev/null; then
    echo "==> installing valgrind (apt-get)" >&2
    apt-get install -y valgrind >&2
fi
: > "$out/instructions.txt"
for side in old new; do
    for kind in valid invalid; do
        count="$(python3 "$here/instructions.py" "$out/orux-$side" "$kind")"
        echo "$side $kind: $count instructions per request" >&2
        echo "$side $kind $count" >> "$out/instructions.txt"
    done
done

python3 - "$out" "$(getconf CLK_TCK)" <<'PY'
import pathlib, statistics, sys
out = pathlib.Path(sys.argv[1])
tick_us = 1e6 / int(sys.argv[2])
def ms(text):  # wrk writes 812.00us, 2.35ms or 1.02s
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    raise SystemExit(f"unreadable latency {text!r}")
runs = {}
cpu = {}
loads = []
for line in (out / "runs.txt").read_text().splitlines():
    _, side, kind, rps, p99, load, ticks, requests = line.split()
    runs.setdefault((side, kind), []).append((float(rps), ms(p99)))
    cpu.setdefault((side, kind), []).append(int(ticks) * tick_us / int(requests))
    loads.append(float(load))
base, head, dirty = (out / "revisions").read_text().split()
print(f"old = {base}, new = {head}{' + uncommitted changes' if dirty != '0' else ''}; "
      f"{len(runs[('old', 'valid')])} alternated rounds; load average {min(loads):.1f} to {max(loads):.1f}")
print()
instructions = {}
for line in (out / "instructions.txt").read_text().splitlines():
    side, kind, count = line.split()
    instructions[(side, kind)] = int(count)
print("| load | old req/s | new req/s | new/old | old p99 | new p99 | new/old | old CPU/req | new CPU/req | new/old | old instr/req | new instr/req | new/old |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for kind in ("valid", "invalid"):
    old_cpu = statistics.median(cpu[("old", kind)])
    new_cpu = statistics.median(cpu[("new", kind)])
    old_rps = statistics.median(r for r, _ in runs[("old", kind)])
    new_rps = statistics.median(r for r, _ in runs[("new", kind)])
    old_p99 = statistics.median(p for _, p in runs[("old", kind)])
    new_p99 = statistics.median(p for _, p in runs[("new", kind)])
    print(f"| {kind} submits | {old_rps:,.0f} | {new_rps:,.0f} | {new_rps / old_rps:.3f} "
          f"| {old_p99:.2f} ms | {new_p99:.2f} ms | {new_p99 / old_p99:.3f} "
          f"| {old_cpu:.1f} µs | {new_cpu:.1f} µs | {new_cpu / old_cpu:.3f} "
          f"| {instructions[('old', kind)]:,} | {instructions[('new', kind)]:,} "
          f"| {instructions[('new', kind)] / instructions[('old', kind)]:.3f} |")
PY
