/*
** tests/unit/main.c - the runner of the C unit tests (build/unit): the
** modules that do not use SQLite, one file of tests per module of ext/:
**
**   tests/unit/util.c       ct_util: formatting, suffixes, search, names
**   tests/unit/json.c       ct_json, ct_json_unsafe: the scanner against
**                           cJSON, offsets,
**                           UTF-8, nesting, string decoding, member lookup
**   tests/unit/json_fuzz.c  ct_json: differential fuzzing against cJSON
**   tests/unit/group.c      ct_group: the grouped scan's keys
**   tests/unit/inflate.c    ct_inflate: gzip members, corruption, limits
**   tests/unit/records.c    ct_records: events in every file shape
**   tests/unit/time.c       ct_time: parsing, formatting, collating
**   tests/unit/event.c      ct_event: the index of an event's fields
**   tests/unit/walk.c       ct_walk, ct_pattern, ct_idset: the walk's
**                           order, links, patterns, each file once
**   tests/unit/pool.c       ct_pool: decoding on threads, in order
**   tests/unit/buf.c        ct_buf: file buffers kept for reuse
**   tests/unit/filter.c     ct_filter: the byte search, SQLite collations
**   tests/unit/decode.c     ct_decode: rowids
**   tests/unit/logname.c    ct_logname: what a file name says
**   tests/unit/ip.c         ct_ip: addresses, CIDR blocks, membership
**
** The modules that use SQLite (cloudtrail.c, ct_vtab, ct_options,
** ct_columns, ct_plan, ct_scan, ct_groupscan, ct_conn, ct_files) are tested
** through it: tests/conn.c, tests/fault.c, tests/sql/ and the Python tests.
**
** What they share: tests/harness.h (CHECK, CHECKF, the test tables,
** selection by name, the "N passed, M failed" line; tests/conn.c and
** tests/fault.c use it too) and tests/unit/helpers.h (the temporary
** directory, the random generator, exact-size copies).
**
**   build/unit                  every test
**   build/unit NAME...          the tests named
**   build/unit 'time_*'         glob patterns (fnmatch): a module's tests
**   build/unit --list [PATTERN...]   the names, without running them
**
** Each test is a function named as a sentence; CHECK() records a failure
** (file:line) and goes on. The run ends with the line "N passed, M failed"
** (exit status 1 if M > 0, 2 if a pattern matches no test). Before each
** test the random generator is reseeded, so a test sees the same data run
** alone as in the whole run.
**
** The program needs no files: it makes what it needs in a mkdtemp()
** directory under /tmp and removes it at the end.
*/
#include "helpers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const Test *const aGroup[] = {
    aUnitUtil,    aUnitJson,   aUnitJsonFuzz, aUnitGroup,   aUnitInflate,
    aUnitRecords, aUnitTime,   aUnitEvent,    aUnitWalk,    aUnitPool,
    aUnitBuf,     aUnitFilter, aUnitDecode,   aUnitLogname, aUnitIp,
};

int main(int argc, char **argv) {
  size_t i;
  const Test *t;
  int list = argc > 1 && strcmp(argv[1], "--list") == 0;
  testSelect(argc - 1 - list, argv + 1 + list);
  if (list) {
    for (i = 0; i < sizeof(aGroup) / sizeof(aGroup[0]); i++) {
      for (t = aGroup[i]; t->zName; t++) {
        if (testWanted(t->zName))
          printf("%s\n", t->zName);
      }
    }
    return 0;
  }
  strcpy(zTmp, "/tmp/ct-unit-XXXXXX");
  if (mkdtemp(zTmp) == 0) {
    fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
    return 2;
  }
  for (i = 0; i < sizeof(aGroup) / sizeof(aGroup[0]); i++) {
    for (t = aGroup[i]; t->zName; t++) {
      if (testBegin(t->zName)) {
        rngState = RNG_SEED;
        t->xTest();
        testEnd();
      }
    }
  }
  rmTree(zTmp);
  return testReport();
}
