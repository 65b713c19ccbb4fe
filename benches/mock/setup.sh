# Sourced by run.sh and compare.sh: stops every server they start on exit,
# installs wrk (Debian package) when missing, and defines `free_port` and
# `target` (the workspace's target directory). The caller has set `root`.

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

if ! command -v wrk > /dev/null; then
    echo "==> installing wrk (apt-get)" >&2
    apt-get update >&2
    apt-get install -y wrk >&2
fi

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

target="$(cd "$root" && cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
