#!/usr/bin/env bash
# t0900-bench-smoke.sh - the benchmark's smoke test (bench/smoke.sh): the
# generated corpus gives exactly its expected findings, and bench/run gets
# every scenario through on a tiny corpus. Checks findings, not times.
exec bash "$(dirname "$0")/../../bench/smoke.sh" "$@"
