#!/usr/bin/env bash
# The contact-tracing benchmark with its PostgreSQL peer: starts a throwaway cluster,
# runs `fangxian bench trace --pg URL`, stops the cluster.
#   scripts/bench-trace.sh [--people N] [--days N] [--cases N] [--sql-cases N] [--bin PATH/fangxian]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/build/release/fangxian"
if [[ "${1:-}" == "--bin" ]]; then bin="$2"; shift 2; fi
[[ -x "$bin" ]] || { echo "build first: make build (or pass --bin PATH)" >&2; exit 1; }
pgdir="$(mktemp -d /tmp/fx-bench-pg.XXXXXX)"
trap '"$root/scripts/pg-temp.sh" stop "$pgdir"' EXIT
url="$("$root/scripts/pg-temp.sh" start "$pgdir")"
cd "$root"
"$bin" bench trace --pg "$url" "$@"
