#!/usr/bin/env bash
# Home-bound screening benchmark (issue 6): on the demo district, 40,000
# people marked home-bound, then their reports posted over real HTTP to a
# running `fangxian serve` — one day in batches, another day one request per
# report — and the day's screening table timed. Peer: the same 40,000 rows
# inserted by the sqlite3 shell into a table of the same shape (one
# transaction, one multi-row INSERT). Prints reports/s, the table time and
# ours/peer.
#   scripts/bench-screening.sh [--people N] [--batch B] [--singles N] [--connections C]
# Bounded: 127.0.0.1 only, a fixed number of requests.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${FX_BIN:-$root/build/release/fangxian}"
people=40000 batch=1000 singles=40000 conns=4 roster="${FX_ROSTER:-}"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --people) people="$2"; shift 2 ;;
    --batch) batch="$2"; shift 2 ;;
    --singles) singles="$2"; shift 2 ;;
    --connections) conns="$2"; shift 2 ;;
    --roster) roster="$2"; shift 2 ;;  # demo district size (default: the demo's)
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -x "$bin" ]] || { echo "build first: cmake --preset release && cmake --build --preset release (or FX_BIN=…)" >&2; exit 1; }

work="$(mktemp -d /tmp/fx-bench-screening.XXXXXX)"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

db="$work/bench.db"
today="$(TZ=Asia/Shanghai date +%F)"
from="$(TZ=Asia/Shanghai date -d "$today -2 days" +%F)"
echo "== $(date -u "+%F %H:%M UTC"), $(nproc) cores, load: $(uptime | sed "s/.*load average: //")"
echo "== seeding the demo district${roster:+ of $roster people} …" >&2
"$bin" --db "$db" demo --no-serve ${roster:+--people "$roster"} >/dev/null
"$bin" --db "$db" screening generate --people "$people" --from "$from" --days 14 >&2
printf '%s\n' 'bench-password-123' | "$bin" --db "$db" user add bench --role command \
  --password-stdin --password-cost min >/dev/null

port="$(free_port)"
"$bin" --db "$db" serve --listen "127.0.0.1:$port" --no-access-log --password-cost min \
  >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

FX_PORT="$port" FX_FROM="$from" FX_BATCH="$batch" FX_SINGLES="$singles" FX_CONNS="$conns" \
  FX_WORK="$work" python3 - <<'PY'
import http.client, json, os, threading, time, statistics
port = int(os.environ["FX_PORT"]); work = os.environ["FX_WORK"]
day1 = os.environ["FX_FROM"]
import datetime
day2 = (datetime.date.fromisoformat(day1) + datetime.timedelta(days=1)).isoformat()
batch = int(os.environ["FX_BATCH"]); singles = int(os.environ["FX_SINGLES"])
conns = int(os.environ["FX_CONNS"])

def connect():
    return http.client.HTTPConnection("127.0.0.1", port, timeout=120)

c = connect()
c.request("POST", "/api/v1/login", json.dumps({"username": "bench", "password": "bench-password-123"}),
          {"Content-Type": "application/json"})
r = c.getresponse(); body = json.loads(r.read())
cookie = r.getheader("Set-Cookie").split(";")[0]
headers = {"Content-Type": "application/json", "Cookie": cookie, "X-CSRF-Token": body["csrf_token"]}

def get(conn, path):
    conn.request("GET", path, headers={"Cookie": cookie})
    r = conn.getresponse(); data = r.read()
    if r.status != 200: raise SystemExit(f"GET {path}: {r.status} {data[:300]!r}")
    return data

due = json.loads(get(c, f"/api/v1/screening/list?kind=not_reported&day={day1}"))["items"]
ids = [p["person"] for p in due]
print(f"home-bound due on {day1}: {len(ids)}")

def report(pid, day, i):
    sick = i % 200 == 0
    return {"person": pid, "day": day, "temperature": 37.8 if sick else 36.5,
            "symptoms": ["cough"] if sick else [], "location": "家中", "at_home": True,
            "reporter": "parent"}

