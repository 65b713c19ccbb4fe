#!/usr/bin/env bash
# Mock server benchmark (BENCHMARKS.md, "Mock server"): `orux mock` against
# Stoplight Prism 5.14.2 mocking generated/schema/openapi.json, on the same
# machine in one run. Load from wrk, 16 connections, 1 thread, DURATION
# seconds per measurement: valid submits and invalid submits (requests/s,
# p99). Then peak RSS of `orux mock` after 1,000,000 submits at the default
# --max-tasks, and each server's time from start to its first answer.
#
# Usage: benches/mock/run.sh [DURATION [SUBMITS]]   (defaults 10 and 1000000)
# Installs what it needs: wrk (Debian package, apt-get), Prism from npm into
# target/bench-mock/prism. Everything listens on 127.0.0.1 only; every server
# it starts is stopped on exit. Output: target/bench-mock/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
duration="${1:-10}"
submits="${2:-1000000}"
out="$root/target/bench-mock"
prism_dir="$out/prism"
prism_version="5.14.2"
mkdir -p "$out"
cd "$root"

# shellcheck source=benches/mock/setup.sh
source "$here/setup.sh"
if [ "$(cat "$prism_dir/installed-version" 2>/dev/null)" != "$prism_version" ]; then
    echo "==> installing @stoplight/prism-cli@$prism_version into $prism_dir" >&2
    rm -rf "$prism_dir"
    mkdir -p "$prism_dir"
    npm install --prefix "$prism_dir" --no-audit --no-fund "@stoplight/prism-cli@$prism_version" >&2
    echo "$prism_version" > "$prism_dir/installed-version"
fi
prism="$prism_dir/node_modules/.bin/prism"

echo "==> building orux (release)" >&2
cargo build --release --locked -p orux-cli --bin orux >&2
orux="$target/release/orux"


# start NAME PORT COMMAND...: starts a server, records its time to first answer.
start() {
    local name="$1" port="$2"
    shift 2
    local ms
    ms="$(python3 "$here/first_answer.py" "$port" "$@" 2> "$out/$name.pid")"
    pids+=("$(sed -n 's/^pid=//p' "$out/$name.pid")")
    echo "$ms" > "$out/$name.first-answer-ms"
    echo "$name: first answer after $ms ms" >&2
}

valid='{"model":"sora2","prompt":"A drone shot flying over Tokyo at sunset, cinematic","duration":10}'
invalid='{"model":"sora2","prompt":"","duration":8,"resolution":"4k","aspect_ratio":"1:1"}'

# load NAME PORT KIND BODY: one wrk run; keeps its report.
load() {
    local name="$1" port="$2" kind="$3" body="$4"
    ORUX_BENCH_BODY="$body" wrk -t1 -c16 -d"${duration}s" --latency -s "$here/submit.lua" \
        "http://127.0.0.1:$port" > "$out/$name-$kind.wrk"
    local rps p99 errors
    rps="$(awk '/^Requests\/sec/ { print $2 }' "$out/$name-$kind.wrk")"
    p99="$(awk '$1 == "99%" { print $2 }' "$out/$name-$kind.wrk")"
    errors="$(awk '/Non-2xx/ { print $5 }' "$out/$name-$kind.wrk")"
    echo "$name $kind: $rps requests/s, p99 $p99, non-2xx ${errors:-0}" >&2
    echo "$name $kind $rps $p99 ${errors:-0}" >> "$out/summary.txt"
}

: > "$out/summary.txt"
echo "==> load: wrk -t1 -c16 -d${duration}s" >&2
port="$(free_port)"
start orux "$port" "$orux" mock --port "$port"
orux_pid="${pids[-1]}"
# Each answer once, as a check that the bodies are what they claim.
curl -s -o /dev/null -w 'orux valid: %{http_code}\n' -H 'Authorization: Bearer sk-app-bench' \
    -H 'Content-Type: application/json' -d "$valid" "http://127.0.0.1:$port/api/v1/tasks" >&2
