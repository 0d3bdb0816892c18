#!/bin/sh
# Install what building and testing need, on Debian (run as root). Does
# nothing when everything is already there.
#   tests/install-deps.sh          everything `make test` needs
#   tests/install-deps.sh --demo   only what `make` and examples/run.sh need
set -e
# Building the extension and running the demo (`make`, `make examples`).
demo="build-essential sqlite3 libsqlite3-dev zlib1g-dev libdeflate-dev"
# The tests add: unit tests (cJSON), sanitizers, valgrind, Python, lint.
tests="clang libclang-rt-dev libcjson-dev python3 valgrind util-linux clang-format"
case "$1" in
  --demo) want="$demo" ;;
  "") want="$demo $tests" ;;
  *) echo "usage: $0 [--demo]" >&2; exit 2 ;;
esac
need=""
have() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
for p in $want; do
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
