#!/usr/bin/env bash
# CTest's `postgres` fixture: starts a throwaway PostgreSQL 15 for the tests
# that need one and writes its URL to BUILD_DIR/pg-url.txt; stops it after.
#   pg-test-fixture.sh start|stop BUILD_DIR
set -euo pipefail
cmd=${1:?usage: pg-test-fixture.sh start|stop BUILD_DIR}
build=${2:?usage: pg-test-fixture.sh start|stop BUILD_DIR}
here="$(cd "$(dirname "$0")" && pwd)"
dir="$build/pg-cluster"
url_file="$build/pg-url.txt"

case "$cmd" in
  start)
    if [[ ! -x /usr/lib/postgresql/15/bin/initdb ]]; then
      echo "postgres fixture: PostgreSQL 15 is not installed (/usr/lib/postgresql/15/bin/initdb);" \
        "run scripts/install-deps.sh as root, which installs postgresql-15" >&2
      exit 1
    fi
    rm -f "$url_file"
    bash "$here/pg-temp.sh" stop "$dir" 2>/dev/null || true  # a cluster left by an interrupted run
    url=$(bash "$here/pg-temp.sh" start "$dir")
    echo "$url" >"$url_file"
    echo "postgres fixture: $url"
    ;;
  stop)
    bash "$here/pg-temp.sh" stop "$dir"
    rm -f "$url_file"
    ;;
  *) echo "usage: pg-test-fixture.sh start|stop BUILD_DIR" >&2; exit 2 ;;
esac
