#!/usr/bin/env bash
# Builds the HTTP/JSON fuzzer with clang (libFuzzer, ASan, UBSan) in
# build/fuzz and runs it for N seconds (default 20) over the seed corpus.
#   scripts/fuzz-http.sh [seconds] [extra libFuzzer flags…]
# A longer run: scripts/fuzz-http.sh 3600 -jobs=2
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-20}"; shift || true
cxx="$(command -v clang++ || command -v clang++-14 || true)"
[[ -n "$cxx" ]] || { echo "clang++ not installed: skipping the fuzzer" >&2; exit 77; }
out="$root/build/fuzz"
mkdir -p "$out/corpus"
bin="$out/http_request_fuzz"
srcs=("$root/src/server/http_request_fuzz.cpp" "$root/src/server/json_body.cpp"
      "$root/src/server/http.cpp" "$root/src/core/utf8.cpp" "$root/src/core/status.cpp")
newest="$(ls -t "${srcs[@]}" | head -1)"
if [[ ! -x "$bin" || "$newest" -nt "$bin" ]]; then
  echo "building $bin …" >&2
  "$cxx" -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -I"$root/src" \
    -DBOOST_JSON_NO_LIB "${srcs[@]}" -lboost_json -lboost_url -o "$bin.tmp"
  mv "$bin.tmp" "$bin"
fi
cp -n "$root"/tests/fuzz/http_request/* "$out/corpus/" 2>/dev/null || true
cd "$out"
exec "$bin" -max_total_time="$seconds" -max_len=20000 -timeout=10 "$@" corpus
