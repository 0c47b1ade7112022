#!/usr/bin/env bash
# The import benchmark with its PostgreSQL peer: starts a throwaway cluster,
# runs `fangxian bench import --pg URL`, stops the cluster.
#   scripts/bench-import.sh [--people N] [--runs N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/build/release/fangxian"
[[ -x "$bin" ]] || { echo "build first: make build" >&2; exit 1; }
pgdir="$(mktemp -d /tmp/fx-bench-pg.XXXXXX)"
trap '"$root/scripts/pg-temp.sh" stop "$pgdir"' EXIT
url="$("$root/scripts/pg-temp.sh" start "$pgdir")"
cd "$root"
"$bin" bench import --pg "$url" "$@"
