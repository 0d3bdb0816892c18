#!/bin/sh
# Install what building and testing need, on Debian (run as root). Does
# nothing when everything is already there.
set -e
need=""
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
for p in build-essential clang libclang-rt-dev sqlite3 libsqlite3-dev \
         libcjson-dev zlib1g-dev libdeflate-dev python3 valgrind util-linux clang-format; do
  have "$p" || need="$need $p"
done
if [ -n "$need" ]; then
  echo "installing:$need"
  if [ "$(id -u)" != 0 ]; then
    echo "need root to install:$need (or install them yourself)" >&2
    exit 1
  fi
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $need
fi
