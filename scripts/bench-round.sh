#!/usr/bin/env bash
# The test-round benchmark on both stores and with its PostgreSQL peer: starts a
# throwaway cluster, runs `fangxian bench round --pg URL` (the round on the SQLite
# store, again on the PostgreSQL store in a fresh database, and the COPY + GROUP BY
# peer), stops the cluster.
#   scripts/bench-round.sh [--people N] [--pool N] [--bin PATH/fangxian]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/build/release/fangxian"
if [[ "${1:-}" == "--bin" ]]; then bin="$2"; shift 2; fi
[[ -x "$bin" ]] || { echo "build first: make build (or pass --bin PATH)" >&2; exit 1; }
pgdir="$(mktemp -d /tmp/fx-bench-pg.XXXXXX)"
trap '"$root/scripts/pg-temp.sh" stop "$pgdir"' EXIT
url="$("$root/scripts/pg-temp.sh" start "$pgdir")"
cd "$root"
"$bin" bench round --pg "$url" "$@"
