# cloudtrail - SQL over AWS CloudTrail logs, as a loadable SQLite extension.
#
#   make            build/cloudtrail.so
#   make test       every test (C units, SQL, Python, ASan+UBSan, valgrind)
#   make examples   build, then run the queries in examples/ on examples/logs
#   make lint       clang-format check
#   make bench      the benchmark (bench/); bench-quick: Q1, Q3 and the floor
#   make coverage   line coverage of ext/ under the C, SQL and Python tests
#   make format     apply clang-format
#   make install    build/cloudtrail.so to $(PREFIX)/lib, sql/ to
#                   $(PREFIX)/share/cloudtrail/sql (PREFIX=/usr/local,
#                   DESTDIR honoured); make uninstall removes exactly those

VERSION := 0.1.0
CC      ?= cc
PYTHON  ?= /usr/bin/python3
SQLITE3 ?= sqlite3

WARN    := -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion \
           -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wcast-qual -Wvla -Werror
CFLAGS  ?= -O2 -g
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
ALLCFLAGS := $(CSTD) $(WARN) $(CFLAGS) -DCT_VERSION='"$(VERSION)"'
LIBS    := -lz -lpthread

# The inflater: libdeflate (default; see the README's benchmark) or zlib.
INFLATE ?= libdeflate
ifeq ($(INFLATE),libdeflate)
ALLCFLAGS += -DCT_HAVE_LIBDEFLATE
LIBS    += -ldeflate
endif

# The modules that do not need SQLite (unit tests and fuzzers link these).
CORE_SRC := ext/ct_util.c ext/ct_json.c ext/ct_json_unsafe.c ext/ct_inflate.c ext/ct_records.c \
            ext/ct_time.c ext/ct_event.c ext/ct_walk.c ext/ct_pattern.c \
            ext/ct_idset.c \
            ext/ct_logname.c ext/ct_filter.c ext/ct_decode.c ext/ct_pool.c \
            ext/ct_group.c ext/ct_buf.c ext/ct_ip.c
# The modules that use SQLite (ct_vtab.h): never in CORE_SRC.
EXT_SRC  := $(CORE_SRC) ext/ct_files.c ext/ct_options.c ext/ct_columns.c \
            ext/ct_plan.c ext/ct_scan.c ext/ct_groupscan.c ext/ct_conn.c \
            ext/ct_vtab.c ext/cloudtrail.c