# 1. Batches, one connection.
t0 = time.perf_counter()
for s in range(0, len(ids), batch):
    items = [report(p, day1, s + k) for k, p in enumerate(ids[s:s + batch])]
    c.request("POST", "/api/v1/screening/reports/batch", json.dumps({"items": items}), headers)
    r = c.getresponse(); data = r.read()
    if r.status != 201: raise SystemExit(f"batch at {s}: {r.status} {data[:300]!r}")
t_batch = time.perf_counter() - t0

# 2. Single requests over `conns` keep-alive connections.
todo = ids[:singles]
def worker(part):
    conn = connect()
    for i, p in part:
        conn.request("POST", "/api/v1/screening/reports", json.dumps(report(p, day2, i)), headers)
        r = conn.getresponse(); data = r.read()
        if r.status != 201: raise SystemExit(f"single {p}: {r.status} {data[:300]!r}")
parts = [list(enumerate(todo))[k::conns] for k in range(conns)]
t0 = time.perf_counter()
threads = [threading.Thread(target=worker, args=(p,)) for p in parts]
for t in threads: t.start()
for t in threads: t.join()
t_single = time.perf_counter() - t0

# 3. The day's table over HTTP (server time ≈ round trip on loopback).
times = []
for _ in range(30):
    t0 = time.perf_counter(); get(c, f"/api/v1/screening/day?day={day1}"); times.append(time.perf_counter() - t0)
table = json.loads(get(c, f"/api/v1/screening/day?day={day1}"))
print(f"batches of {batch}: {len(ids)} reports in {t_batch:.2f} s = {len(ids) / t_batch:,.0f} reports/s")
print(f"single requests ({conns} connections): {len(todo)} in {t_single:.2f} s = {len(todo) / t_single:,.0f} reports/s")
print(f"GET /screening/day: {len(table['rows'])} institutions, due {table['total']['due']}, reported "
      f"{table['total']['reported']}; median {statistics.median(times) * 1000:.1f} ms, "
      f"min {min(times) * 1000:.1f} ms (30 requests)")
with open(f"{work}/ours.txt", "w") as f: f.write(f"{len(ids) / t_batch}\n")
# The same rows for the peer, as one multi-row INSERT.
with open(f"{work}/peer.sql", "w") as f:
    f.write("BEGIN;\nINSERT INTO screening_reports (person_id, institution_id, day, temperature, "
            "symptoms, symptom_note, location, at_home, reporter, abnormal, version, actor, "
            "reported_at) VALUES\n")
    f.write(",\n".join(f"({p},{1 + p % 203},'{day1}',{378 if i % 200 == 0 else 365},"
                       f"'{'cough' if i % 200 == 0 else ''}','','家中',1,'parent',"
                       f"{1 if i % 200 == 0 else 0},1,'bench','2022-03-10T00:00:00.000Z')"
                       for i, p in enumerate(ids)))
    f.write(";\nCOMMIT;\n")
PY

echo "== in-process table time (fangxian screening day):"
"$bin" --db "$db" screening day --day "$from" 2>&1 >/dev/null | tail -1
peer="$work/peer.db"
sqlite3 "$peer" "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" >/dev/null
sqlite3 "$db" ".schema screening_reports" | sqlite3 "$peer"
start=$(date +%s.%N)
sqlite3 "$peer" <"$work/peer.sql"
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" -v n="$people" -v ours="$(cat "$work/ours.txt")" 'BEGIN {
  peer = n / (e - s)
  printf "peer: sqlite3 shell, one multi-row INSERT of the same rows: %.2f s = %d rows/s\n", e - s, peer
  printf "ours (HTTP batches, checked, audited, change feed) / peer: %.2f\n", ours / peer }'
echo "targets (issue 6): ≥ 10,000 reports/s in batches, the day's table < 20 ms"
echo "load at the end: $(uptime | sed "s/.*load average: //") (client, server and any build running share the cores; numbers are noisy)"
