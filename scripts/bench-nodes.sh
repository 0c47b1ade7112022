#!/usr/bin/env bash
# Two nodes under wrk: a throwaway PostgreSQL with the demo district, two
# `fangxian serve` nodes on it, nginx as a round-robin balancer in front;
# wrk on the figures endpoint (and a people page) against one node, then
# against both through nginx. Prints req/s and the two-node/one-node ratio.
#   scripts/bench-nodes.sh [--people N] [--seconds S] [--connections C]
# Bounded: each wrk run lasts S seconds (default 10), 127.0.0.1 only.
# FX_BIN picks the binary (default build/release/fangxian); extra environment
# (FX_PG_LISTEN=0, FX_PG_PREPARE=0) reaches the nodes, for before/after runs.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${FX_BIN:-$root/build/release/fangxian}"
people=181035 seconds=10 conns=64
while [[ $# -gt 0 ]]; do
  case "$1" in
    --people) people="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --connections) conns="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -x "$bin" ]] || { echo "build first: cmake --preset release && cmake --build build/release --target fangxian" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/install-deps.sh)" >&2; exit 1; }
command -v nginx >/dev/null || { echo "nginx is not installed (scripts/install-deps.sh: nginx-light)" >&2; exit 1; }

work="$(mktemp -d /tmp/fx-bench-nodes.XXXXXX)"
pgdir="$(mktemp -d /tmp/fx-bench-nodes-pg.XXXXXX)"  # its own: the postgres user must reach it
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  bash "$root/scripts/pg-temp.sh" stop "$pgdir" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "== PostgreSQL 15 (throwaway, fsync=off) …" >&2
url="$(bash "$root/scripts/pg-temp.sh" start "$pgdir")"
key="$work/fangxian.key"
echo "== the demo district ($people people) in SQLite, then migrated to PostgreSQL …" >&2
"$bin" --db "$work/demo.db" --key "$key" demo --no-serve --people "$people" >/dev/null
"$bin" --key "$key" migrate --from "sqlite:$work/demo.db" --to "$url" >/dev/null
printf '%s\n' 'bench-password-123' | "$bin" --db "$url" --key "$key" user add bench --role command \
  --password-stdin --password-cost min >/dev/null

ports=()
for n in 1 2; do
  port="$(free_port)"
  "$bin" --db "$url" --key "$key" serve --listen "127.0.0.1:$port" --no-access-log \
    --password-cost min --db-wait 30 >"$work/node$n.log" 2>&1 &
  pids+=($!)
  ports+=("$port")
done
for port in "${ports[@]}"; do
  for _ in $(seq 300); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null || { cat "$work"/node*.log >&2; exit 1; }
done
curl -fs -c "$work/cookies" -H 'Content-Type: application/json' \
  -d '{"username":"bench","password":"bench-password-123"}' \
  "http://127.0.0.1:${ports[0]}/api/v1/login" >/dev/null
session="$(awk '$6 == "fx_session" {print $7}' "$work/cookies")"
[[ -n "$session" ]] || { echo "login failed" >&2; exit 1; }
cookie="Cookie: fx_session=$session"  # made on node 1, good on both

lb="$(free_port)"
mkdir -p "$work/nginx-tmp"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  upstream fangxian {
    server 127.0.0.1:${ports[0]};
    server 127.0.0.1:${ports[1]};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$lb;
    location / {
      proxy_pass http://fangxian;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
pids+=($!)
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$lb/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

figures="/api/v1/stats/overview"
page="/api/v1/people?page=100&per_page=50"
for target in "$figures" "$page"; do  # warm both nodes' caches
  for port in "${ports[@]}"; do curl -fs -H "$cookie" "http://127.0.0.1:$port$target" >/dev/null; done
done

# run NAME URL: prints "NAME req/s p50 p99" and leaves req/s in $work/last.rps.
run() {
  local name="$1" url="$2"
  wrk -t2 -c"$conns" -d"${seconds}s" --latency -H "$cookie" "$url" >"$work/wrk.out" 2>&1
  local rps p50 p99 non2xx
  rps="$(awk '/^Requests\/sec/ {print $2}' "$work/wrk.out")"
  p50="$(awk '$1 == "50%" {print $2}' "$work/wrk.out")"
  p99="$(awk '$1 == "99%" {print $2}' "$work/wrk.out")"
  non2xx="$(awk '/Non-2xx/ {print $5}' "$work/wrk.out")"
  printf '%-40s %12s %10s %10s %s\n' "$name" "$rps" "$p50" "$p99" "${non2xx:+($non2xx non-2xx!)}"
  echo "$rps" >"$work/last.rps"
}

echo "wrk: 2 threads, $conns connections, ${seconds}s each; 127.0.0.1; $(nproc) cores shared;" \
  "FX_PG_LISTEN=${FX_PG_LISTEN:-1} FX_PG_PREPARE=${FX_PG_PREPARE:-1}"
printf '%-40s %12s %10s %10s\n' "target" "req/s" "p50" "p99"
run "figures, one node" "http://127.0.0.1:${ports[0]}$figures"; one_fig="$(cat "$work/last.rps")"
run "figures, two nodes via nginx" "http://127.0.0.1:$lb$figures"; two_fig="$(cat "$work/last.rps")"
run "people page, one node" "http://127.0.0.1:${ports[0]}$page"; one_page="$(cat "$work/last.rps")"
run "people page, two nodes via nginx" "http://127.0.0.1:$lb$page"; two_page="$(cat "$work/last.rps")"
awk -v a="$one_fig" -v b="$two_fig" -v c="$one_page" -v d="$two_page" 'BEGIN {
  printf "two nodes / one node: figures %.2f, people page %.2f\n", b / a, d / c }'
echo "(this machine has $(nproc) cores: both nodes, PostgreSQL, nginx and wrk share them, so the" \
  "ratio is a floor; on separate hosts each node adds its own cores)"