HDRS     := $(wildcard ext/*.h)

BUILD   ?= build

.PHONY: all test test-unit test-sql test-python test-asan test-tsan test-valgrind \
        test-fuzz-replay fuzz fuzz-quick bench bench-quick coverage \
        examples lint format clean deps install uninstall

all: $(BUILD)/cloudtrail.so

# Link-time optimization lets the record reader inline the JSON scanner's
# calls across files: about 10% less CPU on a full scan (see bench/). Off for
# the sanitizer builds (clang there); LTO= turns it off.
LTO     ?= -flto=auto

$(BUILD)/cloudtrail.so: $(EXT_SRC) $(HDRS) Makefile
	@mkdir -p $(BUILD)
	$(CC) $(ALLCFLAGS) $(LTO) -fPIC -shared -fvisibility=hidden -o $@ $(EXT_SRC) $(LIBS)

# The C test programs share a small harness (tests/harness.h): CHECK, the
# test tables, tests chosen by name or glob on the command line. The unit
# tests are one file per module under tests/unit/ (the map: tests/unit/main.c).
HARNESS  := tests/harness.c
TEST_HDRS := tests/harness.h $(wildcard tests/unit/*.h)
UNIT_SRC := $(wildcard tests/unit/*.c) $(HARNESS)

$(BUILD)/unit: $(UNIT_SRC) $(CORE_SRC) $(HDRS) $(TEST_HDRS) Makefile
	@mkdir -p $(BUILD)
	$(CC) $(ALLCFLAGS) -Iext -o $@ $(UNIT_SRC) $(CORE_SRC) $(LIBS) -lcjson

# The extension through SQLite's C API (tests/conn.c): closing mid-scan,
# threads, interrupts. Linked with the extension's sources (SQLITE_CORE).
$(BUILD)/conn: tests/conn.c $(HARNESS) $(EXT_SRC) $(HDRS) $(TEST_HDRS) Makefile
	@mkdir -p $(BUILD)
	$(CC) $(ALLCFLAGS) -DSQLITE_CORE -Iext -o $@ tests/conn.c $(HARNESS) $(EXT_SRC) \
	  $(LIBS) -lsqlite3

# Each allocation of a scan failed in turn (tests/fault.c, fts5fault's
# model), through SQLite's allocator.
$(BUILD)/fault: tests/fault.c $(HARNESS) $(EXT_SRC) $(HDRS) $(TEST_HDRS) Makefile
	@mkdir -p $(BUILD)
	$(CC) $(ALLCFLAGS) -DSQLITE_CORE -Iext -o $@ tests/fault.c $(HARNESS) $(EXT_SRC) \
	  $(LIBS) -lsqlite3

# make install: the extension into $(LIBDIR) and the views into $(SQLDIR).
# SQLite's loader hands `cloudtrail` (then `cloudtrail.so`) to dlopen, which
# looks in LD_LIBRARY_PATH and the system directories (/lib, /usr/lib and
# their x86_64-linux-gnu); ldconfig's cache holds only lib*.so names, so
# /usr/local/lib is not searched for cloudtrail.so and running ldconfig
# would not help. PREFIX=/usr makes `.load cloudtrail` work with no setup;
# with the default PREFIX, `.load /usr/local/lib/cloudtrail` or
# LD_LIBRARY_PATH=/usr/local/lib (see the README's Install).
PREFIX  ?= /usr/local
DESTDIR ?=
LIBDIR  ?= $(PREFIX)/lib
SQLDIR  ?= $(PREFIX)/share/cloudtrail/sql
SQL_FILES := $(notdir $(wildcard sql/*.sql))

install: $(BUILD)/cloudtrail.so
	install -d "$(DESTDIR)$(LIBDIR)" "$(DESTDIR)$(SQLDIR)"
	install -m 755 $(BUILD)/cloudtrail.so "$(DESTDIR)$(LIBDIR)/cloudtrail.so"
	install -m 644 $(addprefix sql/,$(SQL_FILES)) "$(DESTDIR)$(SQLDIR)/"

# The same list as install: the files, then the directories install made
# if they are left empty (never $(LIBDIR) or $(PREFIX)/share themselves).
uninstall:
	rm -f "$(DESTDIR)$(LIBDIR)/cloudtrail.so" \
	  $(addprefix "$(DESTDIR)$(SQLDIR)/,$(addsuffix ",$(SQL_FILES)))
	rmdir "$(DESTDIR)$(SQLDIR)" "$(DESTDIR)$(dir $(SQLDIR))" 2>/dev/null || true

# Install what the build and tests need (Debian; run as root).
deps:
	@./tests/install-deps.sh

test: deps
	$(MAKE) lint test-unit test-sql test-python
	$(MAKE) test-asan test-tsan test-fuzz-replay
	$(MAKE) test-valgrind

test-unit: $(BUILD)/unit $(BUILD)/conn $(BUILD)/fault
	$(BUILD)/unit
	$(BUILD)/conn tests/data/real
	$(BUILD)/fault tests/data/real/aws-processing-library

test-sql: $(BUILD)/cloudtrail.so
	$(PYTHON) tests/run_sql_tests.py $(BUILD)/cloudtrail

test-python: $(BUILD)/cloudtrail.so
	$(PYTHON) tests/test_cloudtrail.py $(BUILD)/cloudtrail
	$(PYTHON) tests/test_time.py $(BUILD)/cloudtrail
	$(PYTHON) tests/test_functions.py $(BUILD)/cloudtrail
	$(PYTHON) tests/test_exact.py $(BUILD)/cloudtrail
	$(PYTHON) tests/test_trust.py $(BUILD)/cloudtrail
	$(PYTHON) tests/test_huge.py $(BUILD)/cloudtrail
	$(PYTHON) tests/test_walk.py $(BUILD)/cloudtrail
	$(PYTHON) tests/test_memory.py $(BUILD)/cloudtrail
	$(PYTHON) tests/test_install.py $(BUILD)/cloudtrail

ASAN_CFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
               -fno-omit-frame-pointer -shared-libasan

# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer:
# the C programs with leak detection, the Python tests with the runtime
# preloaded (not test_huge, test_memory, test_install: normal build only).
ASAN_LIB     = $$(clang -print-file-name=libclang_rt.asan-x86_64.so)
ASAN_RUN     = ASAN_OPTIONS=detect_leaks=1 LD_LIBRARY_PATH="$$(dirname $(ASAN_LIB))"
ASAN_PY      = ASAN_OPTIONS=detect_leaks=0:verify_asan_link_order=0 \
               LD_PRELOAD="$(ASAN_LIB)" $(PYTHON)
ASAN_PY_TESTS := test_cloudtrail test_time test_functions test_exact \
                 test_trust test_walk

test-asan:
	$(MAKE) BUILD=build-asan CC=clang LTO= \
	  CFLAGS="$(ASAN_CFLAGS)" \
	  build-asan/cloudtrail.so build-asan/unit build-asan/conn \
	  build-asan/fault
	$(ASAN_RUN) build-asan/unit
	$(ASAN_RUN) build-asan/conn tests/data/real
	$(ASAN_RUN) build-asan/fault tests/data/real/aws-processing-library
	$(ASAN_PY) tests/run_sql_tests.py build-asan/cloudtrail
	for t in $(ASAN_PY_TESTS); do \
	  $(ASAN_PY) tests/$$t.py build-asan/cloudtrail || exit 1; \
	done

# The C unit tests (the thread pool among them) and tests/conn.c (many
# connections on threads) under ThreadSanitizer.
test-tsan:
	@mkdir -p build-tsan
	clang $(CSTD) $(WARN) -O1 -g -fsanitize=thread -Iext -o build-tsan/unit \
	  $(UNIT_SRC) $(CORE_SRC) $(LIBS) -lcjson
	build-tsan/unit
	clang $(CSTD) $(WARN) -O1 -g -fsanitize=thread -DCT_HAVE_LIBDEFLATE \
	  -DSQLITE_CORE -Iext -o build-tsan/conn tests/conn.c $(HARNESS) $(EXT_SRC) \
	  -lz -ldeflate -lpthread -lsqlite3
	build-tsan/conn tests/data/real

# The SQL and Python tests (small data) under valgrind memcheck: any invalid
# access or definite leak fails.
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite --show-leak-kinds=definite

test-valgrind: $(BUILD)/cloudtrail.so
	CT_VALGRIND=1 $(PYTHON) tests/run_sql_tests.py $(BUILD)/cloudtrail
	CT_QUICK=1 PYTHONMALLOC=malloc $(VALGRIND) $(PYTHON) tests/test_cloudtrail.py $(BUILD)/cloudtrail

# Line coverage of ext/ (gcc --coverage and gcov; not part of `make test`):
# the extension and the C tests built into build-cov/ without optimization,
# then test-unit, test-sql and test-python (CT_QUICK=1) against them, and
# tests/gcov_report.py adds up the counts of every program, per file. The
# report prints even if a test fails; make then fails too.
COV_CFLAGS := -O0 -g --coverage

coverage:
	$(MAKE) BUILD=build-cov LTO= CFLAGS="$(COV_CFLAGS)" \
	  build-cov/cloudtrail.so build-cov/unit build-cov/conn build-cov/fault
	rm -f build-cov/*.gcda
	@rc=0; CT_QUICK=1 $(MAKE) -k BUILD=build-cov LTO= CFLAGS="$(COV_CFLAGS)" \
	  test-unit test-sql test-python || rc=$$?; \
	$(PYTHON) tests/gcov_report.py build-cov ext/ || rc=1; \
	exit $$rc

examples:
	./examples/run.sh

lint:
	clang-format --dry-run --Werror ext/*.c ext/*.h tests/*.c tests/*.h tests/unit/*.c \
	  tests/unit/*.h tests/fuzz/*.c

format:
	clang-format -i ext/*.c ext/*.h tests/*.c tests/*.h tests/unit/*.c \
	  tests/unit/*.h tests/fuzz/*.c

# The benchmark against DuckDB, jq and the inflate floor (not run by CI).
# bench-quick: Q1 and Q3 only, ours in turns with the floor, 5 runs (no
# DuckDB): the before/after check of a change to the scan path. Both take
# more options in BENCH_ARGS, e.g. BENCH_ARGS="--days 3" (a smaller trail),
# "--runs 9", "--data DIR" (see bench/run_bench.py).
BENCH_ARGS ?=

bench: $(BUILD)/cloudtrail.so $(BUILD)/floor $(BUILD)/floor-zlib
	$(PYTHON) bench/run_bench.py $(BENCH_ARGS)

bench-quick: $(BUILD)/cloudtrail.so $(BUILD)/floor $(BUILD)/floor-zlib
	$(PYTHON) bench/run_bench.py --floors $(BENCH_ARGS)

# The floor: walk and inflate every file, with the extension's own inflater,
# no parsing. floor-zlib: the same with zlib alone (what libdeflate buys).
$(BUILD)/floor: bench/floor.c $(CORE_SRC) $(HDRS) Makefile
	@mkdir -p $(BUILD)
	$(CC) $(ALLCFLAGS) -Iext -o $@ bench/floor.c $(CORE_SRC) $(LIBS)

$(BUILD)/floor-zlib: bench/floor.c $(CORE_SRC) $(HDRS) Makefile
	@mkdir -p $(BUILD)
	$(CC) $(CSTD) $(WARN) $(CFLAGS) -Iext -o $@ bench/floor.c $(CORE_SRC) \
	  -lz -lpthread

# Fuzzing (libFuzzer, clang; not run by CI). Three targets: the gzip reader,
# the record reader, and SQL over a small fuzzed tree. Seeds come from
# tests/data/real (tests/fuzz/make_seeds.py); past findings live in
# tests/fuzz/regress/<target>/ and are replayed by `make test` (test-fuzz-replay).
#   make fuzz-quick              each target for 60 s
#   make fuzz FUZZ_TIME=600      each target for 10 minutes
FUZZ_TARGETS := inflate records sql
FUZZ_TIME    ?= 600
FUZZ_CFLAGS  := $(CSTD) $(WARN) -O1 -g -fno-omit-frame-pointer \
                -DCT_HAVE_LIBDEFLATE -DSQLITE_CORE -Iext
FUZZ_LIBS    := -lsqlite3 -lcjson -lz -ldeflate -lpthread
FUZZ_SRC_inflate := $(CORE_SRC)
FUZZ_SRC_records := $(CORE_SRC)
FUZZ_SRC_sql     := $(EXT_SRC)

build-fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(EXT_SRC) $(HDRS) Makefile
	@mkdir -p build-fuzz
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=all -o $@ $< $(FUZZ_SRC_$*) $(FUZZ_LIBS)

build-fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(EXT_SRC) $(HDRS) Makefile
	@mkdir -p build-fuzz
	clang $(FUZZ_CFLAGS) -fsanitize=address,undefined -fno-sanitize-recover=all \
	  -o $@ $< tests/fuzz/replay.c $(FUZZ_SRC_$*) $(FUZZ_LIBS)

build-fuzz/seeds: tests/fuzz/make_seeds.py $(wildcard tests/data/real/*/*)
	rm -rf $@ && $(PYTHON) tests/fuzz/make_seeds.py $@

