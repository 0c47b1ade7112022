#!/usr/bin/env bash
# Installs every Debian and npm package Fangxian needs on a fresh Debian 12 machine.
# Idempotent: run it as often as you like; it installs only what is missing.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"

debian_packages=(
  build-essential cmake ninja-build ccache pkg-config git
  clang clang-format clang-tidy libclang-rt-14-dev
  libsqlite3-dev sqlite3 libssl-dev
  libpq-dev postgresql-15
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libzip-dev libexpat1-dev libxlsxwriter-dev
  libsodium-dev libspdlog-dev libfmt-dev libcli11-dev
  libcairo2-dev libpango1.0-dev fonts-noto-cjk
  libgtest-dev libgmock-dev libbenchmark-dev
  poppler-utils poppler-data qpdf
  chromium wrk nginx-light hyperfine
)

missing=()
for p in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: missing packages (${missing[*]}); run this script as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Front-end packages (Vite, TypeScript, ECharts, playwright-core) from the lock file.
if command -v npm >/dev/null && [[ -f "$here/web/package-lock.json" ]]; then
  if [[ ! -d "$here/web/node_modules" || "$here/web/package-lock.json" -nt "$here/web/node_modules/.package-lock.json" ]]; then
    (cd "$here/web" && npm ci --no-audit --no-fund)
  fi
fi
