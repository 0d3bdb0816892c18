/*
** cloudtrail.c - the cloudtrail virtual table: every CloudTrail event under a
** path as a SQL row. This file only registers; the work is done by the
** modules below.
**
** Usage:
**
**   .load build/cloudtrail
**   SELECT eventName, count(*) FROM cloudtrail('/data/AWSLogs') GROUP BY 1;
**   SELECT * FROM cloudtrail('/data/AWSLogs', 'on_error=skip');
**   CREATE VIRTUAL TABLE temp.trail USING cloudtrail('/data/AWSLogs');
**
** Inside, one row comes from a pipeline of small modules, each with one job
** (each file's header comment is its manual). In pipeline order:
**
**   walk             ct_walk      find the log files under the path, lazily,
**                                 in byte order, each once
**                    ct_pattern   match a glob pattern directory by directory
**                    ct_idset     the (device, inode) pairs already taken
**                    ct_logname   what a file's name says (account, region,
**                                 delivery minute)
**   read, inflate    ct_decode    one file: inflate, byte search, validate and
**                                 split, index events (the per-file half)
**                    ct_inflate   read one file into memory, inflating gzip
**                                 (every member, checked)
**                    ct_buf       buffers for the files' text, reused
**                    ct_pool      ct_decode on threads, files ahead, handed
**                                 back in walk order
**   records          ct_records   validate the JSON, find each event's bytes
**                    ct_json      the validating JSON scanner
**   fields           ct_event     an event's top-level fields (CT_F_*)
**                    ct_filter    pushed-down constraints, tests that skip
**                    ct_time      CloudTrail's times: parse, compare, format
**                    ct_ip        IP addresses, CIDR blocks (cloudtrail_ip_in)
**   rows             ct_columns   the column map, the schema, a column's value
**                    ct_group     a grouped scan's table of keys
**   planner          ct_plan      xBestIndex, costs, the plan's encoding
**   SQLite side      ct_vtab      the module's methods (thin), rowids
**   (ct_vtab.h)      ct_options   option text into CtOptions
**                    ct_scan      the scan driver: walk, pool, read-ahead,
**                                 interrupts, progress, statistics
**                    ct_groupscan the grouped scan's driver
**                    ct_conn      the connection: cloudtrail_errors,
**                                 cloudtrail_stats(), trust, functions
**                    ct_files     the cloudtrail_files table
**                    this file    registration (sqlite3_cloudtrail_init)
**   everywhere       ct_util      the one allocator, small helpers
**
** The modules from ct_walk to ct_group do not use SQLite (CORE_SRC in the
** Makefile: unit tests and fuzzers link them alone).
**
** A file is read only when the cursor reaches it, and each file is checked
** whole before its first row is returned, so a file yields all its events or
** an error. By default an error stops the query with a message naming the file
** and the cause; with on_error=skip the file is skipped and listed in the
** cloudtrail_errors table. JSON columns return the value's own text with
** SQLite's JSON subtype, so numbers are never re-printed.
**
** The table reads files, so it is SQLITE_VTAB_DIRECTONLY: a view or trigger in
** a database file cannot use it. A table stored in a database file (a schema
** other than temp) reads files only with the connection's consent: see
** "Stored tables" in ct_conn.c.
*/
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1

#include "ct_buf.h"
#include "ct_files.h"
#include "ct_util.h"
#include "ct_vtab.h"

#include <pthread.h>
#include <string.h>

/*
** The allocator of the modules (ct_util.h): SQLite's, so that SQLite's heap
** limit (sqlite3_hard_heap_limit64, PRAGMA hard_heap_limit) caps a scan's
** memory, the files' mapped text included (ctSqlReserve), and so that a
** test can fail each allocation (tests/fault.c).
*/
static void *ctSqlMalloc(size_t n) { return sqlite3_malloc64(n); }
static void *ctSqlRealloc(void *p, size_t n) { return sqlite3_realloc64(p, n); }
static void ctSqlFree(void *p) { sqlite3_free(p); }

