"""peers.py - building and installing what the benchmark runs.

  ours:   build/cloudtrail.so (`make`, if missing);
  helper: build/bench-rusage, the measuring wrapper (bench/rusage.c);
  floor:  build/floor and build/floor-zlib (the Makefile's rules: bench/floor.c
          with the extension's flags and inflater, and with zlib alone);
  DuckDB: @duckdb/node-api from npm into bench/node_modules (bench/package.json
          pins the version), if missing.
"""

import os
import subprocess

import measure


def log(msg):
    print(msg, flush=True)


def ensure_extension():
    if not os.path.exists("build/cloudtrail.so"):
        log("build/cloudtrail.so is missing: running make")
        subprocess.run(["make", "build/cloudtrail.so"], check=True)


def build_helpers():
    """build/bench-rusage (the measuring wrapper), from bench/rusage.c."""
    os.makedirs("build", exist_ok=True)
    subprocess.run(["cc", "-O2", "-std=c11", "-D_POSIX_C_SOURCE=200809L",
                    "-D_DEFAULT_SOURCE", "-Wall", "-Wextra", "-Werror",
                    "-o", measure.RUSAGE, "bench/rusage.c"], check=True)


def build_floor():
    """build/floor with the extension's own flags and inflater (the
    Makefile's), and build/floor-zlib with zlib alone. Returns how, for
    the report."""
    cmd = ["make", "-s", "build/floor", "build/floor-zlib"]
    log("$ " + " ".join(cmd))
    subprocess.run(cmd, check=True)
    return ["make build/floor (the extension's CFLAGS, its inflater); "
            "build/floor-zlib: the same with zlib alone"]


def ensure_duckdb():
    if not os.path.isdir("bench/node_modules/@duckdb/node-api"):
        log("bench/node_modules is missing: npm install")
        subprocess.run(["npm", "install", "--no-audit", "--no-fund"],
                       cwd="bench", check=True)
