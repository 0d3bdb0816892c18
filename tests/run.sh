#!/bin/sh
# The whole test suite on a fresh Debian machine: install what it needs
# (as root), then `make test`. .ci/run calls this.
set -e
cd "$(dirname "$0")/.."
./tests/install-deps.sh
make test