curl -s -o /dev/null -w 'orux invalid: %{http_code}, %{size_download} bytes\n' -H 'Authorization: Bearer sk-app-bench' \
    -H 'Content-Type: application/json' -d "$invalid" "http://127.0.0.1:$port/api/v1/tasks" >&2
load orux "$port" valid "$valid"
load orux "$port" invalid "$invalid"

# Peak RSS after SUBMITS valid submits in all (the runs above count too).
done_submits="$(awk '/requests in/ { n += $1 } END { print n }' "$out"/orux-*.wrk)"
while [ "$done_submits" -lt "$submits" ]; do
    ORUX_BENCH_BODY="$valid" wrk -t1 -c16 -d"${duration}s" -s "$here/submit.lua" \
        "http://127.0.0.1:$port" > "$out/orux-fill.wrk"
    done_submits=$((done_submits + $(awk '/requests in/ { print $1 }' "$out/orux-fill.wrk")))
done
rss_kib="$(awk '/VmHWM/ { print $2 }' "/proc/$orux_pid/status")"
echo "orux: peak RSS $((rss_kib / 1024)) MiB after $done_submits submits" >&2
echo "orux rss_kib $rss_kib submits $done_submits" >> "$out/summary.txt"
kill "$orux_pid"

port="$(free_port)"
start prism "$port" "$prism" mock --host 127.0.0.1 --port "$port" "$root/generated/schema/openapi.json"
curl -s -o /dev/null -w 'prism valid: %{http_code}\n' -H 'Authorization: Bearer sk-app-bench' \
    -H 'Content-Type: application/json' -d "$valid" "http://127.0.0.1:$port/api/v1/tasks" >&2
curl -s -o /dev/null -w 'prism invalid: %{http_code}, %{size_download} bytes\n' -H 'Authorization: Bearer sk-app-bench' \
    -H 'Content-Type: application/json' -d "$invalid" "http://127.0.0.1:$port/api/v1/tasks" >&2
load prism "$port" valid "$valid"
load prism "$port" invalid "$invalid"

echo "==> summary (target/bench-mock/summary.txt)" >&2
python3 - "$out" <<'PY'
import pathlib, sys
out = pathlib.Path(sys.argv[1])
rows = {}
for line in (out / "summary.txt").read_text().splitlines():
    parts = line.split()
    if parts[1] in ("valid", "invalid"):
        rows[(parts[0], parts[1])] = (float(parts[2]), parts[3], int(parts[4]))
    else:
        rss = int(parts[2]) / 1024
        count = int(parts[4])
def ms(text):  # wrk writes 812.00us, 2.35ms or 1.02s
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    raise SystemExit(f"unreadable latency {text!r}")
first = {name: float((out / f"{name}.first-answer-ms").read_text()) for name in ("orux", "prism")}
notes = []
print("| load | orux mock req/s | p99 | Prism req/s | p99 | ratio | target |")
print("|---|---|---|---|---|---|---|")
for kind, target in (("valid", 30), ("invalid", 100)):
    o, p = rows[("orux", kind)], rows[("prism", kind)]
    ratio = o[0] / p[0]
    verdict = "met" if ratio >= target else "MISSED"
    print(f"| {kind} submits | {o[0]:,.0f} | {o[1]} | {p[0]:,.0f} | {p[1]} | {ratio:.1f}x | >= {target}x: {verdict} |")
    p99 = ms(o[1])
    notes.append(f"orux mock p99 on {kind} submits: {p99:.2f} ms (target < 5 ms: {'met' if p99 < 5 else 'MISSED'})")
print()
for note in notes:
    print(note)
print(f"orux mock peak RSS after {count:,} submits: {rss:.0f} MiB (target < 300 MiB: {'met' if rss < 300 else 'MISSED'})")
print(f"time to first answer: orux mock {first['orux']:.0f} ms, Prism {first['prism']:.0f} ms")
PY
