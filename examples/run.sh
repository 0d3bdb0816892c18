#!/bin/sh
# Build the extension and run examples/queries.sql on the logs in
# examples/logs (real CloudTrail data; see examples/logs/*/LICENSE).
set -e
cd "$(dirname "$0")/.."
./tests/install-deps.sh --demo   # only what building and the demo need
make --no-print-directory build/cloudtrail.so
sqlite3 -batch -bail :memory: < examples/queries.sql
