#!/usr/bin/env bash
# Runs one fuzz target for a bounded time:
#
#   fuzz/run.sh TARGET SECONDS [LIBFUZZER_ARGS...]
#
# TARGET is validate_request, cli_jsonl, spec_loader, url_rule, client_response or
# webhook_verify. Works from a fresh
# clone: it uses the nightly toolchain when rustup has one (stable otherwise, see
# below) and python3, and installs
# cargo-fuzz (pinned) when it is missing. The seed corpus is rebuilt from the
# test corpora on every run (fuzz/seeds/TARGET); what libFuzzer finds is kept
# in fuzz/corpus/TARGET across runs; a crash, hang (a unit over 10 s) or
# out-of-memory input is written to fuzz/artifacts/TARGET/ and fails the run.
set -euo pipefail

CARGO_FUZZ_VERSION=0.13.2

if [[ $# -lt 2 ]]; then
    echo "usage: $0 TARGET SECONDS [LIBFUZZER_ARGS...]" >&2
    echo "targets: validate_request cli_jsonl spec_loader url_rule client_response webhook_verify" >&2
    exit 2
fi
target=$1
seconds=$2
shift 2
case "$target" in
    validate_request | cli_jsonl | spec_loader | url_rule | client_response | webhook_verify) ;;
    *)
        echo "unknown fuzz target '$target' (validate_request, cli_jsonl, spec_loader, url_rule, client_response, webhook_verify)" >&2
        exit 2
        ;;
esac
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
    echo "SECONDS must be a positive whole number, got '$seconds'" >&2
    exit 2
fi

cd "$(dirname "$0")"

if [[ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]]; then
    echo "==> installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

# libFuzzer's instrumentation needs -Z flags (-Zsanitizer=address). A nightly
# toolchain takes them; without one (CI machines carry only stable, and no
# other toolchain can be fetched there) the stable toolchain, which ships the
# ASan runtime too, is told to accept them with RUSTC_BOOTSTRAP=1: set only
# here, for the fuzz build, after cargo-fuzz itself is installed as usual.
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    toolchain=(+nightly)
else
    echo "==> no nightly toolchain: building with stable and RUSTC_BOOTSTRAP=1"
    export RUSTC_BOOTSTRAP=1
    toolchain=()
fi

rm -rf "seeds/$target"
python3 seeds.py "$target" "seeds/$target"
mkdir -p "corpus/$target" "artifacts/$target"

# -timeout: a unit slower than 10 s is a hang; -rss_limit_mb: the validator's
# own limits keep far below this; -print_final_stats: executions and coverage
# for the record.
exec cargo "${toolchain[@]}" fuzz run "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" \
    -timeout=10 \
    -rss_limit_mb=2048 \
    -print_final_stats=1 \
    "$@"