# Each target over its seeds and past findings, without libFuzzer, under
# ASan+UBSan (part of `make test`).
test-fuzz-replay: build-fuzz/seeds $(addprefix build-fuzz/replay_,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p tests/fuzz/regress/$$t; \
	  echo "replay $$t"; \
	  ASAN_OPTIONS=detect_leaks=1 build-fuzz/replay_$$t \
	    build-fuzz/seeds/$$t tests/fuzz/regress/$$t || exit 1; \
	done

fuzz-quick:
	$(MAKE) fuzz FUZZ_TIME=60

# Every target runs (a finding in one does not stop the others); the
# findings are in build-fuzz/findings-<target>/, and make fails if any.
fuzz: build-fuzz/seeds $(addprefix build-fuzz/fuzz_,$(FUZZ_TARGETS))
	@bad=""; for t in $(FUZZ_TARGETS); do \
	  mkdir -p build-fuzz/corpus-$$t build-fuzz/findings-$$t; \
	  echo "== fuzz_$$t for $(FUZZ_TIME) s"; \
	  build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_TIME) -timeout=10 \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix=build-fuzz/findings-$$t/ \
	    build-fuzz/corpus-$$t build-fuzz/seeds/$$t || bad="$$bad $$t"; \
	done; \
	if [ -n "$$bad" ]; then echo "findings in:$$bad"; exit 1; fi

clean:
	rm -rf build build-asan build-tsan build-fuzz build-cov
