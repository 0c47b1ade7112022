#!/usr/bin/env bash
# HTTP benchmark: wrk on 127.0.0.1 against the figures endpoint and a people
# page with a valid session, then against nginx serving static files of the
# same sizes (the ceiling), then the people page again while roster imports of
# the whole district run. Prints req/s, p50, p99 and ours/nginx.
#   scripts/bench-http.sh [--people N] [--seconds S] [--connections C] [--threads T]
# Bounded: each wrk run lasts S seconds (default 10), 127.0.0.1 only.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${FX_BIN:-$root/build/release/fangxian}"
people=181035 seconds=10 conns=64 threads=2
while [[ $# -gt 0 ]]; do
  case "$1" in
    --people) people="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --connections) conns="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -x "$bin" ]] || { echo "build first: cmake --preset release && cmake --build --preset release" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install nginx-light)" >&2; exit 1; }

work="$(mktemp -d /tmp/fx-bench-http.XXXXXX)"
server_pid="" nginx_pid="" import_pid=""
cleanup() {
  [[ -n "$import_pid" ]] && kill "$import_pid" 2>/dev/null || true
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -n "$nginx_pid" ]] && kill -QUIT "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

db="$work/bench.db"
echo "== seeding a district of $people people (once) …" >&2
"$bin" --db "$db" demo --no-serve --people "$people" >/dev/null
printf '%s\n' 'bench-password-123' | "$bin" --db "$db" user add bench --role command \
  --password-stdin --password-cost min >/dev/null

port="$(free_port)"
"$bin" --db "$db" serve --listen "127.0.0.1:$port" --no-access-log --password-cost min \
  >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs -c "$work/cookies" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench-password-123"}' \
  "http://127.0.0.1:$port/api/v1/login" >/dev/null
session="$(awk '$6 == "fx_session" {print $7}' "$work/cookies")"
[[ -n "$session" ]] || { echo "login failed" >&2; exit 1; }

figures="/api/v1/stats/overview"
page="/api/v1/people?page=100&per_page=50"
mkdir -p "$work/www"
curl -fs -H "Cookie: fx_session=$session" "http://127.0.0.1:$port$figures" >"$work/www/figures.json"
curl -fs -H "Cookie: fx_session=$session" "http://127.0.0.1:$port$page" >"$work/www/people.json"

nport="$(free_port)"
cat >"$work/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  default_type application/json;
  client_body_temp_path $work/nginx-tmp;
  server { listen 127.0.0.1:$nport; root $work/www; }
}
CONF
mkdir -p "$work/nginx-tmp"
chmod 755 "$work" "$work/www"; chmod 644 "$work"/www/*  # nginx workers run as nobody
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$nport/figures.json" >/dev/null 2>&1 && break; sleep 0.1; done

# run NAME URL [header]: prints "NAME req/s p50 p99" from wrk --latency.
run() {
  local name="$1" url="$2" header="${3:-X-None: 1}"
  wrk -t"$threads" -c"$conns" -d"${seconds}s" --latency -H "$header" "$url" >"$work/wrk.out" 2>&1
  local rps p50 p99 non2xx
  rps="$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.out")"
  p50="$(awk '$1 == "50%" {print $2}' "$work/wrk.out")"
  p99="$(awk '$1 == "99%" {print $2}' "$work/wrk.out")"
  non2xx="$(awk '/Non-2xx/ {print $5}' "$work/wrk.out")"
  printf '%-34s %12s %10s %10s %s\n' "$name" "$rps" "$p50" "$p99" "${non2xx:+($non2xx non-2xx!)}"
  echo "$rps" >"$work/last.rps"
}

cookie="Cookie: fx_session=$session"
echo "wrk: $threads threads, $conns connections, ${seconds}s each; 127.0.0.1; $(nproc) cores shared"
printf '%-34s %12s %10s %10s\n' "target" "req/s" "p50" "p99"
run "fangxian $figures" "http://127.0.0.1:$port$figures" "$cookie"; ours_fig="$(cat "$work/last.rps")"
run "nginx static ($(stat -c %s "$work/www/figures.json") B)" "http://127.0.0.1:$nport/figures.json"; ng_fig="$(cat "$work/last.rps")"
run "fangxian people page" "http://127.0.0.1:$port$page" "$cookie"; ours_page="$(cat "$work/last.rps")"
run "nginx static ($(stat -c %s "$work/www/people.json") B)" "http://127.0.0.1:$nport/people.json"; ng_page="$(cat "$work/last.rps")"

# The people page again while the whole roster is imported, over and over
# (each upload differs by a trailing newline, so each is a real import).
roster="$(dirname "$db")/demo-district/roster.csv"
if [[ -f "$roster" ]]; then
  csrf="$(curl -fs -b "$work/cookies" "http://127.0.0.1:$port/api/v1/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])')"
  (
    i=0
    while true; do
      i=$((i + 1))
      { cat "$roster"; printf '%*s' "$i" '' | tr ' ' '\n'; } >"$work/upload.csv"
      curl -fs -b "$work/cookies" -H "X-CSRF-Token: $csrf" --data-binary @"$work/upload.csv" \
        "http://127.0.0.1:$port/api/v1/imports/roster?filename=roster.csv" >/dev/null || true
    done
  ) &
  import_pid=$!
  sleep 1
  run "people page during imports" "http://127.0.0.1:$port$page" "$cookie"
  kill "$import_pid" 2>/dev/null || true; import_pid=""
fi

awk -v a="$ours_fig" -v b="$ng_fig" -v c="$ours_page" -v d="$ng_page" 'BEGIN {
  printf "ours/nginx: figures %.2f, people page %.2f\n", a / b, c / d }'
echo "(2 shared cores: wrk, nginx and the server compete with each other and with any build running; numbers are noisy)"