/* May n more bytes of text be mapped? Not past the hard heap limit, counting
** what SQLite's allocator holds and what is mapped already. A token
** allocation lets an allocator that fails on purpose (tests) fail this too. */
static int ctSqlReserve(size_t n) {
  sqlite3_int64 lim = sqlite3_hard_heap_limit64(-1);
  void *p;
  if (lim > 0 &&
      (sqlite3_uint64)sqlite3_memory_used() + ctBufMappedBytes() + n >
          (sqlite3_uint64)lim) {
    return 0;
  }
  p = sqlite3_malloc(1);
  sqlite3_free(p);
  return p != 0;
}

static void ctAllocInit(void) {
  static const CtAllocator a = {ctSqlMalloc, ctSqlRealloc, ctSqlFree,
                                ctSqlReserve};
  ctAllocUse(&a);
}

/* The one exported symbol. */
int sqlite3_cloudtrail_init(sqlite3 *db, char **pzErrMsg,
                            const sqlite3_api_routines *pApi);

#ifdef _WIN32
__declspec(dllexport)
#else
__attribute__((visibility("default")))
#endif
    int sqlite3_cloudtrail_init(sqlite3 *db, char **pzErrMsg,
                                const sqlite3_api_routines *pApi) {
  CtConn *pConn;
  int rc;
  SQLITE_EXTENSION_INIT2(pApi);
  if (sqlite3_libversion_number() < 3038000) {
    *pzErrMsg = sqlite3_mprintf("cloudtrail needs SQLite 3.38 or later "
                                "(this is %s)",
                                sqlite3_libversion());
    return SQLITE_ERROR;
  }
  {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, ctAllocInit);
  }
  pConn = sqlite3_malloc(sizeof(*pConn));
  if (pConn == 0)
    return SQLITE_NOMEM;
  memset(pConn, 0, sizeof(*pConn));
  rc = sqlite3_create_collation_v2(db, "cloudtrail_time", SQLITE_UTF8, 0,
                                   ctTimeCollation, 0);
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_module_v2(db, "cloudtrail", &ctModule, pConn,
                                  ctConnFree);
  } else {
    ctConnFree(pConn);
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_module_v2(db, "cloudtrail_errors", &ctErrModule, pConn,
                                  0);
  }
  if (rc == SQLITE_OK)
    rc = ctFilesRegister(db);
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function_v2(db, "cloudtrail_version", 0,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC |
                                        SQLITE_INNOCUOUS,
                                    0, ctVersionFunc, 0, 0, 0);
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function_v2(db, "cloudtrail_time", 1,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC |
                                        SQLITE_INNOCUOUS,
                                    0, ctTimeFunc, 0, 0, 0);
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function_v2(db, "cloudtrail_ip_in", 2,
                                    SQLITE_UTF8 | SQLITE_DETERMINISTIC |
                                        SQLITE_INNOCUOUS,
                                    0, ctIpInFunc, 0, 0, 0);
  }
  if (rc == SQLITE_OK) {
    rc = sqlite3_create_function_v2(db, "cloudtrail_stats", 0,
                                    SQLITE_UTF8 | SQLITE_DIRECTONLY, pConn,
                                    ctStatsFunc, 0, 0, 0);
  }
  if (rc == SQLITE_OK) {
    /* DIRECTONLY: a stored view or trigger cannot consent for the
    ** connection (see "Stored tables"). */
    rc = sqlite3_create_function_v2(db, "cloudtrail_trust_stored", 1,
                                    SQLITE_UTF8 | SQLITE_DIRECTONLY, pConn,
                                    ctTrustFunc, 0, 0, 0);
  }
  if (rc != SQLITE_OK && *pzErrMsg == 0) {
    *pzErrMsg = sqlite3_mprintf("cloudtrail: %s", sqlite3_errmsg(db));
  }
  return rc;
}
