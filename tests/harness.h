/*
** tests/harness.h - the small test harness of the C test programs
** (build/unit, build/conn, build/fault).
**
** No framework: a test is a function named as a sentence
** (gz_should_reject_truncated_member). CHECK(x) records a failure (file,
** line, test, expression) and goes on; CHECKF(x, fmt, ...) adds context to
** the report. A test passes if none of its checks failed.
**
** A program hands its command-line words to testSelect(), then runs each
** test through testRun() (or testBegin()/testEnd() around a test that takes
** arguments), and returns testReport(), which prints
**
**   N tests, K checks
**   N passed, M failed
**
** and gives the exit status (nonzero if M > 0). With no words every test
** runs; each word is a glob pattern (fnmatch(3)) matched against the test
** names, so a full name runs one test and `time_*` runs those of a module.
** A word that matches no test is an error (exit status 2), so a mistyped
** name cannot pass as "0 failed".
**
** Checks may fail on any thread: the counts are atomic.
**
** Built with SQLITE_CORE (the programs linked with the extension's
** sources), it also gives openDb(): a database with the module registered.
*/
#ifndef CT_TEST_HARNESS_H
#define CT_TEST_HARNESS_H

#include <stddef.h>
#include <string.h>

/* One entry of a table of tests. */
typedef struct Test {
  const char *zName;   /* The test's name: the function's, a sentence */
  void (*xTest)(void); /* Runs it; CHECK() records what fails */
} Test;
#define TEST(x)                                                                \
  { #x, x }

/* The test now running ("?" outside a test). */
extern const char *zTestName;

/* Record a failed check of the current test (the CHECK macros call this). */
void checkFailed(const char *zFile, int line, const char *zExpr,
                 const char *zFmt, ...) __attribute__((format(printf, 4, 5)));

/* Count one check (the CHECK macros call this). */
void checkCounted(void);

/* CHECKF(cond, fmt, ...) adds context to the failure report. */
#define CHECKF(x, ...)                                                         \
  (checkCounted(),                                                             \
   (x) ? (void)0 : checkFailed(__FILE__, __LINE__, #x, __VA_ARGS__))
#define CHECK(x) CHECKF(x, "%s", "")

/* True if z is not NULL and holds zSub. */
int contains(const char *z, const char *zSub);
#define CHECK_CONTAINS(z, sub)                                                 \
  CHECKF(contains((z), (sub)), ": got \"%s\", want \"%s\" in it",              \
         (z) ? (z) : "(null)", (sub))
#define CHECK_STREQ(a, b)                                                      \
  CHECKF((a) != 0 && strcmp((a), (b)) == 0, ": got \"%s\", want \"%s\"",       \
         (a) ? (a) : "(null)", (b))
#define CHECK_SZ(a, b)                                                         \
  CHECKF((size_t)(a) == (size_t)(b), ": got %zu, want %zu", (size_t)(a),       \
         (size_t)(b))

/* Take the command line's test patterns (azPattern[0..nPattern), not
** copied: they must outlive the run). None: every test. */
void testSelect(int nPattern, char **azPattern);

/* True if the test named zName is selected. */
int testWanted(const char *zName);

/* If zName is selected, make it the current test and return 1; the caller
** runs it and calls testEnd(). Otherwise return 0. */
int testBegin(const char *zName);

/* End the current test: count it passed or failed ("FAIL name" on stdout). */
void testEnd(void);

/* testBegin(zName), xTest(), testEnd(): if selected. */
void testRun(const char *zName, void (*xTest)(void));

/* Print the counts and "N passed, M failed"; return the exit status: 0 if
** all passed, 1 if any failed, 2 if a pattern matched no test. */
int testReport(void);

#ifdef SQLITE_CORE
/* For the programs linked with the extension's sources (tests/conn.c,
** tests/fault.c): an in-memory database with the cloudtrail module
** registered; exits on failure. */
#include <sqlite3.h>
int sqlite3_cloudtrail_init(sqlite3 *db, char **pzErrMsg,
                            const sqlite3_api_routines *pApi);
sqlite3 *openDb(void);
#endif

#endif /* CT_TEST_HARNESS_H */
