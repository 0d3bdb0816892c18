/*
** tests/unit.c - unit tests for the modules that do not use SQLite:
** ct_util, ct_json, ct_inflate, ct_records, ct_time, ct_event, ct_walk.
**
** No framework: each test is a function named as a sentence, CHECK() records
** a failure (file:line) and goes on, and main() runs every test and ends with
** the line "N passed, M failed" (exit status nonzero if M > 0).
**
** cJSON (Debian's libcjson 1.7.15) is the independent reference for the JSON
** scanner. Where cJSON departs from RFC 8259 by design (it is lenient about
** leading zeros, "1.", raw control bytes, bad \u hex digits and invalid UTF-8,
** and strict about lone surrogate escapes and nesting over 1000), the tests
** say so and assert our strict behaviour instead.
**
** The program takes no arguments and needs no files: it makes what it needs
** in a mkdtemp() directory under /tmp and removes it at the end.
*/
#include "ct_buf.h"
#include "ct_decode.h"
#include "ct_event.h"
#include "ct_filter.h"
#include "ct_group.h"
#include "ct_inflate.h"
#include "ct_json.h"
#include "ct_logname.h"
#include "ct_pool.h"
#include "ct_records.h"
#include "ct_time.h"
#include "ct_util.h"
#include "ct_walk.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#define ZLIB_CONST
#include <zlib.h>

/* ------------------------------------------------------------------------ */
/* The runner                                                               */
/* ------------------------------------------------------------------------ */

static const char *zTestName = "?"; /* Test now running */
static int nCheckFail;              /* Failed checks in the current test */
static char zTmp[64];               /* The mkdtemp() directory */

static void checkFailed(const char *zFile, int line, const char *zExpr,
                        const char *zFmt, ...)
    __attribute__((format(printf, 4, 5)));

static void checkFailed(const char *zFile, int line, const char *zExpr,
                        const char *zFmt, ...) {
  va_list ap;
  fprintf(stderr, "%s:%d: %s: CHECK(%s) failed", zFile, line, zTestName, zExpr);
  va_start(ap, zFmt);
  vfprintf(stderr, zFmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  nCheckFail++;
}

/* CHECKF(cond, fmt, ...) adds context to the failure report. */
#define CHECKF(x, ...)                                                         \
  ((x) ? (void)0 : checkFailed(__FILE__, __LINE__, #x, __VA_ARGS__))
#define CHECK(x) CHECKF(x, "%s", "")

static int contains(const char *z, const char *zSub) {
  return z != 0 && strstr(z, zSub) != 0;
}
#define CHECK_CONTAINS(z, sub)                                                 \
  CHECKF(contains((z), (sub)), ": got \"%s\", want \"%s\" in it",              \
         (z) ? (z) : "(null)", (sub))
#define CHECK_STREQ(a, b)                                                      \
  CHECKF((a) != 0 && strcmp((a), (b)) == 0, ": got \"%s\", want \"%s\"",       \
         (a) ? (a) : "(null)", (b))
#define CHECK_SZ(a, b)                                                         \
  CHECKF((size_t)(a) == (size_t)(b), ": got %zu, want %zu", (size_t)(a),       \
         (size_t)(b))

/* Print n bytes of z with non-printable bytes as \xNN. */
static void printEscaped(FILE *f, const char *z, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    if (c >= 0x20 && c < 0x7f && c != '\\')
      fputc(c, f);
    else
      fprintf(f, "\\x%02x", c);
  }
}

/* True if the span sp of buf holds exactly the text z. */
static int spanIs(const char *buf, CtSpan sp, const char *z) {
  size_t n = strlen(z);
  return sp.len == n && memcmp(buf + sp.off, z, n) == 0;
}
#define CHECK_SPAN(buf, sp, z)                                                 \
  CHECKF(spanIs((buf), (sp), (z)),                                             \
         ": span {%zu,%zu} is \"%.*s\", want \"%s\"", (sp).off, (sp).len,      \
         (int)(sp).len, (buf) + (sp).off, (z))

/* malloc'd path zTmp/zRel. */
static char *tmpPath(const char *zRel) {
  char *z = ctMprintf("%s/%s", zTmp, zRel);
  if (z == 0)
    abort();
  return z;
}

static void writeFile(const char *zPath, const void *p, size_t n) {
  FILE *f = fopen(zPath, "wb");
  if (f == 0) {
    fprintf(stderr, "cannot create %s: %s\n", zPath, strerror(errno));
    abort();
  }
  if (n > 0 && fwrite(p, 1, n, f) != n)
    abort();
  if (fclose(f) != 0)
    abort();
}

/* Write zRel under zTmp; returns the malloc'd full path. */
static char *writeTmp(const char *zRel, const void *p, size_t n) {
  char *z = tmpPath(zRel);
  writeFile(z, p, n);
  return z;
}

static void makeDir(const char *zPath) {
  if (mkdir(zPath, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "mkdir %s: %s\n", zPath, strerror(errno));
    abort();
  }
}

/* Remove zPath and all under it; symbolic links are removed, not followed. */
static void rmTree(const char *zPath) {
  struct stat st;
  if (lstat(zPath, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(zPath);
    struct dirent *e;
    if (d) {
      while ((e = readdir(d)) != 0) {
        char *zSub;
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
          continue;
        }
        zSub = ctMprintf("%s/%s", zPath, e->d_name);
        if (zSub)
          rmTree(zSub);
        free(zSub);
      }
      closedir(d);
    }
    rmdir(zPath);
  } else {
    unlink(zPath);
  }
}

/* A fixed-seed xorshift generator: the fuzz loops are deterministic. */
static uint64_t rngState = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void) {
  rngState ^= rngState << 13;
  rngState ^= rngState >> 7;
  rngState ^= rngState << 17;
  return (uint32_t)(rngState >> 32);
}
static size_t rndBelow(size_t n) { return n ? (size_t)rnd() % n : 0; }

/* ------------------------------------------------------------------------ */
/* ct_util                                                                  */
/* ------------------------------------------------------------------------ */

static void util_mprintf_should_format_like_printf(void) {
  char *z = ctMprintf("%s=%d %zu%%", "n", -42, (size_t)7);
  CHECK_STREQ(z, "n=-42 7%");
  free(z);
  z = ctMprintf("%s", "");
  CHECK_STREQ(z, "");
  free(z);
}

static void util_mprintf_should_handle_long_output(void) {
  char big[5001];
  char *z;
  memset(big, 'x', 5000);
  big[5000] = 0;
  z = ctMprintf("<%s>", big);
  CHECK(z != 0 && strlen(z) == 5002 && z[0] == '<' && z[5001] == '>');
  free(z);
}

static void util_ends_with_should_compare_suffixes_in_any_case(void) {
  CHECK(ctEndsWithNoCase("a.json.gz", 9, ".gz"));
  CHECK(ctEndsWithNoCase("A.JSON.GZ", 9, ".gz"));
  CHECK(!ctEndsWithNoCase("a.json.gz", 9, ".json"));
  CHECK(ctEndsWithNoCase("a.json.gz", 6, ".json")); /* only n bytes count */
  CHECK(!ctEndsWithNoCase("gz", 2, ".gz"));
  CHECK(ctEndsWithNoCase("", 0, ""));
}

/* Naive reference for ctFind. */
static const char *findNaive(const char *h, size_t n, const char *z, size_t k) {
  size_t i;
  for (i = 0; i + k <= n; i++) {
    if (memcmp(h + i, z, k) == 0)
      return h + i;
  }
  return 0;
}

/* ctFind against the naive search on random texts over a small alphabet
** (so first and last bytes often match), in exactly-sized buffers (so ASan
** sees any read past either end). */
static void util_find_should_agree_with_a_naive_search(void) {
  unsigned seed = 12345;
  int iter, bad = 0;
  for (iter = 0; iter < 20000 && !bad; iter++) {
    size_t n, k, i;
    char *h, *z;
    const char *want, *got;
    seed = seed * 1103515245u + 12345u;
    n = (seed >> 8) % 120;
    seed = seed * 1103515245u + 12345u;
    k = (seed >> 8) % 24;
    h = malloc(n ? n : 1);
    z = malloc(k ? k : 1);
    for (i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      h[i] = "aab\"x"[(seed >> 16) % 5];
    }
    for (i = 0; i < k; i++) {
      seed = seed * 1103515245u + 12345u;
      z[i] = "aab"[(seed >> 16) % 3];
    }
    /* Often plant the needle, at any place it fits. */
    if (k <= n && (seed >> 20) % 2) {
      seed = seed * 1103515245u + 12345u;
      memcpy(h + (seed >> 8) % (n - k + 1), z, k);
    }
    want = findNaive(h, n, z, k);
    got = ctFind(h, n, z, k);
    if (got != want) {
      fprintf(stderr, "ctFind n=%zu k=%zu: %td, want %td\n", n, k,
              got ? got - h : -1, want ? want - h : -1);
      bad = 1;
    }
    free(h);
    free(z);
  }
  CHECK(!bad);
  CHECK(ctFind("xxConsoleLogin", 14, "ConsoleLogin", 12) != 0);
  CHECK(ctFind("xxConsoleLogi", 13, "ConsoleLogin", 12) == 0);
  {
    /* A long needle in a text that is nearly it everywhere (each start a
    ** candidate): linear, by memmem, once comparing costs as much as the
    ** text (without that, 2 x 10^9 byte compares). */
    size_t n = 1u << 20, k = 4001;
    char *h = malloc(n), *z = malloc(k);
    memset(h, 'a', n);
    memset(z, 'a', k);
    z[k / 2] = 'b';
    CHECK(ctFind(h, n, z, k) == 0);
    h[n - 3000] = 'b';
    CHECK(ctFind(h, n, z, k) == h + n - 3000 - k / 2);
    free(h);
    free(z);
  }
}

/* ------------------------------------------------------------------------ */
/* ct_json: helpers                                                         */
/* ------------------------------------------------------------------------ */

/* Copy z[0..n) into an exactly-sized malloc'd buffer, so that ASan reports
** any read past the end. (n == 0 gets 1 byte, never read.) */
static char *exactCopy(const char *z, size_t n) {
  char *p = malloc(n ? n : 1);
  if (p == 0)
    abort();
  if (n)
    memcpy(p, z, n);
  return p;
}

/* Our verdict on the whole text buf[0..n): one value, whitespace around. */
static int ourAccepts(const char *buf, size_t n, size_t *pStart, size_t *pEnd,
                      CtJsonError *pErr) {
  size_t start = ctJsonSpaceEnd(buf, n, 0);
  size_t end = 0;
  CtJsonError err = {0, 0};
  int rc = ctJsonValidate(buf, n, start, &end, &err);
  if (pStart)
    *pStart = start;
  if (pEnd)
    *pEnd = end;
  if (pErr)
    *pErr = err;
  return rc == 0 && ctJsonSpaceEnd(buf, n, end) == n;
}

/* cJSON's verdict on z[0..n) (no NUL inside), with require_null_terminated.
** cJSON wants the terminator inside buffer_length, as ParseWithOpts does. */
static int cjsonAccepts(const char *z, size_t n) {
  char *p = malloc(n + 1);
  cJSON *j;
  if (p == 0)
    abort();
  memcpy(p, z, n);
  p[n] = 0;
  j = cJSON_ParseWithLengthOpts(p, n + 1, 0, 1);
  free(p);
  if (j == 0)
    return 0;
  cJSON_Delete(j);
  return 1;
}

typedef struct JsonCase {
  const char *z; /* The text (no NUL inside) */
  int valid;     /* 1 if RFC 8259 (and so ctJsonValidate) accepts it */
  int cjDiffers; /* 1 where cJSON 1.7.15 disagrees by design (see notes) */
} JsonCase;

static const JsonCase aJsonCase[] = {
    /* Valid, cJSON agrees. */
    {"0", 1, 0},
    {"-0", 1, 0},
    {"1e5", 1, 0},
    {"1.5E+9", 1, 0},
    {"-1.25e-10", 1, 0},
    {"0.0000001", 1, 0},
    {"1E400", 1, 0},
    {"123456789012345678901234567890", 1, 0},
    {"18446744073709551615", 1, 0},
    {"-9223372036854775809", 1, 0},
    {"true", 1, 0},
    {"false", 1, 0},
    {"null", 1, 0},
    {"\"\"", 1, 0},
    {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", 1, 0},
    {"\"\\u00e9\"", 1, 0},
    {"\"\\uD83D\\uDE00\"", 1, 0},
    {"\"\\ud83d\\ude00\"", 1, 0},
    {"\"caf\xC3\xA9\"", 1, 0},
    {"\"\xF0\x9F\x98\x80\"", 1, 0},
    {"\"\x7f\"", 1, 0},
    {"[]", 1, 0},
    {"{}", 1, 0},
    {"[[]]", 1, 0},
    {"[{}]", 1, 0},
    {"{\"a\":{}}", 1, 0},
    {"{\"a\":[]}", 1, 0},
    {"[[[[]]]]", 1, 0},
    {"[{},[],{\"\":[{}]}]", 1, 0},
    {" \t\r\n[ 1 , 2 ]\n ", 1, 0},
    {"{ \"a\" : 1 , \"b\" : [ ] }", 1, 0},
    {"{\"a\":1,\"a\":2}", 1, 0},
    {"[1,\"a\",true,false,null,{\"k\":-0.5}]", 1, 0},
    {"{\"\\u0041\":\"x\"}", 1, 0},
    /* Valid; cJSON rejects lone surrogate escapes, which RFC 8259's grammar
    ** allows (we decode them to U+FFFD). */
    {"\"\\uD800\"", 1, 1},
    {"\"\\uDC00\"", 1, 1},
    {"\"\\uD800\\u0041\"", 1, 1},
    {"\"\\uDE00\\uD83D\"", 1, 1},
    /* Invalid, cJSON agrees. */
    {"", 0, 0},
    {" ", 0, 0},
    {".5", 0, 0},
    {"-", 0, 0},
    {"+1", 0, 0},
    {"1e", 0, 0},
    {"1E+", 0, 0},
    {"1.0e+", 0, 0},
    {"0x10", 0, 0},
    {"1.5.3", 0, 0},
    {"--1", 0, 0},
    {"NaN", 0, 0},
    {"Infinity", 0, 0},
    {"-Infinity", 0, 0},
    {"[-]", 0, 0},
    {"\"\\x\"", 0, 0},
    {"\"\\'\"", 0, 0},
    {"\"\\u12\"", 0, 0},
    {"\"\\\"", 0, 0},
    {"\"abc", 0, 0},
    {"[1,2", 0, 0},
    {"{\"a\":1", 0, 0},
    {"[", 0, 0},
    {"{", 0, 0},
    {"]", 0, 0},
    {"{\"a\"", 0, 0},
    {"{\"a\":", 0, 0},
    {"[1,]", 0, 0},
    {"[\"a\",]", 0, 0},
    {"{\"a\":1,}", 0, 0},
    {"[,1]", 0, 0},
    {"[1,,2]", 0, 0},
    {"truefalse", 0, 0},
    {"tru", 0, 0},
    {"nul", 0, 0},
    {"nulll", 0, 0},
    {"True", 0, 0},
    {"[1 2]", 0, 0},
    {"{\"a\" 1}", 0, 0},
    {"{1:2}", 0, 0},
    {"{\"a\":1 \"b\":2}", 0, 0},
    {"1 2", 0, 0},
    {"[1]x", 0, 0},
    {"[1]]", 0, 0},
    {"{\"a\":1}}", 0, 0},
    {"{]", 0, 0},
    {"[}", 0, 0},
    {"'a'", 0, 0},
    {"[\x7f]", 0, 0},
    /* Invalid by RFC 8259; cJSON accepts (strtod takes leading zeros, "1."
    ** and "-.5"; raw control bytes pass in strings and count as whitespace
    ** outside them; a \u escape with non-hex digits passes; bytes in strings
    ** are not checked for UTF-8). */
    {"01", 0, 1},
    {"00", 0, 1},
    {"-01", 0, 1},
    {"[01]", 0, 1},
    {"1.", 0, 1},
    {"{\"a\":1.}", 0, 1},
    {"-.5", 0, 1},
    {"1.e5", 0, 1},
    {"\"\\u12G4\"", 0, 1},
    {"\"a\tb\"", 0, 1},
    {"\"a\nb\"", 0, 1},
    {"\"\x01\"", 0, 1},
    {"\"\x1f\"", 0, 1},
    {"\x0c"
     "1",
     0, 1},
    {"[1,\x0b"
     "2]",
     0, 1},
    {"\"\xC3\"", 0, 1},
    {"\"\xC0\x80\"", 0, 1},
    {"\"\xED\xA0\x80\"", 0, 1},
};

/* ------------------------------------------------------------------------ */
/* ct_json: tests                                                           */
/* ------------------------------------------------------------------------ */

static void json_should_agree_with_cjson_on_table_of_texts(void) {
  size_t i;
  for (i = 0; i < sizeof(aJsonCase) / sizeof(aJsonCase[0]); i++) {
    const JsonCase *t = &aJsonCase[i];
    size_t n = strlen(t->z);
    char *buf = exactCopy(t->z, n);
    CtJsonError err = {0, 0};
    size_t start, end;
    int ours = ourAccepts(buf, n, &start, &end, &err);
    int cj = cjsonAccepts(t->z, n);
    CHECKF(ours == t->valid, ": case %zu \"%s\": ours %d, want %d (%s at %zu)",
           i, t->z, ours, t->valid, err.msg ? err.msg : "-", err.offset);
    if (t->cjDiffers) {
      CHECKF(cj != t->valid, ": case %zu \"%s\": cJSON now agrees (%d)", i,
             t->z, cj);
    } else {
      CHECKF(cj == ours, ": case %zu \"%s\": cJSON %d, ours %d", i, t->z, cj,
             ours);
    }
    if (!ours && ctJsonValidate(buf, n, start, &end, &err) != 0) {
      CHECKF(err.msg != 0 && err.offset <= n, ": case %zu: bad error", i);
    }
    free(buf);
  }
}

static void json_skip_should_end_where_validate_ends(void) {
  size_t i;
  for (i = 0; i < sizeof(aJsonCase) / sizeof(aJsonCase[0]); i++) {
    const JsonCase *t = &aJsonCase[i];
    size_t n = strlen(t->z);
    char *buf = exactCopy(t->z, n);
    size_t start, end;
    if (ourAccepts(buf, n, &start, &end, 0)) {
      size_t e2 = ctJsonUnsafeValueEnd(buf, n, start);
      CHECKF(e2 == end, ": case \"%s\": skip %zu, validate %zu", t->z, e2, end);
    }
    free(buf);
  }
}

/* Every container of the table that validates: skim ends there too. */
static void json_bracket_end_should_end_where_validate_ends_on_table(void) {
  size_t i;
  for (i = 0; i < sizeof(aJsonCase) / sizeof(aJsonCase[0]); i++) {
    const JsonCase *t = &aJsonCase[i];
    size_t n = strlen(t->z);
    char *buf = exactCopy(t->z, n);
    size_t start, end, e2 = 0;
    CtJsonError err;
    if (ourAccepts(buf, n, &start, &end, 0) &&
        (buf[start] == '{' || buf[start] == '[')) {
      size_t e3 = 0;
      int rc = ctJsonBracketEnd(buf, n, start, &e2, &err);
      int rc3 = ctJsonBracketEndGeneric(buf, n, start, &e3, &err);
      CHECKF(rc == 0 && e2 == end && rc3 == 0 && e3 == end,
             ": case \"%s\": skim %d/%zu, generic %d/%zu, validate %zu", t->z,
             rc, e2, rc3, e3, end);
    }
    free(buf);
  }
}

/* A random valid JSON value into *pz at *pn: strings full of brackets,
** quotes and backslashes (escaped), long runs of backslashes, whitespace. */
typedef struct RandText {
  char *z;
  size_t n, cap;
  unsigned seed;
} RandText;

static unsigned randNext(RandText *r) {
  r->seed = r->seed * 1103515245u + 12345u;
  return r->seed >> 8;
}

static void randPut(RandText *r, const char *z, size_t n) {
  if (r->n + n > r->cap) {
    r->cap = (r->n + n) * 2;
    r->z = realloc(r->z, r->cap);
    if (r->z == 0)
      abort();
  }
  memcpy(r->z + r->n, z, n);
  r->n += n;
}

static void randWs(RandText *r) {
  if (randNext(r) % 4 == 0)
    randPut(r, &" \n\t"[randNext(r) % 3], 1);
}

static void randString(RandText *r) {
  static const char *const aPiece[] = {
      "a",   "{",   "}", "[", "]",       "\\\\",        "\\\"",
      "\\n", "x y", ":", ",", "\\u005c", "\\\\\\\\\\\\"};
  unsigned n = randNext(r) % 40, i;
  randPut(r, "\"", 1);
  for (i = 0; i < n; i++) {
    const char *p = aPiece[randNext(r) % (sizeof(aPiece) / sizeof(aPiece[0]))];
    randPut(r, p, strlen(p));
  }
  randPut(r, "\"", 1);
}

static void randValue(RandText *r, int depth) {
  unsigned kind = randNext(r) % (depth > 5 ? 3 : 5), n, i;
  switch (kind) {
  case 0:
    randString(r);
    break;
  case 1:
    randPut(r, "-12.5e3", 7);
    break;
  case 2:
    randPut(r, "null", 4);
    break;
  default:
    randPut(r, kind == 3 ? "{" : "[", 1);
    n = randNext(r) % 6;
    for (i = 0; i < n; i++) {
      randWs(r);
      if (i)
        randPut(r, ",", 1);
      randWs(r);
      if (kind == 3) {
        randString(r);
        randWs(r);
        randPut(r, ":", 1);
        randWs(r);
      }
      randValue(r, depth + 1);
    }
    randWs(r);
    randPut(r, kind == 3 ? "}" : "]", 1);
  }
}

/* Random containers at every alignment within a block: skim ends where
** validate ends, and every cut-off prefix is an error, never a read past
** the end (exactly-sized buffers, for ASan). */
static void
json_bracket_end_should_end_where_validate_ends_on_random_texts(void) {
  RandText r;
  int iter, bad = 0;
  memset(&r, 0, sizeof(r));
  r.seed = 777;
  for (iter = 0; iter < 3000 && !bad; iter++) {
    size_t pad = randNext(&r) % 70, start, n, end1 = 0, end2 = 0, end3 = 0;
    size_t cut;
    char *buf;
    CtJsonError err;
    r.n = 0;
    while (r.n < pad)
      randPut(&r, " ", 1);
    start = r.n;
    do {
      r.n = start;
      randValue(&r, 0);
    } while (r.z[start] != '{' && r.z[start] != '[');
    randPut(&r, ", ]}\"x", 6);
    n = r.n;
    buf = exactCopy(r.z, n);
    /* Both skims: the one this CPU takes (AVX2 or not) and the generic. */
    if (ctJsonValidate(buf, n, start, &end1, &err) != 0 ||
        ctJsonBracketEnd(buf, n, start, &end2, &err) != 0 || end1 != end2 ||
        ctJsonBracketEndGeneric(buf, n, start, &end3, &err) != 0 ||
        end1 != end3) {
      fprintf(stderr, "skim: %.*s: validate %zu, skim %zu, generic %zu\n",
              (int)n, buf, end1, end2, end3);
      bad = 1;
    }
    free(buf);
    for (cut = start + 1; cut < end1 && !bad; cut += 1 + cut % 7) {
      buf = exactCopy(r.z, cut);
      if (ctJsonBracketEnd(buf, cut, start, &end2, &err) == 0 ||
          ctJsonBracketEndGeneric(buf, cut, start, &end3, &err) == 0) {
        fprintf(stderr, "skim of %zu-byte prefix ended\n", cut);
        bad = 1;
      }
      free(buf);
    }
  }
  free(r.z);
  CHECK(!bad);
}

static void json_validate_should_report_end_of_first_value(void) {
  static const struct {
    const char *z;
    size_t end;
  } a[] = {{"truefalse", 4}, {"01", 1},   {"[1] [2]", 3}, {"\"a\"b", 3},
           {"1.5e3x", 5},    {"{}{}", 2}, {"-0 ", 2},     {"nullx", 4}};
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    size_t n = strlen(a[i].z), end = 0;
    char *buf = exactCopy(a[i].z, n);
    CtJsonError err;
    CHECKF(ctJsonValidate(buf, n, 0, &end, &err) == 0, ": \"%s\"", a[i].z);
    CHECKF(end == a[i].end, ": \"%s\": end %zu, want %zu", a[i].z, end,
           a[i].end);
    free(buf);
  }
}

static void json_should_reject_leading_zero_and_bare_dot_numbers(void) {
  /* cJSON accepts these via strtod; RFC 8259 does not. */
  static const char *const a[] = {"01", "-01", "00", "1.", "-.5", "1.e5"};
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    size_t n = strlen(a[i]);
    char *buf = exactCopy(a[i], n);
    CHECKF(!ourAccepts(buf, n, 0, 0, 0), ": \"%s\"", a[i]);
    free(buf);
  }
}

static void json_should_report_error_offsets_and_messages(void) {
  static const struct {
    const char *z;
    size_t off;
    const char *msg;
  } a[] = {
      {"[1,]", 3, "invalid token"},
      {"{\"a\":1,}", 7, "expected a string key"},
      {"{\"a\" 1}", 5, "expected ':'"},
      {"[1 2]", 3, "expected ',' or ']'"},
      {"{\"a\":1 2}", 7, "expected ',' or '}'"},
      {"[1,2", 4, "unexpected end of input"},
      {"\"ab", 0, "unterminated string"},
      {"\"a\\qb\"", 2, "invalid escape in string"},
      {"\"a\\u12G4\"", 2, "invalid \\u escape in string"},
      {"\"a\tb\"", 2, "unescaped control character in string"},
      {"[01]", 2, "expected ',' or ']'"},
      {"[-x]", 1, "invalid number"},
      {"[1.]", 1, "invalid number"},
      {"[1e+]", 1, "invalid number"},
      {"[tru]", 1, "invalid token"},
      {"tru", 0, "unexpected end of input"},
  };
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    size_t n = strlen(a[i].z), end = 0;
    char *buf = exactCopy(a[i].z, n);
    CtJsonError err = {0, 0};
    int rc = ctJsonValidate(buf, n, 0, &end, &err);
    CHECKF(rc == 1, ": \"%s\" accepted", a[i].z);
    if (rc == 1) {
      CHECKF(err.offset == a[i].off && err.msg && !strcmp(err.msg, a[i].msg),
             ": \"%s\": got \"%s\" at %zu, want \"%s\" at %zu", a[i].z,
             err.msg ? err.msg : "(null)", err.offset, a[i].msg, a[i].off);
    }
    free(buf);
  }
}

static void json_should_reject_invalid_utf8_with_offset(void) {
  static const struct {
    const char *z;
    size_t n; /* 0: strlen */
    size_t off;
  } a[] = {
      {"\"ab\xC0\x80\"", 0, 3},                 /* overlong NUL */
      {"\"\xC1\xBF\"", 0, 1},                   /* overlong 2-byte */
      {"\"\xE0\x80\x80\"", 0, 1},               /* overlong 3-byte */
      {"\"\xE0\x9F\xBF\"", 0, 1},               /* overlong 3-byte, top */
      {"\"\xF0\x80\x80\x80\"", 0, 1},           /* overlong 4-byte */
      {"\"\xF0\x8F\xBF\xBF\"", 0, 1},           /* overlong 4-byte, top */
      {"\"x\xED\xA0\x80\"", 0, 2},              /* surrogate U+D800 */
      {"\"\xED\xBF\xBF\"", 0, 1},               /* surrogate U+DFFF */
      {"\"\xF4\x90\x80\x80\"", 0, 1},           /* above U+10FFFF */
      {"\"xy\xF5\x80\x80\x80\"", 0, 3},         /* F5 never appears */
      {"\"\xF8\x88\x80\x80\x80\"", 0, 1},       /* 5-byte form */
      {"\"\xFE\"", 0, 1},                       /* FE */
      {"\"\xFF\"", 0, 1},                       /* FF */
      {"\"\x80\"", 0, 1},                       /* lone continuation */
      {"\"a\xBF\"", 0, 2},                      /* lone continuation */
      {"\"\xC3\"", 0, 1},                       /* truncated 2-byte */
      {"\"\xE2\x82\"", 0, 1},                   /* truncated 3-byte */
      {"\"\xF0\x9F\x98\"", 0, 1},               /* truncated 4-byte */
      {"\"\xE2\x82x\"", 0, 1},                  /* bad continuation */
      {"\"\xC3", 2, 1},                         /* truncated at end of buffer */
      {"\"\xF0\x9F\x98", 4, 1},                 /* truncated at end of buffer */
      {"{\"k\":[\"ok\",\"\xC0\x80\"]}", 0, 12}, /* nested */
      {"{\"k\xFF\":1}", 0, 3},                  /* in a key */
  };
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    size_t n = a[i].n ? a[i].n : strlen(a[i].z), end = 0;
    char *buf = exactCopy(a[i].z, n);
    CtJsonError err = {0, 0};
    int rc = ctJsonValidate(buf, n, 0, &end, &err);
    CHECKF(rc == 1, ": case %zu accepted", i);
    if (rc == 1) {
      CHECKF(err.offset == a[i].off && err.msg &&
                 !strcmp(err.msg, "invalid UTF-8 in string"),
             ": case %zu: got \"%s\" at %zu, want offset %zu", i,
             err.msg ? err.msg : "(null)", err.offset, a[i].off);
    }
    free(buf);
  }
}

static void json_should_accept_valid_utf8_boundaries(void) {
  static const char *const a[] = {
      "\"\xC2\x80\"",         /* U+0080 */
      "\"\xDF\xBF\"",         /* U+07FF */
      "\"\xE0\xA0\x80\"",     /* U+0800 */
      "\"\xED\x9F\xBF\"",     /* U+D7FF */
      "\"\xEE\x80\x80\"",     /* U+E000 */
      "\"\xEF\xBF\xBF\"",     /* U+FFFF */
      "\"\xF0\x90\x80\x80\"", /* U+10000 */
      "\"\xF4\x8F\xBF\xBF\"", /* U+10FFFF */
      "\"\xEF\xBB\xBF\"",     /* a BOM inside a string is just U+FEFF */
      "{\"\xC3\xA9t\xC3\xA9\":\"\xE2\x82\xAC\"}",
  };
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    size_t n = strlen(a[i]);
    char *buf = exactCopy(a[i], n);
    CtJsonError err = {0, 0};
    CHECKF(ourAccepts(buf, n, 0, 0, &err), ": case %zu: %s at %zu", i,
           err.msg ? err.msg : "-", err.offset);
    free(buf);
  }
}

static void json_should_reject_nul_byte_in_string(void) {
  static const char z[] = "{\"a\":\"ab\0cd\"}";
  size_t n = sizeof(z) - 1, end = 0;
  char *buf = exactCopy(z, n);
  CtJsonError err = {0, 0};
  CHECK(ctJsonValidate(buf, n, 0, &end, &err) == 1);
  CHECK_SZ(err.offset, 8);
  CHECK(err.msg && strcmp(err.msg, "NUL byte in string") == 0);
  free(buf);
}

static void json_should_reject_nul_byte_in_key_and_between_tokens(void) {
  static const char zKey[] = "{\"a\0\":1}";
  static const char zTok[] = "[1,\0 2]";
  size_t end = 0;
  char *buf = exactCopy(zKey, sizeof(zKey) - 1);
  CtJsonError err = {0, 0};
  CHECK(ctJsonValidate(buf, sizeof(zKey) - 1, 0, &end, &err) == 1);
  CHECK_SZ(err.offset, 3);
  CHECK(err.msg && strcmp(err.msg, "NUL byte in string") == 0);
  free(buf);
  buf = exactCopy(zTok, sizeof(zTok) - 1);
  CHECK(ctJsonValidate(buf, sizeof(zTok) - 1, 0, &end, &err) == 1);
  CHECK_SZ(err.offset, 3);
  CHECK(err.msg && strcmp(err.msg, "NUL byte") == 0);
  free(buf);
}

/* n '[' then n ']' in an exact buffer. */
static char *nestedArrays(size_t n) {
  char *z = malloc(2 * n);
  if (z == 0)
    abort();
  memset(z, '[', n);
  memset(z + n, ']', n);
  return z;
}

static void json_should_accept_10000_levels_of_nesting(void) {
  char *z = nestedArrays(10000);
  size_t end = 0;
  CtJsonError err = {0, 0};
  CHECKF(ctJsonValidate(z, 20000, 0, &end, &err) == 0, ": %s at %zu",
         err.msg ? err.msg : "-", err.offset);
  CHECK_SZ(end, 20000);
  CHECK_SZ(ctJsonUnsafeValueEnd(z, 20000, 0), 20000);
  /* cJSON stops at 1000 levels (CJSON_NESTING_LIMIT): it is no reference
  ** here, and we accept deeper documents by design. */
  {
    char *p = nestedArrays(1001);
    CHECK(!cjsonAccepts(p, 2002));
    CHECK(ourAccepts(p, 2002, 0, 0, 0));
    free(p);
  }
  free(z);
}

static void json_should_reject_10001_levels_of_nesting(void) {
  char *z = nestedArrays(10001);
  size_t end = 0;
  CtJsonError err = {0, 0};
  CHECK(ctJsonValidate(z, 20002, 0, &end, &err) == 1);
  CHECK_SZ(err.offset, 10000);
  CHECK_CONTAINS(err.msg, "nesting");
  free(z);
  /* Far deeper, unterminated, and made of objects: still no crash. */
  {
    size_t n = 200000, i;
    char *p = malloc(n * 5);
    if (p == 0)
      abort();
    for (i = 0; i < n; i++)
      memcpy(p + 5 * i, "{\"a\":", 5);
    CHECK(ctJsonValidate(p, n * 5, 0, &end, &err) == 1);
    CHECK_SZ(err.offset, 10000 * 5);
    free(p);
  }
}

static void json_should_accept_10000_levels_of_objects(void) {
  size_t n = 10000, i, len = n * 5 + 1 + n, end = 0;
  char *p = malloc(len);
  CtJsonError err = {0, 0};
  if (p == 0)
    abort();
  for (i = 0; i < n; i++)
    memcpy(p + 5 * i, "{\"a\":", 5);
  p[5 * n] = '1';
  memset(p + 5 * n + 1, '}', n);
  CHECKF(ctJsonValidate(p, len, 0, &end, &err) == 0, ": %s at %zu",
         err.msg ? err.msg : "-", err.offset);
  CHECK_SZ(end, len);
  CHECK_SZ(ctJsonUnsafeValueEnd(p, len, 0), len);
  free(p);
}

static void json_should_validate_value_at_nonzero_position(void) {
  static const char z[] = "xx [1, {\"a\": \"b\"}] yy";
  size_t n = sizeof(z) - 1, end = 0;
  char *buf = exactCopy(z, n);
  CtJsonError err;
  CHECK(ctJsonValidate(buf, n, 3, &end, &err) == 0);
  CHECK_SZ(end, 18);
  CHECK_SZ(ctJsonUnsafeValueEnd(buf, n, 3), 18);
  CHECK_SZ(ctJsonUnsafeValueEnd(buf, n, 7), 17); /* the inner object */
  CHECK_SZ(ctJsonUnsafeValueEnd(buf, n, 4), 5);  /* the number 1 */
  free(buf);
}

static void json_skip_should_handle_escaped_quotes_and_brackets(void) {
  static const char *const a[] = {
      "\"a\\\"b\"",
      "\"\\\\\"",
      "\"\\\\\\\"\"",
      "\"\\\"\\\\\"",
      "[\"]\",\"[\",\"}\\\"{\"]",
      "{\"a\\\\\":\"\\\\\",\"b\":[\"\\\"]\"]}",
      "\"\\u005c\\\\\"",
  };
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    size_t n = strlen(a[i]), start, end;
    char *buf = exactCopy(a[i], n);
    CHECKF(ourAccepts(buf, n, &start, &end, 0), ": \"%s\"", a[i]);
    CHECKF(ctJsonUnsafeValueEnd(buf, n, 0) == n, ": \"%s\": skip %zu, len %zu",
           a[i], ctJsonUnsafeValueEnd(buf, n, 0), n);
    free(buf);
  }
}

/* Decode the single string token z with ours and with cJSON; compare. */
static void checkDecodeMatchesCjson(const char *z) {
  size_t n = strlen(z), m;
  char *buf = exactCopy(z, n);
  char *out = malloc(n);
  CtSpan tok;
  cJSON *j = cJSON_Parse(z);
  if (out == 0)
    abort();
  tok.off = 0;
  tok.len = n;
  CHECKF(ourAccepts(buf, n, 0, 0, 0), ": \"%s\"", z);
  CHECKF(j != 0 && cJSON_IsString(j), ": cJSON cannot parse \"%s\"", z);
  m = ctJsonUnsafeStrDecode(buf, tok, out);
  if (j && cJSON_IsString(j)) {
    size_t cn = strlen(j->valuestring);
    CHECKF(m == cn && memcmp(out, j->valuestring, m) == 0,
           ": \"%s\": ours \"%.*s\" (%zu), cJSON \"%s\" (%zu)", z, (int)m, out,
           m, j->valuestring, cn);
  }
  CHECK(m <= n);
  CHECK(ctJsonStrHasEscape(buf, tok) == (memchr(z, '\\', n) != 0));
  cJSON_Delete(j);
  free(out);
  free(buf);
}

static void json_str_decode_should_match_cjson(void) {
  static const char *const a[] = {
      "\"\"",
      "\"plain text\"",
      "\"a\\nb\\t\\\"q\\\"\\\\\"",
      "\"\\/\\b\\f\\r\"",
      "\"\\u00e9\"",
      "\"caf\\u00E9 caf\xC3\xA9\"",
      "\"\\u0041\\u0062\\u007e\"",
      "\"\\u07FF\\u0800\\uFFFF\"",
      "\"\\u20AC100\"",
      "\"\\uD83D\\uDE00\"",
      "\"x\\ud83d\\ude00y\"",
      "\"\\uDBFF\\uDFFF\"",
      "\"\\uD800\\uDC00\"",
      "\"mixed \\u00e9 \\ud83d\\ude00 \\\\u0041 end\"",
      "\"arn:aws:iam::123456789012:user\\/alice\"",
      "\"\xF0\x9F\x98\x80 raw\"",
  };
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++)
    checkDecodeMatchesCjson(a[i]);
}

static void json_str_decode_should_turn_lone_surrogates_into_fffd(void) {
  static const struct {
    const char *z;
    const char *want;
  } a[] = {
      {"\"\\uD800\"", "\xEF\xBF\xBD"},
      {"\"\\uDC00x\"", "\xEF\xBF\xBD"
                       "x"},
      {"\"\\uD800\\u0041\"", "\xEF\xBF\xBD"
                             "A"},
      {"\"\\uD800\\uD800\\uDC00\"", "\xEF\xBF\xBD\xF0\x90\x80\x80"},
      {"\"\\uDE00\\uD83D\"", "\xEF\xBF\xBD\xEF\xBF\xBD"},
      {"\"\\uD83D\\\\uDE00\"", "\xEF\xBF\xBD\\uDE00"},
  };
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    size_t n = strlen(a[i].z), m;
    char *buf = exactCopy(a[i].z, n);
    char *out = malloc(n);
    CtSpan tok = {0, 0};
    if (out == 0)
      abort();
    tok.len = n;
    CHECKF(ourAccepts(buf, n, 0, 0, 0), ": \"%s\"", a[i].z);
    m = ctJsonUnsafeStrDecode(buf, tok, out);
    CHECKF(m == strlen(a[i].want) && memcmp(out, a[i].want, m) == 0,
           ": \"%s\" gave %zu bytes", a[i].z, m);
    free(out);
    free(buf);
  }
}

static void json_str_decode_should_keep_escaped_nul(void) {
  /* cJSON's valuestring stops at the NUL; ours keeps the length. */
  static const char z[] = "\"a\\u0000b\"";
  size_t n = sizeof(z) - 1, m;
  char out[sizeof(z)];
  CtSpan tok = {0, 0};
  tok.len = n;
  CHECK(ourAccepts(z, n, 0, 0, 0));
  m = ctJsonUnsafeStrDecode(z, tok, out);
  CHECK_SZ(m, 3);
  CHECK(memcmp(out, "a\0b", 3) == 0);
}

static void json_obj_get_should_return_first_of_duplicate_keys(void) {
  static const char z[] =
      "{\"eventName\":\"first\",\"x\":1,\"eventName\":\"second\"}";
  CtSpan obj = {0, sizeof(z) - 1};
  CtSpan v = ctJsonUnsafeObjGet(z, obj, "eventName", 9);
  CHECK_SPAN(z, v, "\"first\"");
  v = ctJsonUnsafeObjGet(z, obj, "x", 1);
  CHECK_SPAN(z, v, "1");
  v = ctJsonUnsafeObjGet(z, obj, "y", 1);
  CHECK_SZ(v.len, 0);
}

static void json_obj_get_should_match_escaped_keys(void) {
  static const char z[] = "{ \"event\\u004eame\" : \"esc\" , \"eventName\":"
                          "\"plain\", \"a\\\"b\":[1], \"\\u00e9\":2, "
                          "\"\\ud83d\\ude00\":3, \"sl\\/\":4}";
  CtSpan obj = {0, sizeof(z) - 1};
  CtSpan v = ctJsonUnsafeObjGet(z, obj, "eventName", 9);
  CHECK_SPAN(z, v, "\"esc\"");
  v = ctJsonUnsafeObjGet(z, obj, "a\"b", 3);
  CHECK_SPAN(z, v, "[1]");
  v = ctJsonUnsafeObjGet(z, obj, "\xC3\xA9", 2);
  CHECK_SPAN(z, v, "2");
  v = ctJsonUnsafeObjGet(z, obj, "\xF0\x9F\x98\x80", 4);
  CHECK_SPAN(z, v, "3");
  v = ctJsonUnsafeObjGet(z, obj, "sl/", 3);
  CHECK_SPAN(z, v, "4");
  v = ctJsonUnsafeObjGet(z, obj, "event\\u004eame", 14); /* not the raw text */
  CHECK_SZ(v.len, 0);
  v = ctJsonUnsafeObjGet(z, obj, "eventname", 9); /* case matters */
  CHECK_SZ(v.len, 0);
}

static void json_obj_get_should_not_look_inside_nested_values(void) {
  static const char z[] = "{\"a\":{\"k\":1},\"b\":[{\"k\":2}],\"c\":\"k\"}";
  CtSpan obj = {0, sizeof(z) - 1};
  CHECK_SZ(ctJsonUnsafeObjGet(z, obj, "k", 1).len, 0);
  CHECK_SPAN(z, ctJsonUnsafeObjGet(z, obj, "a", 1), "{\"k\":1}");
  CHECK_SPAN(z, ctJsonUnsafeObjGet(z, obj, "c", 1), "\"k\"");
}

static void json_obj_get_should_return_nothing_for_non_objects(void) {
  static const char z[] = "[{\"a\":1}] \"a\" {}";
  CtSpan arr = {0, 9}, str = {10, 3}, empty = {14, 2}, none = {0, 0};
  CHECK_SZ(ctJsonUnsafeObjGet(z, arr, "a", 1).len, 0);
  CHECK_SZ(ctJsonUnsafeObjGet(z, str, "a", 1).len, 0);
  CHECK_SZ(ctJsonUnsafeObjGet(z, empty, "a", 1).len, 0);
  CHECK_SZ(ctJsonUnsafeObjGet(z, none, "a", 1).len, 0);
}

static void json_obj_next_should_walk_members_in_order(void) {
  static const char z[] =
      "{ \"a\" : 1 ,\n\"b\":[1, {\"x\":2}] , \"c\" :\"s,}\" ,\"d\":{}}";
  static const char *const aKey[] = {"\"a\"", "\"b\"", "\"c\"", "\"d\""};
  static const char *const aVal[] = {"1", "[1, {\"x\":2}]", "\"s,}\"", "{}"};
  size_t pos = 0, i = 0;
  CtSpan k, v;
  while (ctJsonUnsafeObjNext(z, sizeof(z) - 1, &pos, &k, &v)) {
    CHECKF(i < 4, ": too many members");
    if (i >= 4)
      break;
    CHECK_SPAN(z, k, aKey[i]);
    CHECK_SPAN(z, v, aVal[i]);
    i++;
  }
  CHECK_SZ(i, 4);
  pos = 0;
  CHECK(ctJsonUnsafeObjNext("{}", 2, &pos, &k, &v) == 0);
  pos = 0;
  CHECK(ctJsonUnsafeObjNext("{ \n }", 5, &pos, &k, &v) == 0);
}

static void json_key_eq_should_decode_escapes(void) {
  static const char z[] = "\"event\\u004Eame\" \"plain\" \"\"";
  CtSpan k1 = {0, 16}, k2 = {17, 7}, k3 = {25, 2};
  CHECK(ctJsonUnsafeKeyEq(z, k1, "eventName", 9));
  CHECK(!ctJsonUnsafeKeyEq(z, k1, "eventNam", 8));
  CHECK(!ctJsonUnsafeKeyEq(z, k1, "eventNamex", 10));
  CHECK(ctJsonUnsafeKeyEq(z, k2, "plain", 5));
  CHECK(!ctJsonUnsafeKeyEq(z, k2, "plai", 4));
  CHECK(ctJsonUnsafeKeyEq(z, k3, "", 0));
  CHECK(!ctJsonUnsafeKeyEq(z, k3, "a", 1));
}

static void json_key_eq_should_handle_long_escaped_keys(void) {
  /* 100 "\u0061" escapes: 600 bytes of key text that decode to 100 'a'. */
  char buf[700];
  char want[100];
  size_t i, n = 0;
  CtSpan k;
  buf[n++] = '"';
  for (i = 0; i < 100; i++) {
    memcpy(buf + n, "\\u0061", 6);
    n += 6;
  }
  buf[n++] = '"';
  memset(want, 'a', 100);
  k.off = 0;
  k.len = n;
  CHECK(ourAccepts(buf, n, 0, 0, 0));
  CHECK(ctJsonUnsafeKeyEq(buf, k, want, 100));
  CHECK(!ctJsonUnsafeKeyEq(buf, k, want, 99));
}

/* ------------------------------------------------------------------------ */
/* ct_json: differential fuzzing against cJSON                              */
/* ------------------------------------------------------------------------ */

static const char *const aFuzzSeed[] = {
    "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\","
    "\"principalId\":\"AIDAEXAMPLE\",\"arn\":\"arn:aws:iam::123456789012:user/"
    "alice\",\"accountId\":\"123456789012\",\"userName\":\"al\\u00e9\\\"x\"},"
    "\"eventTime\":\"2024-03-01T10:00:00Z\",\"eventSource\":\"s3.amazonaws."
    "com\",\"eventName\":\"GetObject\",\"awsRegion\":\"us-east-1\","
    "\"sourceIPAddress\":\"192.0.2.1\",\"userAgent\":\"aws-cli/2.15\","
    "\"requestParameters\":{\"bucketName\":\"b\",\"key\":\"k\\/x\",\"size\":"
    "-1.5e3,\"n\":[0,1,-0,18446744073709551615,1E+2,0.5,2.25E-7]},"
    "\"responseElements\":null,\"readOnly\":true,\"managementEvent\":false,"
    "\"resources\":[{\"ARN\":\"arn:aws:s3:::b\",\"type\":\"AWS::S3::Bucket\"}"
    "],\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"123456789012\","
    "\"tlsDetails\":{\"tlsVersion\":\"TLSv1.2\"},\"x\":\"\\ud83d\\ude00\\t\\n"
    "\\b\\f\\r\\\\\"}",
    "{\"Records\":[{\"eventName\":\"A\",\"eventTime\":\"2024-01-01T00:00:00Z\"}"
    ",{\"eventName\":\"B\",\"requestParameters\":{\"a\":[[],{}],\"b\":\"\"}}]}",
    "[ {\"eventID\": \"1\", \"v\": [1, 2.0, -3e-2]} ,\n {\"eventID\":\"2\"} ]",
    "{\n  \"eventName\" : \"ConsoleLogin\",\n  \"additionalEventData\" : {\n"
    "    \"MFAUsed\" : \"No\", \"LoginTo\" : "
    "\"https://console.aws.amazon.com/\""
    "\n  },\n  \"errorCode\" : null, \"n\" : 12345678901234567890123\n}",
    "[\"\\u0041\\uD834\\uDD1E\", true, false, null, 0, -0.0, 1e-7, {}, []]",
};

/* The alphabet byte mutations mostly draw from: JSON's own characters. */
static const char zFuzzAlpha[] = "{}[]\":,\\-+.0123456789eEtrufalsn \t\r\nu/aA";

static unsigned char fuzzByte(void) {
  unsigned r = rnd() % 100;
  if (r < 55)
    return (unsigned char)zFuzzAlpha[rndBelow(sizeof(zFuzzAlpha) - 1)];
  if (r < 85)
    return (unsigned char)(0x20 + rndBelow(0x5F)); /* printable */
  if (r < 92)
    return (unsigned char)(1 + rndBelow(0x1F)); /* control */
  if (r < 97)
    return (unsigned char)(0x80 + rndBelow(0x80)); /* high */
  return 0;                                        /* NUL */
}

/* Mutate z[0..*pn) in place (capacity cap); 1 to 4 edits. */
static void fuzzMutate(char *z, size_t *pn, size_t cap) {
  int k, nEdit = 1 + (int)rndBelow(4);
  size_t n = *pn;
  for (k = 0; k < nEdit; k++) {
    size_t at = rndBelow(n ? n : 1);
    switch (rnd() % 8) {
    case 0:
    case 1: /* replace a byte */
      if (n)
        z[at] = (char)fuzzByte();
      break;
    case 2: /* insert a byte */
      if (n < cap) {
        memmove(z + at + 1, z + at, n - at);
        z[at] = (char)fuzzByte();
        n++;
      }
      break;
    case 3: /* delete a byte */
      if (n) {
        memmove(z + at, z + at + 1, n - at - 1);
        n--;
      }
      break;
    case 4: /* truncate */
      n = rndBelow(n + 1);
      break;
    case 5: { /* swap two bytes */
      size_t b = rndBelow(n ? n : 1);
      if (n) {
        char t = z[at];
        z[at] = z[b];
        z[b] = t;
      }
      break;
    }
    case 6: { /* insert a (valid or broken) multi-byte sequence */
      static const char *const aSeq[] = {"\xC3\xA9",
                                         "\xE2\x82\xAC",
                                         "\xF0\x9F\x98\x80",
                                         "\xED\x9F\xBF",
                                         "\xEE\x80\x80",
                                         "\xF4\x8F\xBF\xBF",
                                         "\xEF\xBB\xBF",
                                         "\xC0\x80",
                                         "\xED\xA0\x80",
                                         "\xF4\x90\x80\x80",
                                         "\xE0\x9F\xBF",
                                         "\xF0\x8F\xBF\xBF",
                                         "\xC3",
                                         "\xE2\x82",
                                         "\x80"};
      const char *zSeq = aSeq[rndBelow(sizeof(aSeq) / sizeof(aSeq[0]))];
      size_t len = strlen(zSeq);
      if (n + len <= cap) {
        memmove(z + at + len, z + at, n - at);
        memcpy(z + at, zSeq, len);
        n += len;
      }
      break;
    }
    default: { /* duplicate a short range */
      size_t len = 1 + rndBelow(8);
      if (at + len <= n && n + len <= cap) {
        memmove(z + at + len, z + at, n - at);
        n += len;
      }
      break;
    }
    }
  }
  *pn = n;
}

static int isHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

/* True if z[0..n) is exactly an RFC 8259 number. */
static int rfcNumber(const char *z, size_t n) {
  size_t i = 0;
  if (i < n && z[i] == '-')
    i++;
  if (i >= n)
    return 0;
  if (z[i] == '0')
    i++;
  else if (z[i] >= '1' && z[i] <= '9') {
    while (i < n && z[i] >= '0' && z[i] <= '9')
      i++;
  } else
    return 0;
  if (i < n && z[i] == '.') {
    i++;
    if (i >= n || z[i] < '0' || z[i] > '9')
      return 0;
    while (i < n && z[i] >= '0' && z[i] <= '9')
      i++;
  }
  if (i < n && (z[i] == 'e' || z[i] == 'E')) {
    i++;
    if (i < n && (z[i] == '+' || z[i] == '-'))
      i++;
    if (i >= n || z[i] < '0' || z[i] > '9')
      return 0;
    while (i < n && z[i] >= '0' && z[i] <= '9')
      i++;
  }
  return i == n;
}

/* Length of the well-formed UTF-8 sequence at z (n bytes left), or 0:
** decode, then reject overlong forms, surrogates and values past U+10FFFF.
** (Written apart from ct_json.c's table of lead and second-byte ranges.) */
static size_t utf8Len(const unsigned char *z, size_t n) {
  unsigned long cp;
  size_t len, i;
  if (z[0] < 0x80)
    return 1;
  if (z[0] < 0xC0)
    return 0;
  len = z[0] < 0xE0 ? 2 : z[0] < 0xF0 ? 3 : z[0] < 0xF8 ? 4 : 0;
  if (len == 0 || n < len)
    return 0;
  cp = z[0] & (0x7Fu >> len);
  for (i = 1; i < len; i++) {
    if ((z[i] & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (z[i] & 0x3Fu);
  }
  if (cp < (len == 2 ? 0x80ul : len == 3 ? 0x800ul : 0x10000ul))
    return 0;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;
  return len;
}

/*
** The strict verdict expected for z[0..n) (no NUL), from cJSON's
** verdict corrected for cJSON's documented departures from RFC 8259:
**   - it is given a copy whose lone-surrogate \u escapes are rewritten to
**     \u0041 (cJSON rejects them; the RFC grammar does not);
**   - raw bytes below 0x20 (other than tab, LF, CR outside strings) make the
**     text invalid (cJSON skips them as whitespace or keeps them in strings);
**   - a \u escape without four hex digits is invalid (cJSON lets some pass);
**   - a number token that is not an RFC 8259 number is invalid (cJSON takes
**     whatever strtod() takes: 01, 1., -.5);
**   - a string with ill-formed UTF-8 is invalid (cJSON copies bytes as they
**     are), and so is a leading byte order mark (cJSON skips one).
** The lexer below follows cJSON's own way of finding string ends (a
** backslash skips one byte), so whenever cJSON accepts, its view of where
** strings are is the lexer's.
*/
static int strictOracle(const char *z, size_t n, int *pnKid) {
  char *c = malloc(n + 1);
  int inStr = 0, bad = 0;
  cJSON *root;
  size_t i;
  if (c == 0)
    abort();
  memcpy(c, z, n);
  c[n] = 0;
  if (n >= 3 && memcmp(z, "\xEF\xBB\xBF", 3) == 0)
    bad = 1;
  for (i = 0; i < n; i++) {
    char ch = z[i];
    if (inStr) {
      if (ch == '"') {
        inStr = 0;
      } else if (ch == '\\') {
        if (i + 1 < n && z[i + 1] == 'u') {
          if (i + 5 < n && isHexDigit(z[i + 2]) && isHexDigit(z[i + 3]) &&
              isHexDigit(z[i + 4]) && isHexDigit(z[i + 5])) {
            unsigned long u = strtoul(
                (char[]){z[i + 2], z[i + 3], z[i + 4], z[i + 5], 0}, 0, 16);
            if (u >= 0xD800 && u <= 0xDFFF)
              memcpy(c + i + 2, "0041", 4);
          } else {
            bad = 1;
          }
        }
        i++; /* like cJSON's first pass: skip the escaped byte */
      } else if ((unsigned char)ch < 0x20) {
        bad = 1;
      } else if ((unsigned char)ch >= 0x80) {
        size_t k = utf8Len((const unsigned char *)z + i, n - i);
        if (k == 0)
          bad = 1;
        else
          i += k - 1;
      }
    } else if (ch == '"') {
      inStr = 1;
    } else if ((unsigned char)ch < 0x20 && ch != '\t' && ch != '\n' &&
               ch != '\r') {
      bad = 1;
    } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
      size_t j = i;
      while (j < n && z[j] && strchr("0123456789+-.eE", z[j]))
        j++;
      if (!rfcNumber(z + i, j - i))
        bad = 1;
      i = j - 1;
    }
  }
  root = cJSON_ParseWithLengthOpts(c, n + 1, 0, 1);
  free(c);
  /* The number of children cJSON sees (object members, array elements). */
  *pnKid = root ? cJSON_GetArraySize(root) : -1;
  cJSON_Delete(root);
  return root != 0 && !bad;
}

static void json_fuzz_should_agree_with_cjson_and_stay_in_bounds(void) {
  enum { N_CASE = 20000, CAP = 2048 };
  static const char zPad[] = "]}\"0e\\";
  char *work = malloc(CAP);
  char *padded = malloc(CAP + sizeof(zPad));
  int iCase, nCompared = 0, nAscii = 0, nValid = 0, nMismatch = 0;
  if (work == 0 || padded == 0)
    abort();
  rngState = 0x5EED5EED12345678ull;
  for (iCase = 0; iCase < N_CASE; iCase++) {
    const char *zSeed =
        aFuzzSeed[rndBelow(sizeof(aFuzzSeed) / sizeof(aFuzzSeed[0]))];
    size_t n = strlen(zSeed), i, start, end = 0, end2 = 0;
    int ours, noNul = 1, ascii = 1, rc, rc2;
    char *buf;
    CtJsonError err = {0, 0}, err2 = {0, 0};
    memcpy(work, zSeed, n);
    fuzzMutate(work, &n, CAP);
    buf = exactCopy(work, n);
    for (i = 0; i < n; i++) {
      if (buf[i] == 0)
        noNul = 0;
      if ((unsigned char)buf[i] >= 0x80)
        ascii = 0;
    }
    start = ctJsonSpaceEnd(buf, n, 0);
    rc = ctJsonValidate(buf, n, start, &end, &err);
    ours = rc == 0 && ctJsonSpaceEnd(buf, n, end) == n;
    /* The same bytes followed by more text: an in-bounds scanner cannot
    ** tell the difference. */
    memcpy(padded, buf, n);
    memcpy(padded + n, zPad, sizeof(zPad));
    rc2 = ctJsonValidate(padded, n, start, &end2, &err2);
    CHECKF(rc == rc2 && (rc ? err.offset == err2.offset && err.msg == err2.msg
                            : end == end2),
           ": case %d: result depends on bytes past len", iCase);
    if (rc == 0 &&
        (ours || buf[start] == '{' || buf[start] == '[' || buf[start] == '"')) {
      /* (A number or literal ends where validation says only when a
      ** delimiter follows, as in any accepted document:
      ** ctJsonUnsafeValueEnd takes "truefalse" whole. Containers and
      ** strings end right regardless.) */
      size_t e2 = ctJsonUnsafeValueEnd(buf, n, start);
      CHECKF(e2 == end, ": case %d: skip %zu, validate %zu", iCase, e2, end);
      if (e2 != end) {
        printEscaped(stderr, buf, n);
        fputc('\n', stderr);
      }
      if (buf[start] == '{') {
        CtSpan k, v, obj;
        size_t pos = start;
        obj.off = start;
        obj.len = end - start;
        while (ctJsonUnsafeObjNext(buf, end, &pos, &k, &v)) {
          CHECKF(k.off + k.len <= end && v.off + v.len <= end,
                 ": case %d: member outside the object", iCase);
        }
        (void)ctJsonUnsafeObjGet(buf, obj, "eventName", 9);
      }
    }
    if (rc != 0) {
      CHECKF(err.msg != 0 && err.offset <= n, ": case %d: bad error", iCase);
    }
    if (noNul) {
      int nKid;
      int want = strictOracle(buf, n, &nKid);
      nCompared++;
      nAscii += ascii;
      nValid += want;
      if (ours && want && (buf[start] == '{' || buf[start] == '[')) {
        /* The members ctJsonUnsafeObjNext walks (or the elements
        ** ctJsonUnsafeValueEnd steps over) are the children cJSON sees. */
        size_t nOurs = 0, pos = start;
        if (buf[start] == '{') {
          CtSpan k, v;
          while (ctJsonUnsafeObjNext(buf, end, &pos, &k, &v))
            nOurs++;
        } else {
          pos = ctJsonSpaceEnd(buf, end, start + 1);
          while (pos < end && buf[pos] != ']') {
            nOurs++;
            pos = ctJsonSpaceEnd(buf, end, ctJsonUnsafeValueEnd(buf, end, pos));
            if (pos < end && buf[pos] == ',') {
              pos = ctJsonSpaceEnd(buf, end, pos + 1);
            }
          }
        }
        CHECKF(nKid >= 0 && (size_t)nKid == nOurs,
               ": case %d: %zu children, cJSON %d", iCase, nOurs, nKid);
      }
      if (ours != want) {
        nMismatch++;
        if (nMismatch <= 10) {
          fprintf(stderr,
                  "fuzz case %d: ours %d, cJSON (corrected) %d (%s at "
                  "%zu): ",
                  iCase, ours, want, err.msg ? err.msg : "-", err.offset);
          printEscaped(stderr, buf, n);
          fputc('\n', stderr);
        }
      }
    }
    {
      /* The records parser on the same bytes: no crash, no over-read. */
      CtRecords r;
      char *zErr = 0;
      if (ctRecordsParse(buf, n, &r, 1, &zErr) == 0) {
        for (i = 0; i < r.nRec; i++) {
          CtSpan aField[CT_NFIELD];
          CHECK(r.aRec[i].off + r.aRec[i].len <= n);
          ctEventIndex(buf, r.aRec[i], aField);
        }
        ctRecordsFree(&r);
      } else {
        CHECK(zErr != 0);
        free(zErr);
      }
    }
    free(buf);
  }
#ifdef CT_UNIT_VERBOSE
  fprintf(stderr,
          "fuzz: %d cases, %d compared with cJSON (%d ASCII), %d "
          "valid\n",
          N_CASE, nCompared, nAscii, nValid);
#endif
  CHECKF(nMismatch == 0, ": %d of %d cases disagree", nMismatch, nCompared);
  /* The mix must exercise both verdicts, or the comparison proves little. */
  CHECKF(nAscii > N_CASE / 2 && nValid > nCompared / 20 &&
             nValid < nCompared - nCompared / 20,
         ": compared %d, valid %d", nCompared, nValid);
  free(padded);
  free(work);
}

/* ------------------------------------------------------------------------ */
/* ct_group                                                                 */
/* ------------------------------------------------------------------------ */

static CtGroupVal gv(const char *z, size_t n) {
  CtGroupVal v;
  v.z = z;
  v.n = n;
  return v;
}

static void group_should_count_keys_and_sort_them_as_binary(void) {
  /* NULL first; then bytes; a prefix before what extends it; a NUL byte is
  ** a byte like any other. */
  static const struct {
    const char *z;
    size_t n;
  } in[] = {{"b", 1}, {"A\0B", 3},     {0, 0},     {"AB", 2},
            {"A", 1}, {"b", 1},        {"", 0},    {"A", 1},
            {0, 0},   {"\xc3\xa9", 2}, {"A\0B", 3}};
  static const char *const want[] = {0, "", "A", "A\0B", "AB", "b", "\xc3\xa9"};
  static const size_t wantLen[] = {0, 0, 1, 3, 2, 1, 2};
  static const int64_t wantRows[] = {2, 1, 2, 2, 1, 2, 1};
  static const int64_t wantRowid[] = {102, 106, 104, 101, 103, 100, 109};
  CtGroup *g = ctGroupNew(1);
  size_t i;
  int64_t j, sum = 0;
  CHECK(g != 0);
  for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
    CtGroupVal v = gv(in[i].z, in[i].n);
    CHECK(ctGroupAdd(g, &v, (int64_t)(100 + i)) == 0);
  }
  ctGroupSort(g);
  CHECK_SZ(ctGroupCount(g), 7);
  for (i = 0; i < 7 && i < ctGroupCount(g); i++) {
    CtGroupVal v = ctGroupValue(g, i, 0);
    CHECKF((v.z == 0) == (want[i] == 0), ": key %zu", i);
    CHECKF(v.n == wantLen[i] && (v.n == 0 || memcmp(v.z, want[i], v.n) == 0),
           ": key %zu", i);
    CHECKF(ctGroupRows(g, i) == wantRows[i], ": key %zu", i);
    CHECKF(ctGroupRowid(g, i, 0) == wantRowid[i], ": key %zu", i);
    for (j = 0; j < ctGroupRows(g, i); j++) {
      int64_t r = ctGroupRowid(g, i, j);
      CHECKF(j == 0 || r > ctGroupRowid(g, i, j - 1), ": key %zu", i);
      sum += r;
    }
  }
  CHECK(sum == 100 + 101 + 102 + 103 + 104 + 105 + 106 + 107 + 108 + 109 + 110);
  ctGroupFree(g);
}

/* SQLite's BINARY order of two values, NULL first. */
static int cmpGroupVal(CtGroupVal a, CtGroupVal b) {
  int c;
  if (a.z == 0 || b.z == 0)
    return a.z == b.z ? 0 : a.z == 0 ? -1 : 1;
  c = memcmp(a.z, b.z, a.n < b.n ? a.n : b.n);
  return c ? c : a.n < b.n ? -1 : a.n > b.n;
}

static void group_should_order_keys_column_by_column(void) {
  CtGroup *g = ctGroupNew(2);
  CtGroupVal a[2];
  size_t i, nNull = 0;
  int64_t total = 0;
  /* 3000 rows (the table grows many times), row i added i % 3 + 1 times;
  ** every 11th has a NULL second column, so those share 7 keys. */
  for (i = 0; i < 3000; i++) {
    char x[16], y[16];
    int k;
    snprintf(x, sizeof(x), "%zu", i % 7);
    snprintf(y, sizeof(y), "%zu", i);
    a[0] = gv(x, strlen(x));
    a[1] = i % 11 == 0 ? gv(0, 0) : gv(y, strlen(y));
    nNull += i % 11 == 0;
    for (k = 0; k <= (int)(i % 3); k++)
      CHECK(ctGroupAdd(g, a, (int64_t)i) == 0);
  }
  ctGroupSort(g);
  CHECK_SZ(ctGroupCount(g), 3000 - nNull + 7);
  for (i = 0; i < ctGroupCount(g); i++) {
    total += ctGroupRows(g, i);
    if (i > 0) {
      int c = cmpGroupVal(ctGroupValue(g, i - 1, 0), ctGroupValue(g, i, 0));
      if (c == 0)
        c = cmpGroupVal(ctGroupValue(g, i - 1, 1), ctGroupValue(g, i, 1));
      CHECKF(c < 0, ": keys %zu and %zu out of order", i - 1, i);
    }
  }
  CHECK(total == 1000 * (1 + 2 + 3));
  ctGroupFree(g);
}

/* ------------------------------------------------------------------------ */
/* ct_inflate                                                               */
/* ------------------------------------------------------------------------ */

/* One gzip member (deflateInit2 windowBits 31) of data[0..n); malloc'd. */
static unsigned char *gzipMember(const void *data, size_t n, size_t *pLen,
                                 const char *zName) {
  z_stream s;
  gz_header h;
  size_t cap = n + n / 100 + 1024;
  unsigned char *out = malloc(cap);
  if (out == 0)
    abort();
  memset(&s, 0, sizeof(s));
  if (deflateInit2(&s, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    abort();
  }
  if (zName) {
    memset(&h, 0, sizeof(h));
    h.name = (Bytef *)(uintptr_t)zName; /* zlib only reads it */
    h.comment = (Bytef *)(uintptr_t) "a comment";
    h.hcrc = 1;
    if (deflateSetHeader(&s, &h) != Z_OK)
      abort();
  }
  s.next_in = data;
  s.avail_in = (uInt)n;
  s.next_out = out;
  s.avail_out = (uInt)cap;
  if (deflate(&s, Z_FINISH) != Z_STREAM_END)
    abort();
  *pLen = cap - s.avail_out;
  deflateEnd(&s);
  return out;
}

/* Compressible pseudo-JSON text of n bytes. */
static char *sampleText(size_t n) {
  char *z = malloc(n + 1);
  size_t i;
  if (z == 0)
    abort();
  for (i = 0; i < n; i++) {
    z[i] = "{\"eventName\":\"GetObject\",\"n\":12345}\n"[i % 37];
    if (i % 101 == 0)
      z[i] = (char)('a' + (char)(rnd() % 26));
  }
  z[n] = 0;
  return z;
}

static int loadFile(const char *zPath, size_t maxBytes, CtFileData *p,
                    char **pzErr) {
  *pzErr = 0;
  return ctLoadFile(zPath, maxBytes, p, pzErr);
}

static void gz_should_round_trip_single_member(void) {
  size_t n = 300000, gzLen;
  char *text = sampleText(n);
  unsigned char *gz = gzipMember(text, n, &gzLen, 0);
  char *zPath = writeTmp("one.json.gz", gz, gzLen);
  CtFileData d;
  char *zErr;
  CHECK(gzLen < n / 4); /* compressible: the output buffer must grow */
  CHECK(loadFile(zPath, 100u << 20, &d, &zErr) == 0);
  CHECKF(zErr == 0, ": %s", zErr);
  CHECK_SZ(d.len, n);
  CHECK_SZ(d.rawLen, gzLen);
  CHECK(d.isGzip);
  CHECK(d.buf && memcmp(d.buf, text, n) == 0 && d.buf[n] == 0);
  ctFileDataFree(&d);
  CHECK(d.buf == 0);
  free(zErr);
  free(zPath);
  free(gz);
  free(text);
}

static void gz_should_round_trip_member_with_name_and_header_crc(void) {
  static const char text[] = "{\"Records\":[]}";
  size_t gzLen;
  unsigned char *gz = gzipMember(text, sizeof(text) - 1, &gzLen, "x.json");
  char *zPath = writeTmp("named.json.gz", gz, gzLen);
  CtFileData d;
  char *zErr;
  CHECK(gz[3] & 0x08); /* FNAME is set */
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) == 0);
  CHECK(d.buf && strcmp(d.buf, text) == 0);
  ctFileDataFree(&d);
  free(zErr);
  free(zPath);
  free(gz);
}

/* Found by fuzz_inflate: libdeflate skips the header CRC unchecked, zlib
** checks it; both paths must reject a header whose CRC does not match. */
static void gz_should_reject_header_crc_mismatch(void) {
  static const char text[] = "{\"Records\":[]}";
  size_t gzLen, hcrc;
  unsigned char *gz = gzipMember(text, sizeof(text) - 1, &gzLen, "x.json");
  char *zPath;
  CtFileData d;
  char *zErr;
  CHECK(gz[3] & 0x02); /* FHCRC is set */
  /* The header: 10 bytes, FNAME "x.json\0", FCOMMENT "a comment\0", CRC16 */
  hcrc = 10 + 7 + 10;
  gz[hcrc] ^= 0x01;
  zPath = writeTmp("hcrc.json.gz", gz, gzLen);
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) != 0);
  CHECK_CONTAINS(zErr, "header crc mismatch");
  free(zErr);
  free(zPath);
  free(gz);
}

static void gz_should_round_trip_three_concatenated_members(void) {
  static const char *const aPart[] = {"{\"Records\":[{\"eventName\":\"A\"}",
                                      ",{\"eventName\":\"B\"}", "]}\n"};
  unsigned char all[4096];
  size_t nAll = 0, i, want = 0;
  char *zPath;
  char *zErr;
  char expect[256] = "";
  CtFileData d;
  for (i = 0; i < 3; i++) {
    size_t len;
    unsigned char *gz = gzipMember(aPart[i], strlen(aPart[i]), &len, 0);
    memcpy(all + nAll, gz, len);
    nAll += len;
    free(gz);
    strcat(expect, aPart[i]);
    want += strlen(aPart[i]);
  }
  zPath = writeTmp("three.json.gz", all, nAll);
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) == 0);
  CHECKF(zErr == 0, ": %s", zErr);
  CHECK_SZ(d.len, want);
  CHECK(d.buf && strcmp(d.buf, expect) == 0);
  ctFileDataFree(&d);
  free(zErr);
  free(zPath);
}

static void gz_should_give_zero_bytes_for_member_of_empty_content(void) {
  size_t gzLen;
  unsigned char *gz = gzipMember("", 0, &gzLen, 0);
  unsigned char two[256];
  char *zPath = writeTmp("empty.json.gz", gz, gzLen);
  CtFileData d;
  char *zErr;
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) == 0);
  CHECKF(zErr == 0, ": %s", zErr);
  CHECK_SZ(d.len, 0);
  CHECK(d.isGzip);
  CHECK(d.buf != 0 && d.buf[0] == 0);
  ctFileDataFree(&d);
  free(zPath);
  free(zErr);
  /* Two empty members. */
  memcpy(two, gz, gzLen);
  memcpy(two + gzLen, gz, gzLen);
  zPath = writeTmp("empty2.json.gz", two, 2 * gzLen);
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) == 0);
  CHECK_SZ(d.len, 0);
  ctFileDataFree(&d);
  free(zPath);
  free(zErr);
  free(gz);
}

static void gz_should_give_zero_bytes_for_empty_file(void) {
  static const char *const aName[] = {"zero.json.gz", "zero.json", "zero"};
  size_t i;
  for (i = 0; i < 3; i++) {
    char *zPath = writeTmp(aName[i], "", 0);
    CtFileData d;
    char *zErr;
    CHECKF(loadFile(zPath, 1u << 20, &d, &zErr) == 0, ": %s: %s", aName[i],
           zErr);
    CHECK_SZ(d.len, 0);
    CHECK_SZ(d.rawLen, 0);
    CHECK(!d.isGzip);
    CHECK(d.buf != 0 && d.buf[0] == 0);
    ctFileDataFree(&d);
    free(zErr);
    free(zPath);
  }
}

static void gz_should_reject_truncated_member(void) {
  size_t n = 5000, gzLen, cut, nBad = 0;
  char *text = sampleText(n);
  unsigned char *gz = gzipMember(text, n, &gzLen, 0);
  char *zPath = tmpPath("cut.json.gz");
  /* Every prefix that keeps the magic is "truncated", never data. */
  for (cut = 2; cut < gzLen; cut++) {
    CtFileData d;
    char *zErr;
    writeFile(zPath, gz, cut);
    if (loadFile(zPath, 1u << 20, &d, &zErr) == 0) {
      ctFileDataFree(&d);
      nBad++;
      CHECKF(0, ": prefix of %zu of %zu bytes accepted", cut, gzLen);
    } else if (!contains(zErr, "truncated")) {
      nBad++;
      if (nBad < 5)
        CHECK_CONTAINS(zErr, "truncated");
    }
    free(zErr);
    if (nBad > 5)
      break;
  }
  free(zPath);
  free(gz);
  free(text);
}

static void gz_should_reject_truncated_last_of_two_members(void) {
  size_t len1, len2;
  unsigned char *m1 = gzipMember("{\"a\":1}", 7, &len1, 0);
  unsigned char *m2 = gzipMember("{\"b\":2}", 7, &len2, 0);
  unsigned char buf[512];
  char *zPath;
  char *zErr = 0;
  char *out = 0;
  size_t outLen = 0;
  CtFileData d;
  memcpy(buf, m1, len1);
  memcpy(buf + len1, m2, len2 - 3);
  zPath = writeTmp("cut2.json.gz", buf, len1 + len2 - 3);
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) != 0);
  CHECK_CONTAINS(zErr, "truncated");
  free(zErr);
  /* Just the magic of a second member. */
  CHECK(ctGunzip(buf, len1 + 2, 1u << 20, &out, &outLen, &zErr) != 0);
  CHECK_CONTAINS(zErr, "truncated");
  free(zErr);
  free(zPath);
  free(m1);
  free(m2);
}

static void gz_should_reject_flipped_crc_byte(void) {
  size_t n = 1000, gzLen;
  char *text = sampleText(n);
  unsigned char *gz = gzipMember(text, n, &gzLen, 0);
  char *zPath;
  char *zErr;
  CtFileData d;
  gz[gzLen - 8] ^= 0x01; /* first byte of the CRC-32 */
  zPath = writeTmp("crc.json.gz", gz, gzLen);
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) != 0);
  CHECK_CONTAINS(zErr, "corrupt gzip data");
  CHECK_CONTAINS(zErr, "incorrect data check");
  free(zErr);
  gz[gzLen - 8] ^= 0x01;
  gz[gzLen - 4] ^= 0x01; /* ISIZE */
  writeFile(zPath, gz, gzLen);
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) != 0);
  CHECK_CONTAINS(zErr, "corrupt gzip data");
  CHECK_CONTAINS(zErr, "incorrect length check");
  free(zErr);
  free(zPath);
  free(gz);
  free(text);
}

static void gz_should_reject_corrupt_deflate_data(void) {
  size_t n = 1000, gzLen;
  char *text = sampleText(n);
  unsigned char *gz = gzipMember(text, n, &gzLen, 0);
  char *zPath;
  char *zErr;
  CtFileData d;
  gz[10] = 0xFF; /* first byte of the deflate stream: block type 3 */
  zPath = writeTmp("bad.json.gz", gz, gzLen);
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) != 0);
  CHECK_CONTAINS(zErr, "corrupt gzip data at offset");
  free(zErr);
  gz[10] = text[0];
  gz[2] = 7; /* compression method other than deflate */
  writeFile(zPath, gz, gzLen);
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) != 0);
  CHECK_CONTAINS(zErr, "corrupt gzip data");
  free(zErr);
  free(zPath);
  free(gz);
  free(text);
}

static void gz_should_reject_trailing_garbage_with_offset(void) {
  static const struct {
    const char *z;
    size_t n;
  } aTail[] = {{"xyz", 3}, {"\0\0\0\0", 4}, {"\x1f", 1}, {"\n", 1}};
  size_t len1, len2, i;
  unsigned char *m1 = gzipMember("{\"a\":1}", 7, &len1, 0);
  unsigned char *m2 = gzipMember("{\"b\":2}", 7, &len2, 0);
  char *zPath = tmpPath("tail.json.gz");
  for (i = 0; i < sizeof(aTail) / sizeof(aTail[0]); i++) {
    unsigned char buf[512];
    char *zErr;
    char *zWant;
    CtFileData d;
    /* One member, then the tail. */
    memcpy(buf, m1, len1);
    memcpy(buf + len1, aTail[i].z, aTail[i].n);
    writeFile(zPath, buf, len1 + aTail[i].n);
    CHECK(loadFile(zPath, 1u << 20, &d, &zErr) != 0);
    zWant = ctMprintf("trailing bytes after gzip member at offset %zu", len1);
    CHECK_CONTAINS(zErr, zWant);
    free(zWant);
    free(zErr);
    /* Two members, then the tail: the offset is past both. */
    memcpy(buf + len1, m2, len2);
    memcpy(buf + len1 + len2, aTail[i].z, aTail[i].n);
    writeFile(zPath, buf, len1 + len2 + aTail[i].n);
    CHECK(loadFile(zPath, 1u << 20, &d, &zErr) != 0);
    zWant = ctMprintf("trailing bytes after gzip member at offset %zu",
                      len1 + len2);
    CHECK_CONTAINS(zErr, zWant);
    free(zWant);
    free(zErr);
  }
  free(zPath);
  free(m1);
  free(m2);
}

/* ctGunzip (libdeflate when built with it) and ctGunzipZlib agree: same
** bytes out, or the same error. Covers a small last member after a big one
** (the first output guess is too small) and members of nothing. */
static void gz_fast_and_zlib_inflaters_should_agree(void) {
  static const size_t aSize[] = {0, 1, 100, 5000, 300000, 2000000};
  unsigned seed = 12345;
  size_t a, b;
  for (a = 0; a < sizeof(aSize) / sizeof(aSize[0]); a++) {
    for (b = 0; b < sizeof(aSize) / sizeof(aSize[0]); b++) {
      size_t n1 = aSize[a], n2 = aSize[b], l1, l2, i, cut;
      unsigned char *d1 = malloc(n1 + 1), *d2 = malloc(n2 + 1), *g1, *g2, *cat;
      for (i = 0; i < n1; i++) {
        seed = seed * 1103515245u + 12345u;
        d1[i] = (unsigned char)("abc{}\"x"[(seed >> 16) % 7]);
      }
      for (i = 0; i < n2; i++)
        d2[i] = (unsigned char)('a' + i % 3);
      g1 = gzipMember(d1, n1, &l1, 0);
      g2 = gzipMember(d2, n2, &l2, 0);
      cat = malloc(l1 + l2 + 8);
      memcpy(cat, g1, l1);
      memcpy(cat + l1, g2, l2);
      /* whole, cut short, and with trailing garbage */
      for (cut = 0; cut < 3; cut++) {
        size_t len = cut == 1 ? l1 + l2 - 3 : l1 + l2;
        char *o1 = 0, *o2 = 0, *e1 = 0, *e2 = 0;
        size_t m1 = 0, m2 = 0;
        int r1, r2;
        if (cut == 2) {
          memcpy(cat + len, "junk", 4);
          len += 4;
        }
        r1 = ctGunzip(cat, len, 1u << 26, &o1, &m1, &e1);
        r2 = ctGunzipZlib(cat, len, 1u << 26, &o2, &m2, &e2);
        CHECK(r1 == r2);
        if (r1 == 0 && r2 == 0) {
          CHECK(m1 == n1 + n2 && m2 == m1 && memcmp(o1, o2, m1) == 0);
        } else if (r1 && r2) {
          CHECK(strcmp(e1, e2) == 0);
        }
        CHECK(cut == 0 ? r1 == 0 : r1 != 0);
        free(o1);
        free(o2);
        free(e1);
        free(e2);
      }
      free(d1);
      free(d2);
      free(g1);
      free(g2);
      free(cat);
    }
  }
}

static void gz_should_reject_gz_name_with_plain_content(void) {
  static const char text[] = "{\"Records\":[]}";
  char *zPath = writeTmp("plain.json.gz", text, sizeof(text) - 1);
  CtFileData d;
  char *zErr;
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) != 0);
  CHECK_CONTAINS(zErr, "not in gzip format");
  free(zErr);
  free(zPath);
  /* The suffix counts in any letter case, as in the walk. */
  zPath = writeTmp("PLAIN.JSON.GZ", text, sizeof(text) - 1);
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) != 0);
  CHECK_CONTAINS(zErr, "not in gzip format");
  free(zErr);
  free(zPath);
  /* One byte of the magic only. */
  zPath = writeTmp("onebyte.json.gz", "\x1f", 1);
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) != 0);
  CHECK_CONTAINS(zErr, "not in gzip format");
  free(zErr);
  free(zPath);
}

static void gz_should_return_plain_json_file_as_is(void) {
  static const char text[] = "{\"Records\":[{\"eventName\":\"A\"}]}\n";
  char *zPath = writeTmp("plain.json", text, sizeof(text) - 1);
  CtFileData d;
  char *zErr;
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) == 0);
  CHECK_SZ(d.len, sizeof(text) - 1);
  CHECK_SZ(d.rawLen, sizeof(text) - 1);
  CHECK(!d.isGzip);
  CHECK(d.buf && memcmp(d.buf, text, sizeof(text)) == 0); /* NUL too */
  ctFileDataFree(&d);
  free(zErr);
  free(zPath);
}

static void gz_should_inflate_by_content_whatever_the_name(void) {
  static const char text[] = "[{\"eventName\":\"A\"}]";
  size_t gzLen;
  unsigned char *gz = gzipMember(text, sizeof(text) - 1, &gzLen, 0);
  char *zPath = writeTmp("looks-plain.json", gz, gzLen);
  CtFileData d;
  char *zErr;
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) == 0);
  CHECK(d.isGzip);
  CHECK(d.buf && strcmp(d.buf, text) == 0);
  ctFileDataFree(&d);
  free(zErr);
  free(zPath);
  free(gz);
}

static void gz_should_reject_inflating_past_max_bytes(void) {
  size_t n = 100000, gzLen;
  char *text = sampleText(n);
  unsigned char *gz = gzipMember(text, n, &gzLen, 0);
  char *zPath = writeTmp("max.json.gz", gz, gzLen);
  CtFileData d;
  char *zErr;
  CHECK(loadFile(zPath, 50000, &d, &zErr) != 0);
  CHECK_CONTAINS(zErr, "max_file_size");
  free(zErr);
  CHECK(loadFile(zPath, n - 1, &d, &zErr) != 0);
  CHECK_CONTAINS(zErr, "max_file_size");
  free(zErr);
  CHECKF(loadFile(zPath, n, &d, &zErr) == 0, ": exactly max: %s", zErr);
  CHECK_SZ(d.len, n);
  ctFileDataFree(&d);
  free(zErr);
  free(zPath);
  free(gz);
  free(text);
}

static void gz_should_honour_max_bytes_exactly_at_every_size(void) {
  static const size_t aSize[] = {0,    1,    2,    5,    100,  4095,
                                 4096, 4097, 8191, 8192, 8193, 40000};
  size_t i;
  int d;
  for (i = 0; i < sizeof(aSize) / sizeof(aSize[0]); i++) {
    size_t n = aSize[i], gzLen, k;
    char *text = malloc(n + 1);
    unsigned char *gz;
    if (text == 0)
      abort();
    /* Incompressible for odd sizes, compressible for even ones. */
    for (k = 0; k < n; k++) {
      text[k] = n % 2 ? (char)(' ' + rndBelow(90)) : (char)('a' + k % 3);
    }
    gz = gzipMember(text, n, &gzLen, 0);
    for (d = -1; d <= 1; d++) {
      size_t maxBytes = n + (size_t)(long)d, outLen = 0;
      char *out = 0;
      char *zErr = 0;
      int rc;
      if (n == 0 && d < 0)
        continue;
      if (maxBytes == 0)
        continue; /* max_file_size is at least 1 */
      rc = ctGunzip(gz, gzLen, maxBytes, &out, &outLen, &zErr);
      if (maxBytes >= n) {
        CHECKF(rc == 0, ": %zu bytes, max %zu: %s", n, maxBytes, zErr);
        CHECK(rc != 0 || (outLen == n && memcmp(out, text, n) == 0));
      } else {
        CHECKF(rc != 0, ": %zu bytes, max %zu: accepted", n, maxBytes);
        CHECK_CONTAINS(zErr, "max_file_size");
      }
      free(out);
      free(zErr);
    }
    free(gz);
    free(text);
  }
}

static void gz_should_stop_a_gzip_bomb_at_max_bytes(void) {
  size_t n = 64u << 20, gzLen; /* 64 MB of zeros: about 64 KB of gzip */
  char *zeros = calloc(1, n);
  unsigned char *gz;
  char *zPath;
  CtFileData d;
  char *zErr;
  if (zeros == 0)
    abort();
  gz = gzipMember(zeros, n, &gzLen, 0);
  free(zeros);
  zPath = writeTmp("bomb.json.gz", gz, gzLen);
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) != 0);
  CHECK_CONTAINS(zErr, "max_file_size");
  free(zErr);
  free(zPath);
  free(gz);
}

static void gz_should_reject_plain_file_larger_than_max_bytes(void) {
  size_t n = 10000;
  char *text = sampleText(n);
  char *zPath = writeTmp("big.json", text, n);
  CtFileData d;
  char *zErr;
  CHECK(loadFile(zPath, n - 1, &d, &zErr) != 0);
  CHECK_CONTAINS(zErr, "max_file_size");
  free(zErr);
  CHECK(loadFile(zPath, n, &d, &zErr) == 0);
  CHECK_SZ(d.len, n);
  ctFileDataFree(&d);
  free(zErr);
  free(zPath);
  free(text);
}

static void gz_should_report_missing_file_as_cannot_open(void) {
  char *zPath = tmpPath("no-such-file.json");
  CtFileData d;
  char *zErr;
  CHECK(loadFile(zPath, 1u << 20, &d, &zErr) != 0);
  CHECK_CONTAINS(zErr, "cannot open");
  CHECK(d.buf == 0);
  free(zErr);
  free(zPath);
}

static void gz_should_report_directory_as_error(void) {
  CtFileData d;
  char *zErr;
  CHECK(loadFile(zTmp, 1u << 20, &d, &zErr) != 0);
  CHECK_CONTAINS(zErr, "is a directory");
  free(zErr);
}

static void gz_gunzip_should_work_on_memory(void) {
  size_t n = 70000, gzLen, outLen = 0;
  char *text = sampleText(n);
  unsigned char *gz = gzipMember(text, n, &gzLen, 0);
  char *out = 0;
  char *zErr = 0;
  CHECK(ctGunzip(gz, gzLen, 1u << 20, &out, &outLen, &zErr) == 0);
  CHECK_SZ(outLen, n);
  CHECK(out && memcmp(out, text, n) == 0 && out[n] == 0);
  free(out);
  free(zErr);
  free(gz);
  free(text);
}

/* ------------------------------------------------------------------------ */
/* ct_records                                                               */
/* ------------------------------------------------------------------------ */

/* Parse z and compare the event spans to aWant[0..nWant). */
static void checkRecords(const char *z, size_t n, const char *const *aWant,
                         size_t nWant) {
  CtRecords r;
  char *zErr = 0;
  char *buf = exactCopy(z, n);
  size_t i;
  int rc = ctRecordsParse(buf, n, &r, 1, &zErr);
  CHECKF(rc == 0, ": \"%.60s\": %s", z, zErr ? zErr : "-");
  if (rc == 0) {
    CHECKF(r.nRec == nWant, ": \"%.60s\": %zu events, want %zu", z, r.nRec,
           nWant);
    for (i = 0; i < r.nRec && i < nWant; i++) {
      CHECK_SPAN(buf, r.aRec[i], aWant[i]);
    }
    ctRecordsFree(&r);
    CHECK(r.aRec == 0 && r.nRec == 0);
  }
  free(zErr);
  free(buf);
}
#define RECORDS(z, ...)                                                        \
  do {                                                                         \
    static const char *const aW[] = {__VA_ARGS__};                             \
    checkRecords((z), strlen(z), aW, sizeof(aW) / sizeof(aW[0]));              \
  } while (0)
#define NO_RECORDS(z) checkRecords((z), strlen(z), 0, 0)

/* Parse z, expect an error containing zWant, and no events left over. */
static void checkRecordsError(const char *z, size_t n, const char *zWant) {
  CtRecords r;
  char *zErr = 0;
  char *buf = exactCopy(z, n);
  int rc = ctRecordsParse(buf, n, &r, 1, &zErr);
  CHECKF(rc != 0, ": \"%.60s\" accepted", z);
  if (rc != 0) {
    CHECK_CONTAINS(zErr, zWant);
    CHECK(r.aRec == 0 && r.nRec == 0);
  } else {
    ctRecordsFree(&r);
  }
  free(zErr);
  free(buf);
}
#define RECORDS_ERROR(z, want) checkRecordsError((z), strlen(z), (want))

static void records_should_find_events_in_records_array(void) {
  RECORDS("{\"Records\":[{\"eventName\":\"A\"},{\"eventName\":\"B\"}]}",
          "{\"eventName\":\"A\"}", "{\"eventName\":\"B\"}");
  RECORDS("{\"Records\":[{\"eventID\":null}]}", "{\"eventID\":null}");
}

static void records_should_take_any_object_in_an_array_as_an_event(void) {
  RECORDS("{\"Records\":[{}]}", "{}");
  RECORDS("[{\"foo\":1}]", "{\"foo\":1}");
  RECORDS("{\"Records\":[{\"eventNameWrong\":\"x\"}]}",
          "{\"eventNameWrong\":\"x\"}");
}

/* The fields found in the validating pass equal a separate ctEventIndex of
** each event (escaped keys, duplicates, nesting, every shape). */
static void records_fields_should_equal_a_separate_index(void) {
  static const char *const a[] = {
      "{\"Records\":[{\"eventName\":\"A\",\"eventName\":\"B\","
      "\"userIdentity\":{\"eventName\":\"no\"},\"readOnly\":true},"
      "{\"event\\u004eame\":\"C\",\"eventTime\":\"t\"}]}",
      "[{\"eventID\":\"1\",\"resources\":[{\"a\":[1,2,{}]}]} ,"
      "{\"Records\":[{\"errorCode\":null}]}]",
      "{\"eventVersion\":\"1\",\"requestParameters\":\"s\"}\n"
      "{\"eventSource\":\"x\" , \"awsRegion\" : \"r\" }",
      "{ \"other\" : 1 , \"Records\" : [ { \"eventName\" : \"P\" } ] , "
      "\"eventName\":\"wrapper\" }",
  };
  size_t i, j;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    CtRecords r;
    char *zErr = 0;
    int rc = ctRecordsParse(a[i], strlen(a[i]), &r, 1, &zErr);
    CHECKF(rc == 0, ": doc %zu: %s", i, zErr ? zErr : "");
    if (rc) {
      free(zErr);
      continue;
    }
    CHECK(r.nRec > 0 && r.aField != 0);
    for (j = 0; j < r.nRec; j++) {
      CtSpan idx[CT_NFIELD];
      ctEventIndex(a[i], r.aRec[j], idx);
      CHECKF(memcmp(idx, &r.aField[j * CT_NFIELD], sizeof(idx)) == 0,
             ": doc %zu event %zu", i, j);
    }
    ctRecordsFree(&r);
    /* Without fields: the same events, no field array. */
    rc = ctRecordsParse(a[i], strlen(a[i]), &r, 0, &zErr);
    CHECK(rc == 0 && r.aField == 0 && r.nRec > 0);
    ctRecordsFree(&r);
  }
}

/* A random text of events in every shape: wrappers (with members around
** "Records", and a second "Records"), arrays of events and of wrappers,
** NDJSON, nested "Records" inside events (not expanded; a "Records" member
** only where any value is allowed: in a "Records" array's events). */
static void rndEvent(char *z, size_t *pn, int inRecords) {
  static const char *aKey[] = {"eventName",    "eventTime", "errorCode",
                               "userIdentity", "x",         "readOnly",
                               "Records"};
  size_t nKey = sizeof(aKey) / sizeof(aKey[0]) - (inRecords ? 0 : 1);
  int k, nMember = (int)rndBelow(4);
  *pn += (size_t)sprintf(z + *pn, "{");
  for (k = 0; k < nMember; k++) {
    const char *zKey = aKey[rndBelow(nKey)];
    switch (rndBelow(4)) {
    case 0:
      *pn += (size_t)sprintf(z + *pn, "%s\"%s\":\"v%u\"", k ? "," : "", zKey,
                             rnd() % 9);
      break;
    case 1:
      *pn += (size_t)sprintf(z + *pn, "%s\"%s\" : [{\"a\":1},{}]", k ? "," : "",
                             zKey);
      break;
    case 2:
      *pn += (size_t)sprintf(z + *pn, "%s\"%s\":{\"Records\":[{}]}",
                             k ? "," : "", zKey);
      break;
    default:
      *pn += (size_t)sprintf(z + *pn, "%s\"%s\":null", k ? "," : "", zKey);
      break;
    }
  }
  *pn += (size_t)sprintf(z + *pn, "}");
}

static void rndEvents(char *z, size_t *pn, int nMax) {
  int k, n = (int)rndBelow((size_t)nMax + 1);
  for (k = 0; k < n; k++) {
    if (k)
      *pn += (size_t)sprintf(z + *pn, rndBelow(2) ? "," : " ,\n");
    rndEvent(z, pn, 1);
  }
}

static void rndWrapper(char *z, size_t *pn) {
  *pn += (size_t)sprintf(z + *pn, "{");
  if (rndBelow(2))
    *pn += (size_t)sprintf(z + *pn, "\"before\":[1,{\"Records\":[]}],");
  *pn += (size_t)sprintf(z + *pn, "\"Records\":[");
  rndEvents(z, pn, 6);
  *pn += (size_t)sprintf(z + *pn, "]");
  if (rndBelow(2))
    *pn += (size_t)sprintf(z + *pn, ",\"Records\":[{}],\"eventName\":\"w\"");
  *pn += (size_t)sprintf(z + *pn, "}");
}

static size_t rndEventsText(char *z) {
  size_t n = 0;
  int k, nTop = 1 + (int)rndBelow(3);
  if (rndBelow(8) == 0)
    n += (size_t)sprintf(z, "\xEF\xBB\xBF");
  for (k = 0; k < nTop; k++) {
    switch (rndBelow(3)) {
    case 0:
      rndWrapper(z, &n);
      break;
    case 1: {
      int j, nEl = (int)rndBelow(5);
      n += (size_t)sprintf(z + n, "[");
      for (j = 0; j < nEl; j++) {
        if (j)
          n += (size_t)sprintf(z + n, ",");
        if (rndBelow(3) == 0)
          rndWrapper(z, &n);
        else
          rndEvent(z, &n, 0);
      }
      n += (size_t)sprintf(z + n, "]");
      break;
    }
    default:
      n += (size_t)sprintf(z + n, "{\"eventName\":\"top%u\"}", rnd() % 9);
      break;
    }
    n += (size_t)sprintf(z + n, "\n");
  }
  return n;
}

/* The skip test of the parts test: events whose text has a "v1". */
static int mayMatchV1(void *pArg, const char *z, size_t n) {
  size_t i;
  (void)pArg;
  for (i = 0; i + 2 <= n; i++) {
    if (z[i] == 'v' && z[i + 1] == '1')
      return 0;
  }
  return 1;
}

static void records_in_parts_should_match_one_pass(void) {
  int iCase, nParted = 0;
  char *z = malloc(1 << 16);
  for (iCase = 0; iCase < 3000 && z; iCase++) {
    size_t n = rndEventsText(z), i, iAll = 0, nSkipAll = 0;
    CtRecordsRuleOut skip = {mayMatchV1, 0};
    CtRecordsOpt o1, o2;
    CtRecords a, b;
    char *zErr = 0;
    int rc, f, nPart = 0;
    o1.fieldMask = (unsigned)rnd() & CT_FIELDS_ALL;
    o1.maxRec = 0;
    o1.pRuleOut = rndBelow(3) == 0 ? &skip : 0;
    o2 = o1;
    o2.maxRec = 1 + rndBelow(4);
    rc = ctRecordsParseOpt(z, n, &a, &o1, &zErr);
    CHECKF(rc == 0, ": case %d: %s: %.*s", iCase, zErr, (int)n, z);
    if (rc) {
      free(zErr);
      continue;
    }
    CHECK(!ctRecordsHasMore(&a));
    rc = ctRecordsParseOpt(z, n, &b, &o2, &zErr);
    CHECKF(rc == 0, ": case %d: %s", iCase, zErr);
    while (rc == 0) {
      CHECKF(b.nRec <= o2.maxRec, ": case %d", iCase);
      CHECK(b.nField == a.nField && memcmp(b.aSlot, a.aSlot, CT_NFIELD) == 0);
      for (i = 0; i < b.nRec; i++, iAll++) {
        size_t ia = a.aIdx ? a.aIdx[iAll] : iAll;
        size_t ib = b.aIdx ? b.aIdx[i] : b.iBase + i;
        CHECKF(iAll < a.nRec && a.aRec[iAll].off == b.aRec[i].off &&
                   a.aRec[iAll].len == b.aRec[i].len && ia == ib,
               ": case %d part %d event %zu: %.*s", iCase, nPart, i, (int)n, z);
        if (iAll >= a.nRec)
          break;
        for (f = 0; f < CT_NFIELD; f++) {
          if (a.aSlot[f] < 0)
            continue;
          CHECKF(ctRecordsField(&a, iAll, f).off ==
                         ctRecordsField(&b, i, f).off &&
                     ctRecordsField(&a, iAll, f).len ==
                         ctRecordsField(&b, i, f).len,
                 ": case %d field %d", iCase, f);
        }
      }
      nSkipAll += b.nRuledOut;
      nPart++;
      if (!ctRecordsHasMore(&b))
        break;
      rc = ctRecordsNext(z, n, &b, &o2, &zErr);
      CHECKF(rc == 0, ": case %d: %s", iCase, zErr);
    }
    CHECKF(iAll == a.nRec && nSkipAll == a.nRuledOut,
           ": case %d: %zu of %zu events, %zu of %zu skipped: %.*s", iCase,
           iAll, a.nRec, nSkipAll, a.nRuledOut, (int)n, z);
    nParted += nPart > 1;
    ctRecordsFree(&a);
    ctRecordsFree(&b);
    /* Cut short, the text is an error, whatever the parts. */
    if (n > 2) {
      char *zA = 0, *zB = 0;
      size_t cut = rndBelow(n - 1);
      int rcA = ctRecordsParseOpt(z, cut, &a, &o1, &zA);
      int rcB = ctRecordsParseOpt(z, cut, &b, &o2, &zB);
      CHECKF(rcA == rcB && (zA == 0) == (zB == 0) &&
                 (zA == 0 || strcmp(zA, zB) == 0),
             ": case %d cut at %zu", iCase, cut);
      if (rcA == 0)
        ctRecordsFree(&a);
      if (rcB == 0)
        ctRecordsFree(&b);
      free(zA);
      free(zB);
    }
  }
  CHECKF(nParted > 1000, ": only %d texts came in several parts", nParted);
  free(z);
}

static void records_should_flatten_a_slurped_array_of_files(void) {
  RECORDS("[{\"Records\":[{\"eventName\":\"A\"},{\"eventName\":\"B\"}]},"
          "{\"eventName\":\"C\"}]",
          "{\"eventName\":\"A\"}", "{\"eventName\":\"B\"}",
          "{\"eventName\":\"C\"}");
}

static void records_should_find_records_when_not_first_key(void) {
  RECORDS("{\"x\":{\"Records\":5},\"Records\":[{\"eventID\":\"1\"}],\"y\":[]}",
          "{\"eventID\":\"1\"}");
}

static void records_should_find_events_in_top_level_array(void) {
  RECORDS("[{\"eventName\":\"A\"}, {\"eventName\":\"B\"} ,"
          "{\"eventID\":[1]}]",
          "{\"eventName\":\"A\"}", "{\"eventName\":\"B\"}",
          "{\"eventID\":[1]}");
  NO_RECORDS("[]");
  NO_RECORDS(" [ ] ");
}

static void
records_should_find_events_in_ndjson_with_crlf_and_blank_lines(void) {
  RECORDS("{\"eventName\":\"A\"}\r\n\r\n{\"eventName\":\"B\",\"eventTime\":"
          "\"t\"}\r\n\n  \n{\"eventID\":\"3\"}\n",
          "{\"eventName\":\"A\"}", "{\"eventName\":\"B\",\"eventTime\":\"t\"}",
          "{\"eventID\":\"3\"}");
  /* Lines that are themselves Records files or arrays. */
  RECORDS("{\"Records\":[{\"eventName\":\"A\"}]}\n[{\"eventName\":\"B\"}]\n",
          "{\"eventName\":\"A\"}", "{\"eventName\":\"B\"}");
}

static void records_should_take_single_event_object(void) {
  static const char *const aKey[] = {"eventVersion", "eventTime", "eventName",
                                     "eventSource", "eventID"};
  size_t i;
  for (i = 0; i < 5; i++) {
    char *z = ctMprintf("{\"other\":1,\"%s\":\"v\"}", aKey[i]);
    const char *aW[1];
    aW[0] = z;
    checkRecords(z, strlen(z), aW, 1);
    free(z);
  }
  RECORDS("  {\"event\\u004eame\":\"A\"}  ", "{\"event\\u004eame\":\"A\"}");
}

static void records_should_handle_pretty_printed_file(void) {
  RECORDS("{\n  \"Records\": [\n    {\n      \"eventName\": \"A\",\n      "
          "\"x\": [ 1, 2 ]\n    },\n    {\n      \"eventName\": \"B\"\n    }\n"
          "  ]\n}\n",
          "{\n      \"eventName\": \"A\",\n      \"x\": [ 1, 2 ]\n    }",
          "{\n      \"eventName\": \"B\"\n    }");
}

static void records_should_give_zero_events_for_empty_text(void) {
  NO_RECORDS("");
  NO_RECORDS(" \n\r\n\t ");
  NO_RECORDS("{\"Records\":[]}");
  NO_RECORDS("{\"Records\" : [ ] }\n");
  NO_RECORDS("\xEF\xBB\xBF");
}

static void records_should_skip_utf8_bom(void) {
  RECORDS("\xEF\xBB\xBF{\"Records\":[{\"eventName\":\"A\"}]}",
          "{\"eventName\":\"A\"}");
  /* A BOM after the start is not whitespace. */
  RECORDS_ERROR(" \xEF\xBB\xBF{\"Records\":[]}", "invalid JSON at offset 1");
}

static void records_should_reject_object_that_is_not_events(void) {
  RECORDS_ERROR("{\"foo\":1}", "not CloudTrail events");
  RECORDS_ERROR("{}", "not CloudTrail events");
  RECORDS_ERROR("{\"a\":{\"eventName\":\"x\"}}", "not CloudTrail events");
  /* A digest file. */
  RECORDS_ERROR("{\"awsAccountId\":\"1\",\"digestStartTime\":\"t\","
                "\"logFiles\":[]}",
                "not CloudTrail events");
  RECORDS_ERROR("\"text\"", "not CloudTrail events");
  RECORDS_ERROR("42", "not CloudTrail events");
  RECORDS_ERROR("null", "not CloudTrail events");
}

static void records_should_reject_records_that_is_not_an_array(void) {
  RECORDS_ERROR("{\"Records\":{}}", "\"Records\" is not an array");
  RECORDS_ERROR("{\"Records\":null}", "\"Records\" is not an array");
  RECORDS_ERROR("{\"Records\":\"[]\"}", "\"Records\" is not an array");
}

static void records_should_reject_event_that_is_not_an_object(void) {
  RECORDS_ERROR("{\"Records\":[1]}", "is not an object");
  RECORDS_ERROR("{\"Records\":[{\"eventName\":\"A\"},[]]}",
                "element 1 is not an object");
  RECORDS_ERROR("[{\"eventName\":\"A\"},\"x\"]", "is not an object");
  RECORDS_ERROR("[null]", "is not an object");
}

static void records_should_reject_invalid_json_with_offset(void) {
  RECORDS_ERROR("{\"Records\":[{]}", "invalid JSON at offset 13");
  RECORDS_ERROR("{\"Records\":[", "invalid JSON at offset");
  RECORDS_ERROR("{\"Records\":[{\"a\":\"\xC0\x80\"}]}",
                "invalid JSON at offset 18: invalid UTF-8 in string");
  {
    static const char z[] = "{\"eventName\":\"a\0\"}";
    checkRecordsError(z, sizeof(z) - 1, "NUL byte in string");
  }
}

static void records_should_fail_whole_ndjson_on_bad_second_line(void) {
  RECORDS_ERROR("{\"eventName\":\"A\"}\n{\"eventName\":\n{\"eventName\":\"C\"}"
                "\n",
                "invalid JSON at offset");
  RECORDS_ERROR("{\"eventName\":\"A\"}\n{\"foo\":1}\n",
                "not CloudTrail events");
  RECORDS_ERROR("{\"eventName\":\"A\"}\n7\n", "not CloudTrail events");
}

/* ------------------------------------------------------------------------ */
/* ct_time                                                                  */
/* ------------------------------------------------------------------------ */

static int parseTime(const char *z, CtInstant *p) {
  size_t n = strlen(z);
  char *buf = exactCopy(z, n);
  int ok;
  p->sec = -1;
  p->ns = -1;
  ok = ctTimeParse(buf, n, p);
  free(buf);
  return ok;
}

static void time_should_parse_supported_forms(void) {
  static const struct {
    const char *z;
    int64_t sec;
    int32_t ns;
  } a[] = {
      {"2024-03-01", 1709251200, 0},
      {"2024-03-01 10:00:00", 1709287200, 0},
      {"2024-03-01T10:00:00Z", 1709287200, 0},
      {"2024-03-01T10:00:00.000Z", 1709287200, 0},
      {"2024-03-01T10:00:00.5Z", 1709287200, 500000000},
      {"2024-03-01T10:00:00.123456789Z", 1709287200, 123456789},
      {"2024-03-01T12:00:00+02:00", 1709287200, 0},
      {"2024-03-01T12:00:00+0200", 1709287200, 0},
      {"2024-03-01T12:00:00+02", 1709287200, 0},
      {"2024-03-01T05:30:00-04:30", 1709287200, 0},
      {"2024-03-01T10:00", 1709287200, 0},
      {"2024-03-01t10:00:00z", 1709287200, 0},
      {"2024-02-29", 1709164800, 0},
      {"1970-01-01T00:00:00Z", 0, 0},
      {"1969-12-31T23:59:59Z", -1, 0},
      {"2000-02-29T00:00:00Z", 951782400, 0},
      {"2024-12-31T23:59:59.999Z", 1735689599, 999000000},
      /* Partial texts name the first instant of their period. */
      {"2024", 1704067200, 0},
      {"2024-03", 1709251200, 0},
      {"2024-03-01T10", 1709287200, 0},
      {"2024-03-01 10", 1709287200, 0},
      {"2024-03-01T10Z", 1709287200, 0},
      /* Spaces around are ignored. */
      {" 2024-03-01 ", 1709251200, 0},
      {"2024-03-01T10:00:00 ", 1709287200, 0},
      /* What people and tools write (issue 11): zone words, any case. */
      {"2023-07-10 12:30 UTC", 1688992200, 0},
      {"2023-07-10 12:30 utc", 1688992200, 0},
      {"2023-07-10 12:30:00 GMT", 1688992200, 0},
      {"2023-07-10T12:30:00UTC", 1688992200, 0},
      {"2023-07-10 12:30:00 Z", 1688992200, 0},
      {"2024-03-01 UTC", 1709251200, 0},
      {"2024-03-01Z", 1709251200, 0},
      /* A space before the offset; +HHMM and +HH. */
      {"2023-07-10 12:30:00 +00:00", 1688992200, 0},
      {"2023-07-10 14:30:00 +0200", 1688992200, 0},
      {"2023-07-10 07:30 -05", 1688992200, 0},
      {"2023-07-10T18:00:00+0530", 1688992200, 0},
      /* 1 to 9 fraction digits. */
      {"2024-11-25 17:51:21.000000000", 1732557081, 0},
      {"2024-11-25 17:51:21.1", 1732557081, 100000000},
      {"2024-11-25T17:51:21.000001Z", 1732557081, 1000},
      /* Slash dates, the basic form. */
      {"2017/06/01", 1496275200, 0},
      {"2017/6/1", 1496275200, 0},
      {"2017/06/01 10:00", 1496311200, 0},
      {"2017/06", 1496275200, 0},
      {"20170601", 1496275200, 0},
      {"20170601T123000Z", 1496320200, 0},
      {"20170601t123000z", 1496320200, 0},
      {"20170601T1230", 1496320200, 0},
      {"20170601T12", 1496318400, 0},
      {"20170601T133000+0100", 1496320200, 0},
      {"20170601T123000.25Z", 1496320200, 250000000},
      /* Single-digit month, day and hour. */
      {"2023-7-10", 1688947200, 0},
      {"2023-7-10 9:05", 1688979900, 0},
      {"2023-07-1 9", 1688202000, 0},
      {"2024-3", 1709251200, 0},
      {"2024-03-01T1", 1709254800, 0},
      {"2024-03-01   10:00", 1709287200, 0},
  };
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    CtInstant t;
    int ok = parseTime(a[i].z, &t);
    CHECKF(ok, ": \"%s\" not parsed", a[i].z);
    if (ok) {
      CHECKF(t.sec == a[i].sec && t.ns == a[i].ns,
             ": \"%s\": got %lld.%09d, want %lld.%09d", a[i].z,
             (long long)t.sec, (int)t.ns, (long long)a[i].sec, (int)a[i].ns);
    }
  }
}

static void time_should_reject_invalid_texts(void) {
  static const char *const a[] = {
      "2023-02-29",
      "2024-13-01",
      "2024-00-10",
      "2024-04-31",
      "2024-03-00",
      "1900-02-29",
      "garbage",
      "",
      "2024-03-0",
      "202",
      "20240",
      "2024-03-01T",
      "2024-03-01T10:0",
      "2024-03-01T24:00:00",
      "2024-03-01T10:60:00",
      "2024-03-01T10:00:60",
      "2024-03-01T10:00:00.",
      "2024-03-01T10:00:00.Z",
      "2024-03-01T10:00:00ZZ",
      "2024-03-01T10:00:00+2",
      "2024-03-01T10:00:00+24:00",
      "2024-03-01T10:00:00+02:60",
      "2024-03-01T10:00:00+02:0",
      "2024-03-01T10:00:00+020",
      "x2024-03-01",
      /* Issue 11: nothing is guessed. Day- or month-first dates. */
      "10/07/2023",
      "07/10/2023",
      "10-07-2023",
      /* 12-hour clocks. */
      "2023-07-10 12:30 PM",
      "2023-07-10 12:30pm",
      "2023-07-10 9:05 AM",
      /* Numbers (seconds or milliseconds since 1970). */
      "1688992200",
      "1688992200000",
      "1688992200.5",
      "-1",
      /* More than 9 fraction digits, or more than two hour digits. */
      "2024-03-01T10:00:00.1234567891Z",
      "2024-03-01T100:00",
      "2024-03-01 10:000",
      /* Mixed separators, a 'T' with no clock, an offset on a date. */
      "2024-03/01",
      "2024/03-01",
      "2024-03-01T 10:00",
      "2024-03-01+02:00",
      "2024-03-01 +02",
      /* The basic form: exactly eight date digits, two-digit clock parts. */
      "2017060",
      "201706011",
      "20170601T1",
      "20170601T123",
      "20170601T1230000",
      "20170601 12:30",
      /* Zone words that are not UTC. */
      "2023-07-10 12:30 EST",
      "2023-07-10 12:30 UTC+1",
  };
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    CtInstant t;
    CHECKF(!parseTime(a[i], &t), ": \"%s\" parsed", a[i]);
  }
}

static void time_should_reject_offset_with_colon_but_no_minutes(void) {
  /* The header allows +HH:MM, +HHMM and +HH; "+02:" is none of them. */
  CtInstant t;
  CHECK(!parseTime("2024-03-01T12:00:00+02:", &t));
  CHECK(!parseTime("2024-03-01T12:00:00-02:", &t));
}

static void time_format_should_round_trip(void) {
  /* Every instant from year 0001 to 9999, at random: its canonical text
  ** parses back to it, and is CloudTrail's form. */
  uint64_t x = 88172645463325252ULL;
  int i;
  for (i = 0; i < 200000; i++) {
    CtInstant a, b;
    char z[CT_TIME_CANON_MAX];
    size_t n;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    a.sec = -62135596800LL + (int64_t)(x % 315537897600ULL);
    a.ns = (i % 3 == 0) ? 0 : (int32_t)((x >> 40) % 1000000000);
    n = ctTimeFormat(&a, z);
    CHECKF(n == strlen(z) && (n == 20 || n == 30) && z[10] == 'T' &&
               z[n - 1] == 'Z',
           ": \"%s\"", z);
    CHECKF(ctTimeParse(z, n, &b) && ctInstantCmp(&a, &b) == 0,
           ": %lld.%09d -> \"%s\"", (long long)a.sec, (int)a.ns, z);
    if (n != 20 && n != 30)
      break;
  }
}

static void time_format_should_write_cloudtrail_form(void) {
  CtInstant t;
  char z[CT_TIME_CANON_MAX];
  CHECK(parseTime("2023-07-10 14:30 +02:00", &t));
  ctTimeFormat(&t, z);
  CHECK(strcmp(z, "2023-07-10T12:30:00Z") == 0);
  CHECK(parseTime("1969-12-31 23:59:59.5", &t));
  ctTimeFormat(&t, z);
  CHECK(strcmp(z, "1969-12-31T23:59:59.500000000Z") == 0);
  CHECK(parseTime("2024-02-29", &t));
  ctTimeFormat(&t, z);
  CHECK(strcmp(z, "2024-02-29T00:00:00Z") == 0);
}

static void time_days_from_civil_should_count_from_1970(void) {
  CHECK(ctDaysFromCivil(1970, 1, 1) == 0);
  CHECK(ctDaysFromCivil(1970, 1, 2) == 1);
  CHECK(ctDaysFromCivil(1969, 12, 31) == -1);
  CHECK(ctDaysFromCivil(2000, 3, 1) == 11017);
  CHECK(ctDaysFromCivil(2024, 3, 1) == 19783);
  CHECK(ctDaysFromCivil(2024, 3, 1) - ctDaysFromCivil(2024, 2, 28) == 2);
  CHECK(ctDaysFromCivil(2023, 3, 1) - ctDaysFromCivil(2023, 2, 28) == 1);
}

static int collate(const char *a, const char *b) {
  return ctTimeCollate(a, strlen(a), b, strlen(b));
}
static int sign(int x) { return (x > 0) - (x < 0); }

static void time_collate_should_equate_date_with_midnight_utc(void) {
  CHECK(collate("2024-03-01", "2024-03-01T00:00:00Z") == 0);
  CHECK(collate("2024-03-01", "2024-03-01T00:00:00.000Z") == 0);
  CHECK(collate("2024-03-01", "2024-03-01 00:00:00") == 0);
  CHECK(collate("2024-03-01", "2024-03-01T02:00:00+02:00") == 0);
  CHECK(collate("2024-03-31", "2024-03-31T00:00:01Z") < 0);
  CHECK(collate("2024-03-31", "2024-03-30T23:59:59.999Z") > 0);
}

static void time_collate_should_order_instants(void) {
  CHECK(collate("2024-03-01T10:00:00Z", "2024-03-01T10:00:00.5Z") < 0);
  CHECK(collate("2024-03-01T10:00:00.5Z", "2024-03-01T10:00:00Z") > 0);
  CHECK(collate("2024-03-01T10:00:00Z", "2024-03-01T10:00:00.000Z") == 0);
  CHECK(collate("2024-03-01 10:00:00", "2024-03-01T10:00:00Z") == 0);
  CHECK(collate("2024-03-01T12:00:00+02:00", "2024-03-01T10:00:00Z") == 0);
  CHECK(collate("2024-03-01T11:00:00+02:00", "2024-03-01T10:00:00Z") < 0);
  CHECK(collate("2024-03-01T10:00:00.1Z", "2024-03-01T10:00:00.09Z") > 0);
  CHECK(collate("2023-12-31T23:59:59Z", "2024-01-01") < 0);
}

static void time_collate_should_sort_unparseable_before_times(void) {
  CHECK(collate("garbage", "2024-03-01") < 0);
  CHECK(collate("2024-03-01", "garbage") > 0);
  CHECK(collate("", "0001-01-01T00:00:00Z") < 0);
  CHECK(collate("a", "0001-01-01") < 0); /* "a" > "0..." bytewise */
  CHECK(collate("abc", "abd") < 0);
  CHECK(collate("abd", "abc") > 0);
  CHECK(collate("abc", "abc") == 0);
  CHECK(collate("ab", "abc") < 0);
  CHECK(collate("", "a") < 0);
  CHECK(collate("2023-02-29", "2023-02-30") < 0); /* both invalid */
  CHECK(collate("\xFF", "a") > 0);                /* bytes are unsigned */
}

static void time_collate_should_be_a_total_order(void) {
  static const char *const a[] = {
      "2024-03-01",
      "2024-03-01T00:00:00Z",
      "2024-03-01T00:00:00.000Z",
      "2024-03-01 00:00:00",
      "2024-03-01T02:00:00+02:00",
      "2024-03-01T10:00:00Z",
      "2024-03-01T10:00:00.5Z",
      "2024-03-01T10:00:00.500000001Z",
      "2024-03-01T10:00:00.499Z",
      "2024-03-01 10:00:00",
      "2024-03-01T12:00:00+02:00",
      "2024-03-01T05:00:00-05:00",
      "2024-02-29",
      "2024-02-29T23:59:59.999999999Z",
      "2024-03-02",
      "2023-12-31T23:59:59Z",
      "1970-01-01T00:00:00Z",
      "1969-12-31T23:59:59.5Z",
      "9999-12-31T23:59:59Z",
      "0001-01-01",
      "2024-03-01T10:00",
      "2024-03-01T10:00:00+0000",
      "garbage",
      "",
      "2023-02-29",
      "2024-13-01",
      "abc",
      "ab",
      "zzz",
      "2024-03-01T10:00:00ZZ",
      "2024-03-01T10",
  };
  size_t n = sizeof(a) / sizeof(a[0]), i, j, k;
  int c[sizeof(a) / sizeof(a[0])][sizeof(a) / sizeof(a[0])];
  for (i = 0; i < n; i++) {
    for (j = 0; j < n; j++)
      c[i][j] = sign(collate(a[i], a[j]));
  }
  for (i = 0; i < n; i++) {
    CHECKF(c[i][i] == 0, ": \"%s\" != itself", a[i]);
    for (j = 0; j < n; j++) {
      CHECKF(c[i][j] == -c[j][i], ": not antisymmetric: \"%s\" \"%s\"", a[i],
             a[j]);
      for (k = 0; k < n; k++) {
        if (c[i][j] <= 0 && c[j][k] <= 0) {
          CHECKF(c[i][k] <= 0, ": not transitive: \"%s\" \"%s\" \"%s\"", a[i],
                 a[j], a[k]);
        }
        if (c[i][j] == 0 && c[j][k] == 0) {
          CHECKF(c[i][k] == 0,
                 ": equality not transitive: \"%s\" \"%s\" "
                 "\"%s\"",
                 a[i], a[j], a[k]);
        }
      }
    }
  }
}

/* ------------------------------------------------------------------------ */
/* ct_event                                                                 */
/* ------------------------------------------------------------------------ */

static void event_index_should_find_every_field(void) {
  /* A nested eventName first (must not count), then every field in reverse
  ** column order, spaced out, each after an unknown key. */
  char *z = ctMprintf("%s", "{\"nested\":{\"eventName\":\"no\"}");
  char *aWant[CT_NFIELD];
  CtSpan aField[CT_NFIELD], rec;
  int i;
  for (i = CT_NFIELD - 1; i >= 0; i--) {
    char *zNext;
    switch (ctFieldKind(i)) {
    case CT_KIND_TEXT:
      aWant[i] = ctMprintf("\"v%d\"", i);
      break;
    case CT_KIND_BOOL:
      aWant[i] = ctMprintf("%s", i % 2 ? "true" : "false");
      break;
    default:
      aWant[i] = ctMprintf("{\"n\": %d, \"a\": [%d, \"}\"]}", i, i);
      break;
    }
    zNext = ctMprintf("%s ,\n \"x%d\":[%d], \"%s\" : %s", z, i, i,
                      ctFieldKey(i), aWant[i]);
    free(z);
    z = zNext;
  }
  {
    char *zNext = ctMprintf("%s }", z);
    free(z);
    z = zNext;
  }
  CHECK(ourAccepts(z, strlen(z), 0, 0, 0));
  rec.off = 0;
  rec.len = strlen(z);
  ctEventIndex(z, rec, aField);
  for (i = 0; i < CT_NFIELD; i++) {
    CHECKF(spanIs(z, aField[i], aWant[i]), ": field %s: \"%.*s\", want %s",
           ctFieldKey(i), (int)aField[i].len, z + aField[i].off, aWant[i]);
    free(aWant[i]);
  }
  free(z);
}

static void event_index_should_leave_absent_fields_empty(void) {
  static const char z[] = "xx{\"eventTime\":\"2024-03-01T10:00:00Z\","
                          "\"eventName\":\"A\",\"unknown\":1}yy";
  CtSpan aField[CT_NFIELD], rec = {2, sizeof(z) - 5};
  int i;
  ctEventIndex(z, rec, aField);
  CHECK_SPAN(z, aField[CT_F_EVENT_TIME], "\"2024-03-01T10:00:00Z\"");
  CHECK_SPAN(z, aField[CT_F_EVENT_NAME], "\"A\"");
  for (i = 0; i < CT_NFIELD; i++) {
    if (i == CT_F_EVENT_TIME || i == CT_F_EVENT_NAME)
      continue;
    CHECKF(aField[i].len == 0, ": field %s present", ctFieldKey(i));
  }
  {
    CtSpan empty = {0, 2};
    ctEventIndex("{}", empty, aField);
    for (i = 0; i < CT_NFIELD; i++)
      CHECK(aField[i].len == 0);
  }
}

static void event_index_should_take_first_duplicate(void) {
  static const char z[] = "{\"eventName\":\"first\",\"readOnly\":true,"
                          "\"eventName\":\"second\",\"readOnly\":false}";
  CtSpan aField[CT_NFIELD], rec = {0, sizeof(z) - 1};
  ctEventIndex(z, rec, aField);
  CHECK_SPAN(z, aField[CT_F_EVENT_NAME], "\"first\"");
  CHECK_SPAN(z, aField[CT_F_READ_ONLY], "true");
}

static void event_index_should_find_escaped_keys(void) {
  static const char z[] =
      "{\"event\\u004eame\":\"esc\",\"eventName\":\"plain\","
      "\"\\u0065ventTime\":\"t\",\"user\\u0049dentity\":"
      "{\"a\":1}}";
  CtSpan aField[CT_NFIELD], rec = {0, sizeof(z) - 1};
  ctEventIndex(z, rec, aField);
  CHECK_SPAN(z, aField[CT_F_EVENT_NAME], "\"esc\"");
  CHECK_SPAN(z, aField[CT_F_EVENT_TIME], "\"t\"");
  CHECK_SPAN(z, aField[CT_F_USER_IDENTITY], "{\"a\":1}");
}

static void event_field_lookup_should_map_keys_to_fields(void) {
  int i;
  for (i = 0; i < CT_NFIELD; i++) {
    char *zKey = ctMprintf("\"%s\"", ctFieldKey(i));
    CtSpan k = {0, 0};
    k.len = strlen(zKey);
    CHECKF(ctFieldLookup(zKey, k) == i, ": %s", zKey);
    free(zKey);
  }
  CHECK(ctFieldKind(CT_F_EVENT_NAME) == CT_KIND_TEXT);
  CHECK(ctFieldKind(CT_F_READ_ONLY) == CT_KIND_BOOL);
  CHECK(ctFieldKind(CT_F_USER_IDENTITY) == CT_KIND_JSON);
  CHECK(strcmp(ctFieldKey(CT_F_EVENT_NAME), "eventName") == 0);
}

static void event_field_lookup_should_return_minus_one_for_unknown_key(void) {
  static const char *const a[] = {
      "\"unknown\"", "\"EventName\"",      "\"eventNam\"", "\"eventNamee\"",
      "\"\"",        "\"event\\u004eam\"", "\"Records\"",  "\"eventname\""};
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    CtSpan k = {0, 0};
    k.len = strlen(a[i]);
    CHECKF(ctFieldLookup(a[i], k) == -1, ": %s", a[i]);
  }
  {
    /* An escaped key longer than any field name. */
    char z[400];
    size_t n = 0, j;
    CtSpan k = {0, 0};
    z[n++] = '"';
    for (j = 0; j < 60; j++) {
      memcpy(z + n, "\\u0061", 6);
      n += 6;
    }
    z[n++] = '"';
    k.len = n;
    CHECK(ctFieldLookup(z, k) == -1);
  }
}

/* ------------------------------------------------------------------------ */
/* ct_walk                                                                  */
/* ------------------------------------------------------------------------ */

/* Run a whole walk; returns a malloc'd transcript, one line per step:
** "F path" for a file, "E path: error" for an error. */
static char *walkAll(const char *zPath, CtWalkStats *pStats) {
  CtWalk *w = ctWalkOpen(zPath);
  char *zOut = ctMprintf("%s", "");
  int rc, nStep = 0;
  if (w == 0 || zOut == 0)
    abort();
  for (;;) {
    const char *zFile = 0;
    char *zErr = 0;
    char *zNext;
    rc = ctWalkNext(w, &zFile, &zErr);
    if (rc == CT_WALK_DONE)
      break;
    if (rc == CT_WALK_FILE) {
      CHECK(zErr == 0);
      zNext = ctMprintf("%sF %s\n", zOut, zFile);
    } else {
      CHECK(rc == CT_WALK_ERROR && zErr != 0);
      zNext = ctMprintf("%sE %s: %s\n", zOut, zFile ? zFile : "(null)",
                        zErr ? zErr : "(null)");
    }
    free(zErr);
    free(zOut);
    zOut = zNext;
    if (++nStep > 1000)
      break; /* a walk that never ends */
  }
  if (pStats)
    *pStats = *ctWalkStats(w);
  ctWalkClose(w);
  return zOut;
}

static void mkFile(const char *zRel) {
  char *z = tmpPath(zRel);
  writeFile(z, "{}", 2);
  free(z);
}
static void mkDirRel(const char *zRel) {
  char *z = tmpPath(zRel);
  makeDir(z);
  free(z);
}
static void mkLink(const char *zTarget, const char *zRel) {
  char *z = tmpPath(zRel);
  if (symlink(zTarget, z) != 0) {
    fprintf(stderr, "symlink %s: %s\n", z, strerror(errno));
    abort();
  }
  free(z);
}

/* The paths of the "F" lines of a transcript are in strcmp order. */
static int filesSorted(const char *zOut) {
  const char *zPrev = 0;
  size_t nPrev = 0;
  const char *z = zOut;
  while (*z) {
    const char *zEol = strchr(z, '\n');
    if (zEol == 0)
      return 0;
    if (z[0] == 'F') {
      const char *p = z + 2;
      size_t n = (size_t)(zEol - p);
      if (zPrev) {
        int c = memcmp(zPrev, p, n < nPrev ? n : nPrev);
        if (c > 0 || (c == 0 && nPrev >= n))
          return 0;
      }
      zPrev = p;
      nPrev = n;
    }
    z = zEol + 1;
  }
  return 1;
}

static void walk_should_return_log_files_in_byte_order(void) {
  char *zRoot = tmpPath("walk1");
  char *zOut, *zWant;
  CtWalkStats st;
  mkDirRel("walk1");
  mkFile("walk1/a.json");
  mkFile("walk1/b.json.gz");
  mkFile("walk1/c.jsonl");
  mkFile("walk1/d.ndjson");
  mkFile("walk1/E.JSON");
  mkFile("walk1/F.Json.Gz");
  mkFile("walk1/g.ndjson.gz");
  mkFile("walk1/h.JSONL.GZ");
  mkFile("walk1/notes.txt");
  mkFile("walk1/x.csv");
  mkFile("walk1/y.json.bak");
  mkFile("walk1/y.gz");
  mkDirRel("walk1/sub");
  mkFile("walk1/sub/f.json");
  mkFile("walk1/sub.json");
  mkFile("walk1/sub0.json");
  mkDirRel("walk1/CloudTrail-Digest");
  mkFile("walk1/CloudTrail-Digest/dg.json");
  mkFile("walk1/z-CloudTrail-Digest_x.json");
  mkLink("..", "walk1/sub/loop");
  mkLink("a.json", "walk1/link.json");
  zOut = walkAll(zRoot, &st);
  zWant = ctMprintf("F %s/E.JSON\n"
                    "F %s/F.Json.Gz\n"
                    "F %s/a.json\n"
                    "F %s/b.json.gz\n"
                    "F %s/c.jsonl\n"
                    "F %s/d.ndjson\n"
                    "F %s/g.ndjson.gz\n"
                    "F %s/h.JSONL.GZ\n"
                    "F %s/sub.json\n"
                    "F %s/sub/f.json\n"
                    "F %s/sub0.json\n",
                    zRoot, zRoot, zRoot, zRoot, zRoot, zRoot, zRoot, zRoot,
                    zRoot, zRoot, zRoot);
  CHECKF(strcmp(zOut, zWant) == 0, ":\n--- got\n%s--- want\n%s", zOut, zWant);
  CHECK(filesSorted(zOut));
  /* notes.txt, x.csv, y.json.bak, y.gz, z-CloudTrail-Digest_x.json; the
  ** CloudTrail-Digest folder is skipped whole, its files unseen. */
  CHECKF(st.nIgnored == 5, ": nIgnored %lld", st.nIgnored);
  CHECKF(st.nLoops == 1, ": nLoops %lld", st.nLoops);
  CHECKF(st.nDirs == 2, ": nDirs %lld", st.nDirs);
  /* link.json leads to a.json, handed out already: a repeat. */
  CHECKF(st.nRepeats == 1, ": nRepeats %lld", st.nRepeats);
  CHECKF(st.nDirRepeats == 0, ": nDirRepeats %lld", st.nDirRepeats);
  free(zOut);
  free(zWant);
  /* The same with a trailing slash on the root. */
  {
    char *zSlash = ctMprintf("%s/", zRoot);
    zOut = walkAll(zSlash, &st);
    CHECK(filesSorted(zOut));
    CHECK(contains(zOut, "F ") && !contains(zOut, "//"));
    CHECK(st.nLoops == 1);
    free(zOut);
    free(zSlash);
  }
  free(zRoot);
}

static void walk_should_detect_deeper_symlink_loops(void) {
  char *zRoot = tmpPath("walk2");
  char *zOut;
  CtWalkStats st;
  mkDirRel("walk2");
  mkDirRel("walk2/a");
  mkDirRel("walk2/a/b");
  mkFile("walk2/a/b/x.json");
  mkLink("../../a", "walk2/a/b/up"); /* back to a: a loop */
  mkLink(".", "walk2/a/b/here");     /* b itself: a loop */
  mkLink("a", "walk2/same");         /* a again, but not a loop */
  mkLink("self.json", "walk2/self.json");
  zOut = walkAll(zRoot, &st);
  CHECK(filesSorted(zOut));
  CHECK(contains(zOut, "/walk2/a/b/x.json\n"));
  /* same is a, walked already: a repeat, not walked again. */
  CHECK(!contains(zOut, "/walk2/same/"));
  CHECKF(st.nDirRepeats == 1, ": nDirRepeats %lld", st.nDirRepeats);
  /* a/b/up, a/b/here. */
  CHECKF(st.nLoops == 2, ": nLoops %lld", st.nLoops);
  CHECKF(st.nDirs == 3, ": nDirs %lld", st.nDirs); /* walk2 a a/b */
  /* self.json is a link to itself: reported, and the walk goes on. */
  CHECK(contains(zOut, "/walk2/self.json: cannot stat"));
  free(zOut);
  free(zRoot);
}

static void walk_should_walk_each_glob_match(void) {
  char *zPat = tmpPath("walk3/g*");
  char *zRoot = tmpPath("walk3");
  char *zOut, *zWant;
  CtWalkStats st;
  mkDirRel("walk3");
  mkDirRel("walk3/g1");
  mkDirRel("walk3/g2");
  mkDirRel("walk3/g2/deep");
  mkDirRel("walk3/h");
  mkFile("walk3/g1/a.json");
  mkFile("walk3/g1/n.txt");
  mkFile("walk3/g2/b.json.gz");
  mkFile("walk3/g2/deep/c.json");
  mkFile("walk3/h/x.json");
  zOut = walkAll(zPat, &st);
  zWant = ctMprintf("F %s/g1/a.json\nF %s/g2/b.json.gz\nF %s/g2/deep/c.json\n",
                    zRoot, zRoot, zRoot);
  CHECKF(strcmp(zOut, zWant) == 0, ":\n--- got\n%s--- want\n%s", zOut, zWant);
  CHECKF(st.nIgnored == 1, ": nIgnored %lld", st.nIgnored);
  free(zOut);
  free(zWant);
  free(zPat);
  /* A pattern over files: names are still filtered. */
  zPat = tmpPath("walk3/g?/*");
  zOut = walkAll(zPat, &st);
  zWant = ctMprintf("F %s/g1/a.json\nF %s/g2/b.json.gz\nF %s/g2/deep/c.json\n",
                    zRoot, zRoot, zRoot);
  CHECKF(strcmp(zOut, zWant) == 0, ":\n--- got\n%s--- want\n%s", zOut, zWant);
  CHECKF(st.nIgnored == 1, ": nIgnored %lld", st.nIgnored);
  free(zOut);
  free(zWant);
  free(zPat);
  free(zRoot);
}

static void walk_should_report_missing_path(void) {
  char *zPath = tmpPath("does-not-exist");
  CtWalk *w = ctWalkOpen(zPath);
  const char *zFile = 0;
  char *zErr = 0;
  CHECK(ctWalkNext(w, &zFile, &zErr) == CT_WALK_ERROR);
  CHECK_CONTAINS(zErr, "no such file or directory");
  CHECK(zFile && strcmp(zFile, zPath) == 0);
  free(zErr);
  zErr = 0;
  CHECK(ctWalkNext(w, &zFile, &zErr) == CT_WALK_DONE);
  ctWalkClose(w);
  free(zPath);
}

static void walk_should_report_glob_without_match(void) {
  char *zPat = tmpPath("walk3/nomatch*");
  char *zOut = walkAll(zPat, 0);
  CHECKF(strncmp(zOut, "E ", 2) == 0 &&
             strchr(zOut, '\n') == zOut + strlen(zOut) - 1,
         ": %s", zOut);
  CHECK_CONTAINS(zOut, "no file or directory matches");
  free(zOut);
  free(zPat);
}

static void walk_should_return_file_named_directly_whatever_its_name(void) {
  char *zPath = tmpPath("walk4-notes.txt");
  char *zOut, *zWant;
  writeFile(zPath, "x", 1);
  zOut = walkAll(zPath, 0);
  zWant = ctMprintf("F %s\n", zPath);
  CHECK_STREQ(zOut, zWant);
  free(zOut);
  free(zWant);
  free(zPath);
  /* A digest named directly is read too (and fails later as not events). */
  mkDirRel("walk4");
  mkDirRel("walk4/CloudTrail-Digest");
  mkFile("walk4/CloudTrail-Digest/d.json");
  zPath = tmpPath("walk4/CloudTrail-Digest/d.json");
  zOut = walkAll(zPath, 0);
  zWant = ctMprintf("F %s\n", zPath);
  CHECK_STREQ(zOut, zWant);
  free(zOut);
  free(zWant);
  free(zPath);
}

static void walk_should_not_touch_disk_before_first_next(void) {
  char *zRoot = tmpPath("walk5");
  CtWalk *w = ctWalkOpen(zRoot); /* the folder does not exist yet */
  const char *zFile = 0;
  char *zErr = 0;
  char *zWant;
  mkDirRel("walk5");
  mkFile("walk5/late.json");
  zWant = ctMprintf("%s/late.json", zRoot);
  CHECK(ctWalkNext(w, &zFile, &zErr) == CT_WALK_FILE);
  CHECK(zFile && strcmp(zFile, zWant) == 0);
  CHECK(ctWalkNext(w, &zFile, &zErr) == CT_WALK_DONE);
  ctWalkClose(w);
  free(zWant);
  free(zRoot);
}

static void
walk_should_take_existing_path_with_glob_characters_literally(void) {
  char *zRoot = tmpPath("walk7/a[1]");
  char *zOut, *zWant;
  mkDirRel("walk7");
  mkDirRel("walk7/a[1]");
  mkDirRel("walk7/a1");
  mkFile("walk7/a[1]/x.json");
  mkFile("walk7/a1/y.json");
  zOut = walkAll(zRoot, 0);
  zWant = ctMprintf("F %s/x.json\n", zRoot);
  CHECK_STREQ(zOut, zWant);
  free(zOut);
  free(zWant);
  free(zRoot);
}

static void walk_is_log_name_should_match_suffixes_in_any_case(void) {
  static const struct {
    const char *z;
    int want;
  } a[] = {{"a.json", 1},
           {"a.JSON", 1},
           {"a.json.gz", 1},
           {"a.Json.GZ", 1},
           {"a.jsonl", 1},
           {"a.jsonl.gz", 1},
           {"a.ndjson", 1},
           {"a.NDJSON.gz", 1},
           {".json", 1},
           {"a.txt", 0},
           {"a.gz", 0},
           {"a.json.bak", 0},
           {"a.json.gz.1", 0},
           {"ajson", 0},
           {"a.jso", 0},
           {"a.json.zip", 0},
           {"", 0},
           {"a.csv.gz", 0}};
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    CHECKF(ctWalkIsLogName(a[i].z) == a[i].want, ": \"%s\"", a[i].z);
  }
}

static void walk_should_report_broken_link_to_log_and_go_on(void) {
  char *zRoot = tmpPath("walk6");
  char *zOut, *zWant;
  CtWalkStats st;
  mkDirRel("walk6");
  mkFile("walk6/a.json");
  mkLink("nowhere.json", "walk6/b.json");
  mkLink("nowhere.txt", "walk6/c.txt");
  mkFile("walk6/d.json");
  zOut = walkAll(zRoot, &st);
  zWant = ctMprintf("F %s/a.json\nE %s/b.json: cannot stat: No such file or "
                    "directory\nF %s/d.json\n",
                    zRoot, zRoot, zRoot);
  CHECKF(strcmp(zOut, zWant) == 0, ":\n--- got\n%s--- want\n%s", zOut, zWant);
  CHECKF(st.nIgnored == 1, ": nIgnored %lld", st.nIgnored);
  free(zOut);
  free(zWant);
  free(zRoot);
}

/* Only the "F " lines of a transcript (malloc'd). */
static char *fileLines(const char *zOut) {
  char *zRes = ctMprintf("%s", "");
  while (*zOut) {
    const char *zEol = strchr(zOut, '\n');
    size_t n = zEol ? (size_t)(zEol - zOut) + 1 : strlen(zOut);
    if (zOut[0] == 'F') {
      char *zNext = ctMprintf("%s%.*s", zRes, (int)n, zOut);
      free(zRes);
      zRes = zNext;
    }
    zOut += n;
  }
  return zRes;
}

/* What a walk of pattern zPat hands out, worked out from glob(3): each
** match in strcmp order ("." and ".." left out), a directory walked, a
** file kept if named like a log. Only the "F " lines. */
static char *walkByGlob(const char *zPat) {
  glob_t g;
  char *zRes = ctMprintf("%s", "");
  size_t i;
  memset(&g, 0, sizeof(g));
  if (glob(zPat, 0, 0, &g) == 0) {
    for (i = 0; i < g.gl_pathc; i++) {
      const char *z = g.gl_pathv[i];
      const char *zBase = strrchr(z, '/');
      struct stat st;
      char *zMore = 0, *zNext;
      zBase = zBase ? zBase + 1 : z;
      if (strcmp(zBase, ".") == 0 || strcmp(zBase, "..") == 0)
        continue;
      if (stat(z, &st) == 0 && S_ISDIR(st.st_mode)) {
        char *zOut = walkAll(z, 0);
        zMore = fileLines(zOut);
        free(zOut);
      } else if (ctWalkIsLogName(zBase)) {
        zMore = ctMprintf("F %s\n", z);
      }
      zNext = ctMprintf("%s%s", zRes, zMore ? zMore : "");
      free(zMore);
      free(zRes);
      zRes = zNext;
    }
  }
  globfree(&g);
  return zRes;
}

static void walk_should_match_patterns_as_glob_does(void) {
  static const char *const aPat[] = {"*",
                                     "g/*",
                                     "g/.*",
                                     "g*/*.json",
                                     "g/b\\[1\\].json",
                                     "g/c\\*.json",
                                     "g/?.json",
                                     "g/[ab]*",
                                     "*/sub/d.json",
                                     "g*/sub*",
                                     "g*/",
                                     "*/nomatch*",
                                     "g/[!a]*.json",
                                     "*/*/*",
                                     "g/sub/../a.json"};
  char *zCwd = getcwd(0, 0);
  char *zRoot = tmpPath("walk8");
  size_t i;
  int k;
  mkDirRel("walk8");
  mkDirRel("walk8/g");
  mkDirRel("walk8/g/sub");
  mkDirRel("walk8/g/sub2");
  mkDirRel("walk8/g2");
  mkDirRel("walk8/g2/sub");
  mkDirRel("walk8/g-x");
  mkFile("walk8/g/a.json");
  mkFile("walk8/g/.h.json");
  mkFile("walk8/g/b[1].json");
  mkFile("walk8/g/c*.json");
  mkFile("walk8/g/cc.json");
  mkFile("walk8/g/x.txt");
  mkFile("walk8/g/sub/d.json");
  mkFile("walk8/g/sub2/k.json");
  mkFile("walk8/g2/e.json");
  mkFile("walk8/g2/sub/d.json");
  mkFile("walk8/g-x/f.json");
  mkFile("walk8/top.json");
  /* Absolute patterns, then relative ones (from walk8). */
  for (k = 0; k < 2; k++) {
    if (k == 1)
      CHECK(chdir(zRoot) == 0);
    for (i = 0; i < sizeof(aPat) / sizeof(aPat[0]); i++) {
      char *zPat =
          k ? ctMprintf("%s", aPat[i]) : ctMprintf("%s/%s", zRoot, aPat[i]);
      char *zOut = walkAll(zPat, 0);
      char *zGot = fileLines(zOut);
      char *zWant = walkByGlob(zPat);
      CHECKF(strcmp(zGot, zWant) == 0, ": %s\n--- got\n%s--- want\n%s", zPat,
             zGot, zWant);
      if (zWant[0] == 0) /* no match, or no log file: one error */
        CHECKF(strncmp(zOut, "E ", 2) == 0, ": %s: %s", zPat, zOut);
      free(zPat);
      free(zOut);
      free(zGot);
      free(zWant);
    }
  }
  CHECK(chdir(zCwd) == 0);
  free(zCwd);
  free(zRoot);
}

static int stopNever(void *p) {
  (*(int *)p)++;
  return 0;
}

static int stopAlways(void *p) {
  (*(int *)p)++;
  return 1;
}

static void walk_should_stop_while_listing_or_matching(void) {
  char *zRoot = tmpPath("walk9/big");
  char *zPat = tmpPath("walk9/*/x*");
  const char *zPaths[2];
  int k, i;
  mkDirRel("walk9");
  mkDirRel("walk9/big");
  for (i = 0; i < 3000; i++) {
    char z[64];
    snprintf(z, sizeof(z), "walk9/big/f%05d", i);
    mkFile(z);
  }
  zPaths[0] = zRoot;
  zPaths[1] = zPat;
  for (k = 0; k < 2; k++) {
    CtWalk *w = ctWalkOpen(zPaths[k]);
    const char *zFile = 0;
    char *zErr = 0;
    int nAsked = 0;
    ctWalkSetStop(w, stopAlways, &nAsked);
    CHECK(ctWalkNext(w, &zFile, &zErr) == CT_WALK_STOPPED);
    CHECK(zFile == 0 && zErr == 0);
    CHECK(nAsked == 1);
    /* Stopped inside the listing (or the match): no directory read. */
    CHECKF(ctWalkStats(w)->nDirs == 0, ": %s: nDirs %lld", zPaths[k],
           ctWalkStats(w)->nDirs);
    CHECKF(ctWalkStats(w)->nIgnored == 0, ": %s: nIgnored %lld", zPaths[k],
           ctWalkStats(w)->nIgnored);
    /* And it stays stopped. */
    CHECK(ctWalkNext(w, &zFile, &zErr) == CT_WALK_STOPPED);
    ctWalkClose(w);
  }
  free(zRoot);
  free(zPat);
}

static void walk_should_sort_a_large_directory_while_checking_stop(void) {
  char *zRoot = tmpPath("walk9/big");
  char *zOut;
  CtWalk *w = ctWalkOpen(zRoot);
  const char *zFile = 0;
  char *zErr = 0;
  int nAsked = 0;
  /* Never stops, but asks: the merge sort of 3000 entries runs. */
  ctWalkSetStop(w, stopNever, &nAsked);
  ctWalkReportAll(w);
  for (;;) {
    int rc = ctWalkNext(w, &zFile, &zErr);
    static char zPrev[64];
    if (rc == CT_WALK_DONE)
      break;
    CHECK(rc == CT_WALK_IGNORED);
    if (rc != CT_WALK_IGNORED)
      break;
    CHECKF(strcmp(zPrev, zFile) < 0, ": %s after %s", zFile, zPrev);
    snprintf(zPrev, sizeof(zPrev), "%s", zFile);
  }
  CHECK(nAsked > 3000 / 256);
  CHECK(ctWalkStats(w)->nIgnored == 3000);
  ctWalkClose(w);
  zOut = walkAll(zRoot, 0);
  CHECK_CONTAINS(zOut, "no log files found (3000 files ignored by name, e.g. "
                       "f00000, f00001, f00002; names read: ");
  free(zOut);
  free(zRoot);
}

static void walk_should_take_each_file_once(void) {
  char *zRoot = tmpPath("walk10");
  char *zOut, *zWant, *z1, *z2;
  CtWalkStats st;
  mkDirRel("walk10");
  mkDirRel("walk10/d");
  mkFile("walk10/d/x.json");
  z1 = tmpPath("walk10/d/x.json");
  z2 = tmpPath("walk10/hard.json");
  CHECK(link(z1, z2) == 0);
  mkLink("d", "walk10/e");
  mkLink("d/x.json", "walk10/s.json");
  zOut = walkAll(zRoot, &st);
  zWant = ctMprintf("F %s/d/x.json\n", zRoot);
  CHECKF(strcmp(zOut, zWant) == 0, ":\n--- got\n%s--- want\n%s", zOut, zWant);
  CHECKF(st.nRepeats == 2, ": nRepeats %lld", st.nRepeats); /* hard, s */
  CHECKF(st.nDirRepeats == 1, ": nDirRepeats %lld", st.nDirRepeats); /* e */
  free(zOut);
  free(zWant);
  free(z1);
  free(z2);
  free(zRoot);
}

static void util_escape_name_should_escape_controls_and_bad_utf8(void) {
  static const struct {
    const char *zIn, *zOut;
  } a[] = {{"plain/a b%'\".json", "plain/a b%'\".json"},
           {"a\nb", "a\\nb"},
           {"t\tr\r", "t\\tr\\r"},
           {"\x01\x1f\x7f", "\\x01\\x1f\\x7f"},
           {"back\\slash", "back\\\\slash"},
           {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
           {"\xff\xfe", "\\xff\\xfe"},
           {"\xc2\x9b[31m", "\\xc2\\x9b[31m"},  /* C1 CSI */
           {"\xc3", "\\xc3"},                   /* cut short */
           {"\xed\xa0\x80", "\\xed\\xa0\\x80"}, /* a surrogate */
           {"\xc0\xaf", "\\xc0\\xaf"},          /* overlong */
           {"", ""}};
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    char *z = ctEscapeName(a[i].zIn);
    CHECKF(z && strcmp(z, a[i].zOut) == 0, ": %zu: %s", i, z ? z : "NULL");
    free(z);
  }
}

/* ------------------------------------------------------------------------ */
/* ct_pool: decoding on threads, handed back in order                       */
/* ------------------------------------------------------------------------ */

/* Submit n files (every 7th missing, every 5th pre-failed) to a pool of
** nThread threads (decoded files held up to maxHeld bytes) and check each
** comes back in order with its own events. */
static void poolRun(int nThread, size_t nCap, size_t maxHeld, int n) {
  CtFilter f;
  CtDecodeCfg cfg;
  CtPool *pool;
  int next = 0, taken = 0;
  char *zDir = tmpPath("pool");
  makeDir(zDir);
  free(zDir);
  ctFilterInit(&f);
  cfg.pFilter = &f;
  cfg.maxFileSize = 1u << 20;
  cfg.fieldMask = CT_FIELDS_ALL;
  pool = ctPoolNew(nThread, nCap, maxHeld, &cfg);
  CHECK(pool != 0);
  if (pool == 0)
    return;
  while (taken < n) {
    CtDecoded *d;
    while (next < n && ctPoolHasRoom(pool)) {
      char zName[64], zText[256];
      CtDecoded *p = calloc(1, sizeof(*p));
      snprintf(zName, sizeof(zName), "pool/f%04d.json", next);
      snprintf(zText, sizeof(zText),
               "{\"Records\":[{\"eventName\":\"E%d\"},{\"eventID\":\"%d\"}]}",
               next, next);
      p->zPath = writeTmp(zName, zText, strlen(zText));
      if (next % 7 == 3)
        unlink(p->zPath);
      if (next % 5 == 4) {
        p->status = CT_DEC_ERROR;
        p->zErr = ctMprintf("pre-failed %d", next);
      }
      CHECK(ctPoolSubmit(pool, p) == 0);
      next++;
    }
    d = ctPoolNext(pool);
    CHECK(d != 0);
    if (d == 0)
      break;
    if (taken % 5 == 4) {
      char zWant[32];
      snprintf(zWant, sizeof(zWant), "pre-failed %d", taken);
      CHECK(d->status == CT_DEC_ERROR && strcmp(d->zErr, zWant) == 0);
    } else if (taken % 7 == 3) {
      CHECK(d->status == CT_DEC_ERROR && strstr(d->zErr, "cannot open"));
    } else {
      char zWant[32];
      snprintf(zWant, sizeof(zWant), "\"E%d\"", taken);
      CHECK(d->status == CT_DEC_OK && d->recs.nRec == 2 && d->recs.aField != 0);
      if (d->status == CT_DEC_OK && d->recs.aField) {
        CtSpan v = d->recs.aField[CT_F_EVENT_NAME];
        CHECK(v.len == strlen(zWant) &&
              memcmp(d->data.buf + v.off, zWant, v.len) == 0);
      }
    }
    ctDecodedFree(d);
    taken++;
  }
  CHECK(ctPoolNext(pool) == 0);
  CHECK(ctPoolFree(pool) == 0);
  ctFilterFree(&f);
}

static void pool_should_hand_back_files_in_order_without_threads(void) {
  poolRun(0, 1, SIZE_MAX, 40);
}

static void pool_should_hand_back_files_in_order_with_threads(void) {
  poolRun(2, 4, SIZE_MAX, 200);
  poolRun(4, 8, SIZE_MAX, 200);
  poolRun(3, 1, SIZE_MAX, 50);
  /* A memory budget smaller than one file: still every file, in order. */
  poolRun(2, 8, 1, 100);
  poolRun(3, 16, 200, 100);
}

static void pool_should_count_files_read_ahead_for_nothing(void) {
  CtFilter f;
  CtDecodeCfg cfg;
  CtPool *pool;
  int i;
  size_t wasted;
  char *zDir = tmpPath("pool2");
  makeDir(zDir);
  free(zDir);
  ctFilterInit(&f);
  cfg.pFilter = &f;
  cfg.maxFileSize = 1u << 20;
  cfg.fieldMask = 0;
  pool = ctPoolNew(2, 4, SIZE_MAX, &cfg);
  for (i = 0; i < 4; i++) {
    CtDecoded *p = calloc(1, sizeof(*p));
    p->zPath = writeTmp("pool2/a.json", "{\"eventName\":\"A\"}", 16);
    CHECK(ctPoolSubmit(pool, p) == 0);
  }
  CHECK(!ctPoolHasRoom(pool));
  ctDecodedFree(ctPoolNext(pool)); /* take one, leave three */
  usleep(200000);                  /* let the workers finish theirs */
  wasted = ctPoolFree(pool);
  CHECK(wasted <= 3);
  ctFilterFree(&f);
}

/* Past the memory budget, workers start no file but the oldest: with a
** budget of 1 byte, two threads decode at most two files (the two they may
** have claimed before the first was done) however many are queued. */
static void pool_should_stop_reading_ahead_past_its_memory_budget(void) {
  CtFilter f;
  CtDecodeCfg cfg;
  CtPool *pool;
  int i;
  size_t wasted;
  char *zDir = tmpPath("pool3");
  makeDir(zDir);
  free(zDir);
  ctFilterInit(&f);
  cfg.pFilter = &f;
  cfg.maxFileSize = 1u << 20;
  cfg.fieldMask = 0;
  pool = ctPoolNew(2, 16, 1, &cfg);
  for (i = 0; i < 16; i++) {
    CtDecoded *p = calloc(1, sizeof(*p));
    char zName[32];
    snprintf(zName, sizeof(zName), "pool3/f%02d.json", i);
    p->zPath = writeTmp(zName, "{\"eventName\":\"A\"}", 17);
    CHECK(ctPoolSubmit(pool, p) == 0);
  }
  CHECK(ctPoolInFlight(pool) == 16);
  usleep(200000); /* let the workers do all they may */
  wasted = ctPoolFree(pool);
  CHECK(wasted <= 2);
  ctFilterFree(&f);
}

/* ------------------------------------------------------------------------ */
/* ct_buf: file buffers kept for reuse                                      */
/* ------------------------------------------------------------------------ */

#if defined(__SANITIZE_ADDRESS__)
#define UNIT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNIT_ASAN 1
#endif
#endif

/* Buffers are writable to their size; freed ones are kept (at most
** CT_BUF_CACHE of them, CT_BUF_CACHE_BYTES in all) and given again to a
** request they fit; ctBufTrim lets them go. Under ASan they are malloc'd and
** nothing is kept. */
static void buf_should_reuse_freed_buffers_within_bounds(void) {
  char *a[CT_BUF_CACHE + 4];
  size_t c[CT_BUF_CACHE + 4], cap = 0;
  char *p, *q;
  int i;
  ctBufTrim();
  p = ctBufAlloc(100000, &cap);
  CHECK(p != 0 && cap >= 100000);
  if (p == 0)
    return;
  memset(p, 'x', cap);
  ctBufFree(p, cap);
#ifdef UNIT_ASAN
  CHECK(ctBufCachedBytes() == 0);
#else
  CHECK(ctBufCachedBytes() == cap);
  q = ctBufAlloc(90000, &cap);
  CHECK(q == p); /* the kept one, as it fits */
  CHECK(ctBufCachedBytes() == 0);
  ctBufFree(q, cap);
#endif
  for (i = 0; i < CT_BUF_CACHE + 4; i++) {
    a[i] = ctBufAlloc(1000, &c[i]);
    CHECK(a[i] != 0 && c[i] >= 1000);
    if (a[i])
      memset(a[i], 'y', c[i]);
  }
  for (i = 0; i < CT_BUF_CACHE + 4; i++)
    ctBufFree(a[i], c[i]);
  CHECK(ctBufCachedBytes() <= CT_BUF_CACHE_BYTES);
#ifndef UNIT_ASAN
  CHECK(ctBufCachedBytes() >= (size_t)CT_BUF_CACHE * 1000);
#endif
  /* Larger than the whole cache: never kept. */
  ctBufTrim();
  q = ctBufAlloc(CT_BUF_CACHE_BYTES + 1, &cap);
  CHECK(q != 0);
  ctBufFree(q, cap);
  CHECK(ctBufCachedBytes() == 0);
  ctBufTrim();
  CHECK(ctBufCachedBytes() == 0);
}

/* The cache is the process's: while one scan (a pool) is alive, another
** scan's end (ctPoolFree, then ctBufTrim as a cursor's reset does) leaves
** the kept buffers for it; the last scan's end unmaps them. */
static void buf_should_keep_the_cache_while_another_scan_runs(void) {
  CtDecodeCfg cfg;
  CtPool *pA, *pB;
  size_t cap = 0;
  char *p;
  memset(&cfg, 0, sizeof(cfg));
  ctBufTrim();
  pA = ctPoolNew(0, 1, 1 << 20, &cfg);
  pB = ctPoolNew(0, 1, 1 << 20, &cfg);
  CHECK(pA != 0 && pB != 0);
  if (pA == 0 || pB == 0) {
    ctPoolFree(pA);
    ctPoolFree(pB);
    return;
  }
  p = ctBufAlloc(100000, &cap); /* a file of B's scan, freed: kept */
  CHECK(p != 0);
  ctBufFree(p, cap);
  ctPoolFree(pA); /* A's scan ends... */
  ctBufTrim();
#ifndef UNIT_ASAN
  CHECK(ctBufCachedBytes() == cap); /* ...and B's kept buffer stays */
  CHECK(ctBufMappedBytes() >= cap);
#endif
  ctPoolFree(pB); /* the last scan ends: nothing is kept */
  ctBufTrim();
  CHECK(ctBufCachedBytes() == 0);
  CHECK(ctBufMappedBytes() == 0);
}

/* ctGrow doubles from nFirst until the need fits, and refuses (changing
** nothing) a size that overflows; ctResize likewise. */
static void util_grow_should_double_and_refuse_overflow(void) {
  int *a = 0;
  size_t nAlloc = 0;
  CHECK(ctGrow(&a, &nAlloc, 1, sizeof(int), 16) == 0);
  CHECK(a != 0 && nAlloc == 16);
  if (a == 0)
    return;
  a[15] = 42;
  CHECK(ctGrow(&a, &nAlloc, 16, sizeof(int), 16) == 0 && nAlloc == 16);
  CHECK(ctGrow(&a, &nAlloc, 17, sizeof(int), 16) == 0 && nAlloc == 32);
  CHECK(ctGrow(&a, &nAlloc, 100, sizeof(int), 16) == 0 && nAlloc == 128);
  CHECK(a[15] == 42); /* content kept */
  {
    int *b = a;
    CHECK(ctGrow(&a, &nAlloc, (size_t)-1, sizeof(int), 16) == 1);
    CHECK(ctGrow(&a, &nAlloc, (size_t)-1 / 2, sizeof(int), 16) == 1);
    CHECK(ctResize(&a, (size_t)-1 / 2, sizeof(int)) == 1);
    CHECK(a == b && nAlloc == 128 && a[15] == 42);
  }
  a[0] = 7;
  CHECK(ctResize(&a, 3, sizeof(int)) == 0 && a[0] == 7);
  ctFree(a);
}

/* ------------------------------------------------------------------------ */
/* ct_filter: the byte search over parts of a text                          */
/* ------------------------------------------------------------------------ */

/* ctFilterPlacesMayMatch answers as ctFilterTextMayMatch on every part
** of random texts cut into random consecutive parts (two sets: eventName
** IN (ab, ba) and errorCode = bb), and declines where ctFilterTextMayMatch
** is the only exact test. */
static void filter_places_should_answer_as_the_text_search_on_parts(void) {
  CtFilter f;
  CtTextSet *s;
  unsigned seed = 99;
  int iter, bad = 0, nHits = 0;
  ctFilterInit(&f);
  s = ctFilterAddSet(&f, CT_F_EVENT_NAME, CT_MATCH_BINARY);
  CHECK(s && ctTextSetAdd(s, "ab", 2) == 0 && ctTextSetAdd(s, "ba", 2) == 0);
  s = ctFilterAddSet(&f, CT_F_ERROR_CODE, CT_MATCH_BINARY);
  CHECK(s && ctTextSetAdd(s, "bb", 2) == 0);
  ctFilterPrepare(&f);
  for (iter = 0; iter < 3000 && !bad; iter++) {
    char buf[200];
    size_t n, i, off;
    CtPlaces *h;
    seed = seed * 1103515245u + 12345u;
    n = (seed >> 8) % sizeof(buf);
    for (i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      buf[i] = "abbxxxxx"[(seed >> 16) % 8];
    }
    h = ctFilterPlacesNew(&f, buf, n);
    if (h == 0) {
      bad = 1;
      break;
    }
    for (off = 0; off < n && !bad;) {
      size_t len;
      seed = seed * 1103515245u + 12345u;
      len = 1 + (seed >> 8) % 12;
      if (len > n - off)
        len = n - off;
      if (ctFilterPlacesMayMatch(h, buf + off, len) !=
          ctFilterTextMayMatch(&f, buf + off, len)) {
        fprintf(stderr, "hits: %.*s at %zu+%zu\n", (int)n, buf, off, len);
        bad = 1;
      }
      nHits += ctFilterTextMayMatch(&f, buf + off, len);
      off += len;
    }
    ctFilterPlacesFree(h);
  }
  CHECK(!bad);
  CHECK(nHits > 100); /* parts that may match were met, not only others */
  /* An escape that could spell a value's letter: only the text search. */
  CHECK(ctFilterPlacesNew(&f, "\"\\u0061b\"", 9) == 0);
  /* Values too common to note every place of: only the text search. */
  {
    char dense[4000];
    size_t i;
    for (i = 0; i < sizeof(dense); i++)
      dense[i] = "ab"[i % 2];
    CHECK(ctFilterPlacesNew(&f, dense, sizeof(dense)) == 0);
  }
  ctFilterFree(&f);
  /* A NOCASE set: only the text search. */
  ctFilterInit(&f);
  s = ctFilterAddSet(&f, CT_F_EVENT_NAME, CT_MATCH_NOCASE);
  CHECK(s && ctTextSetAdd(s, "ab", 2) == 0);
  ctFilterPrepare(&f);
  CHECK(ctFilterPlacesNew(&f, "ab", 2) == 0);
  ctFilterFree(&f);
}

/* ------------------------------------------------------------------------ */
/* ct_filter: text comparisons as SQLite's collations make them, NUL and all */
/* ------------------------------------------------------------------------ */

static unsigned char sqliteLower(unsigned char c) {
  return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* SQLite's nocaseCollatingFunc (main.c): sqlite3StrNICmp (util.c) over the
** shorter length, which stops at a NUL of the left text, then the lengths. */
static int sqliteNocaseCmp(const char *zA, int nA, const char *zB, int nB) {
  const unsigned char *a = (const unsigned char *)zA;
  const unsigned char *b = (const unsigned char *)zB;
  int n = nA < nB ? nA : nB, r;
  while (n-- > 0 && *a != 0 && sqliteLower(*a) == sqliteLower(*b)) {
    a++;
    b++;
  }
  r = n < 0 ? 0 : sqliteLower(*a) - sqliteLower(*b);
  return r ? r : nA - nB;
}

/* BINARY and RTRIM (main.c): bytes, then lengths; RTRIM first drops
** trailing spaces. */
static int sqliteBinaryEq(const char *a, int nA, const char *b, int nB) {
  return nA == nB && memcmp(a, b, (size_t)nA) == 0;
}
static int sqliteRtrimEq(const char *a, int nA, const char *b, int nB) {
  while (nA > 0 && a[nA - 1] == ' ')
    nA--;
  while (nB > 0 && b[nB - 1] == ' ')
    nB--;
  return sqliteBinaryEq(a, nA, b, nB);
}

/* Every text of up to 3 characters of "aAb \0" as the value of a set and as
** an event's eventName (a NUL written \u0000, as JSON must): BINARY and
** NOCASE sets match exactly as SQLite's collations compare, the loose match
** of IN lists whenever BINARY, NOCASE or RTRIM says equal, and the byte
** searches that skip files and events never rule out a match. */
static void filter_should_compare_texts_with_nul_as_sqlite_collations(void) {
  static const char alpha[] = "aAb \0";
  char az[200][4];
  int an[200], nText = 0, len, i, j, m, bad = 0, nNocase = 0, nNul = 0;
  for (len = 0; len <= 3; len++) {
    int count = 1, k;
    for (k = 0; k < len; k++)
      count *= 5;
    for (k = 0; k < count; k++) {
      int x = k, c;
      for (c = 0; c < len; c++, x /= 5)
        az[nText][c] = alpha[x % 5];
      an[nText++] = len;
    }
  }
  CHECK(nText == 156);
  for (m = CT_MATCH_BINARY; m <= CT_MATCH_LOOSE; m++) {
    for (i = 0; i < nText && bad < 5; i++) {
      CtFilter f;
      CtTextSet *s;
      ctFilterInit(&f);
      s = ctFilterAddSet(&f, CT_F_EVENT_NAME, m);
      CHECK(s && ctTextSetAdd(s, az[i], (size_t)an[i]) == 0);
      ctFilterPrepare(&f);
      for (j = 0; j < nText && bad < 5; j++) {
        char buf[64];
        size_t n = 0;
        int k, got, binary, nocase, rtrim, want;
        CtSpan rec, aField[CT_NFIELD];
        CtPlaces *h;
        n += (size_t)sprintf(buf, "{\"eventName\":\"");
        for (k = 0; k < an[j]; k++) {
          if (az[j][k] == 0)
            n += (size_t)sprintf(buf + n, "\\u0000");
          else
            buf[n++] = az[j][k];
        }
        n += (size_t)sprintf(buf + n, "\"}");
        rec.off = 0;
        rec.len = n;
        ctEventIndex(buf, rec, aField);
        got = ctFilterRecord(&f, buf, aField, 0);
        binary = sqliteBinaryEq(az[i], an[i], az[j], an[j]);
        nocase = sqliteNocaseCmp(az[i], an[i], az[j], an[j]) == 0;
        rtrim = sqliteRtrimEq(az[i], an[i], az[j], an[j]);
        if (m == CT_MATCH_NOCASE && nocase && !binary) {
          nNocase++;
          for (k = 0; k < an[i]; k++) {
            if (sqliteLower((unsigned char)az[i][k]) !=
                sqliteLower((unsigned char)az[j][k])) {
              nNul++; /* equal only because nothing past a NUL counts */
              break;
            }
          }
        }
        want = m == CT_MATCH_BINARY   ? binary
               : m == CT_MATCH_NOCASE ? nocase
                                      : binary || nocase || rtrim;
        if (m == CT_MATCH_LOOSE ? want && !got : got != want) {
          fprintf(stderr, "match %d: value %d, event %s: %d\n", m, i, buf, got);
          bad++;
        }
        if (got && !ctFilterTextMayMatch(&f, buf, n)) {
          fprintf(stderr, "text search %d: value %d, event %s\n", m, i, buf);
          bad++;
        }
        h = ctFilterPlacesNew(&f, buf, n);
        if (h && got && !ctFilterPlacesMayMatch(h, buf, n)) {
          fprintf(stderr, "hits %d: value %d, event %s\n", m, i, buf);
          bad++;
        }
        ctFilterPlacesFree(h);
      }
      ctFilterFree(&f);
    }
  }
  CHECK(bad == 0);
  /* Pairs NOCASE equates that differ in bytes were met, and some that
  ** differ past a NUL. */
  CHECKF(nNocase > 500 && nNul > 100, ": %d, %d", nNocase, nNul);
}

/* ------------------------------------------------------------------------ */
/* ct_decode: rowids                                                        */
/* ------------------------------------------------------------------------ */

static void rowid_make_should_number_events_of_every_slot_apart(void) {
  static const int aSlot[] = {0, 1, 2, 126, 127};
  static const long long aFile[] = {0, 1, 77, (1LL << 24) - 1};
  static const uint64_t aIdx[] = {0, 1, 5, 0xffffffffu};
  int64_t seen[5 * 4 * 4], r = 0;
  int n = 0, a, b, c, i;
  /* Slot 0 is the documented rowid; the edges of each range. */
  CHECK(ctRowidMake(0, 3, 7, &r) == CT_ROWID_OK && r == (3LL << 32 | 7));
  CHECK(ctRowidMake(0, (1LL << 31) - 1, 0xffffffffu, &r) == CT_ROWID_OK &&
        r == INT64_MAX);
  CHECK(ctRowidMake(127, (1LL << 24) - 1, 0xffffffffu, &r) == CT_ROWID_OK &&
        r == INT64_MIN);
  CHECK(ctRowidMake(1, 0, 0, &r) == CT_ROWID_OK && r == -1 - (1LL << 56));
  CHECK(ctRowidMake(0, 1LL << 31, 0, &r) == CT_ROWID_FILE);
  CHECK(ctRowidMake(1, 1LL << 24, 0, &r) == CT_ROWID_FILE);
  CHECK(ctRowidMake(5, -1, 0, &r) == CT_ROWID_FILE);
  CHECK(ctRowidMake(0, 0, (uint64_t)1 << 32, &r) == CT_ROWID_INDEX);
  CHECK(ctRowidMake(127, 0, (uint64_t)1 << 32, &r) == CT_ROWID_INDEX);
  CHECK(ctRowidMake(CT_ROWID_SLOTS, 0, 0, &r) == CT_ROWID_SLOT);
  CHECK(ctRowidMake(-1, 0, 0, &r) == CT_ROWID_SLOT);
  /* Distinct everywhere; never CT_ROWID_NONE; the sign tells slot 0. */
  for (a = 0; a < 5; a++) {
    for (b = 0; b < 4; b++) {
      for (c = 0; c < 4; c++) {
        CHECK(ctRowidMake(aSlot[a], aFile[b], aIdx[c], &r) == CT_ROWID_OK);
        CHECK(r != CT_ROWID_NONE);
        CHECK(aSlot[a] == 0 ? r >= 0 : r < -(1LL << 56));
        for (i = 0; i < n; i++)
          CHECK(seen[i] != r);
        seen[n++] = r;
      }
    }
  }
}

/* ------------------------------------------------------------------------ */
/* ct_logname: what a CloudTrail file name says                             */
/* ------------------------------------------------------------------------ */

static void logname_should_parse_delivery_and_insight_names(void) {
  CtLogName n;
  CHECK(ctLogNameParse("/x/AWSLogs/218007301253/CloudTrail/us-east-1/2023/07/"
                       "10/218007301253_CloudTrail_us-east-1_20230710T1145Z_"
                       "7xgocspSowgK0Gto.json.gz",
                       &n));
  CHECK(strcmp(n.zAccount, "218007301253") == 0);
  CHECK(strcmp(n.zRegion, "us-east-1") == 0);
  CHECK(strcmp(n.zDelivery, "2023-07-10T11:45:00Z") == 0);
  CHECK(n.delivery.sec == 1688989500 && !n.isInsight);
  CHECK(ctLogNameParse("123456789012_CloudTrail-Insight_eu-west-1_"
                       "20240229T2355Z_abcdefghijklmnop.json",
                       &n));
  CHECK(n.isInsight && strcmp(n.zDelivery, "2024-02-29T23:55:00Z") == 0);
}

static void logname_should_reject_other_names(void) {
  static const char *const a[] = {
      "12345678901_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.json",
      "218007301253_CloudTrail_us-east-1_20230710T1145Z_short.json",
      "218007301253_CloudTrail_us-east-1_20230710T2400Z_7xgocspSowgK0Gto.json",
      "218007301253_CloudTrail_us-east-1_20230230T1145Z_7xgocspSowgK0Gto.json",
      "218007301253_CloudTrail_us-east-1_20230710T1160Z_7xgocspSowgK0Gto.json",
      "218007301253_CloudTrail_US-EAST-1_20230710T1145Z_7xgocspSowgK0Gto.json",
      "218007301253_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.jsonl",
      "218007301253_CloudTrail-Digest_us-east-1_x_20230710T1145Z.json",
      "export.json",
  };
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    CtLogName n;
    CHECKF(!ctLogNameParse(a[i], &n), ": \"%s\" parsed", a[i]);
  }
}

/* ------------------------------------------------------------------------ */
/* main                                                                     */
/* ------------------------------------------------------------------------ */

typedef struct Test {
  const char *zName;
  void (*xTest)(void);
} Test;
#define TEST(x)                                                                \
  { #x, x }
static const Test aTest[] = {
    TEST(util_mprintf_should_format_like_printf),
    TEST(util_mprintf_should_handle_long_output),
    TEST(util_ends_with_should_compare_suffixes_in_any_case),
    TEST(util_find_should_agree_with_a_naive_search),
    TEST(json_should_agree_with_cjson_on_table_of_texts),
    TEST(json_skip_should_end_where_validate_ends),
    TEST(json_bracket_end_should_end_where_validate_ends_on_table),
    TEST(json_bracket_end_should_end_where_validate_ends_on_random_texts),
    TEST(json_validate_should_report_end_of_first_value),
    TEST(json_should_reject_leading_zero_and_bare_dot_numbers),
    TEST(json_should_report_error_offsets_and_messages),
    TEST(json_should_reject_invalid_utf8_with_offset),
    TEST(json_should_accept_valid_utf8_boundaries),
    TEST(json_should_reject_nul_byte_in_string),
    TEST(json_should_reject_nul_byte_in_key_and_between_tokens),
    TEST(json_should_accept_10000_levels_of_nesting),
    TEST(json_should_reject_10001_levels_of_nesting),
    TEST(json_should_accept_10000_levels_of_objects),
    TEST(json_should_validate_value_at_nonzero_position),
    TEST(json_skip_should_handle_escaped_quotes_and_brackets),
    TEST(json_str_decode_should_match_cjson),
    TEST(json_str_decode_should_turn_lone_surrogates_into_fffd),
    TEST(json_str_decode_should_keep_escaped_nul),
    TEST(json_obj_get_should_return_first_of_duplicate_keys),
    TEST(json_obj_get_should_match_escaped_keys),
    TEST(json_obj_get_should_not_look_inside_nested_values),
    TEST(json_obj_get_should_return_nothing_for_non_objects),
    TEST(json_obj_next_should_walk_members_in_order),
    TEST(json_key_eq_should_decode_escapes),
    TEST(json_key_eq_should_handle_long_escaped_keys),
    TEST(json_fuzz_should_agree_with_cjson_and_stay_in_bounds),
    TEST(group_should_count_keys_and_sort_them_as_binary),
    TEST(group_should_order_keys_column_by_column),
    TEST(gz_should_round_trip_single_member),
    TEST(gz_should_round_trip_member_with_name_and_header_crc),
    TEST(gz_should_reject_header_crc_mismatch),
    TEST(gz_should_round_trip_three_concatenated_members),
    TEST(gz_should_give_zero_bytes_for_member_of_empty_content),
    TEST(gz_should_give_zero_bytes_for_empty_file),
    TEST(gz_should_reject_truncated_member),
    TEST(gz_should_reject_truncated_last_of_two_members),
    TEST(gz_should_reject_flipped_crc_byte),
    TEST(gz_should_reject_corrupt_deflate_data),
    TEST(gz_should_reject_trailing_garbage_with_offset),
    TEST(gz_should_reject_gz_name_with_plain_content),
    TEST(gz_should_return_plain_json_file_as_is),
    TEST(gz_should_inflate_by_content_whatever_the_name),
    TEST(gz_should_reject_inflating_past_max_bytes),
    TEST(gz_should_honour_max_bytes_exactly_at_every_size),
    TEST(gz_should_stop_a_gzip_bomb_at_max_bytes),
    TEST(gz_should_reject_plain_file_larger_than_max_bytes),
    TEST(gz_should_report_missing_file_as_cannot_open),
    TEST(gz_should_report_directory_as_error),
    TEST(gz_gunzip_should_work_on_memory),
    TEST(records_should_find_events_in_records_array),
    TEST(records_should_find_records_when_not_first_key),
    TEST(records_should_find_events_in_top_level_array),
    TEST(records_should_find_events_in_ndjson_with_crlf_and_blank_lines),
    TEST(records_should_take_single_event_object),
    TEST(records_should_handle_pretty_printed_file),
    TEST(records_should_give_zero_events_for_empty_text),
    TEST(records_should_skip_utf8_bom),
    TEST(records_should_reject_object_that_is_not_events),
    TEST(records_should_reject_records_that_is_not_an_array),
    TEST(records_should_reject_event_that_is_not_an_object),
    TEST(records_should_take_any_object_in_an_array_as_an_event),
    TEST(records_should_flatten_a_slurped_array_of_files),
    TEST(records_in_parts_should_match_one_pass),
    TEST(records_fields_should_equal_a_separate_index),
    TEST(records_should_reject_invalid_json_with_offset),
    TEST(records_should_fail_whole_ndjson_on_bad_second_line),
    TEST(time_should_parse_supported_forms),
    TEST(time_should_reject_invalid_texts),
    TEST(time_should_reject_offset_with_colon_but_no_minutes),
    TEST(time_format_should_round_trip),
    TEST(time_format_should_write_cloudtrail_form),
    TEST(time_days_from_civil_should_count_from_1970),
    TEST(time_collate_should_equate_date_with_midnight_utc),
    TEST(time_collate_should_order_instants),
    TEST(time_collate_should_sort_unparseable_before_times),
    TEST(time_collate_should_be_a_total_order),
    TEST(event_index_should_find_every_field),
    TEST(event_index_should_leave_absent_fields_empty),
    TEST(event_index_should_take_first_duplicate),
    TEST(event_index_should_find_escaped_keys),
    TEST(event_field_lookup_should_map_keys_to_fields),
    TEST(event_field_lookup_should_return_minus_one_for_unknown_key),
    TEST(walk_should_return_log_files_in_byte_order),
    TEST(walk_should_detect_deeper_symlink_loops),
    TEST(walk_should_walk_each_glob_match),
    TEST(walk_should_report_missing_path),
    TEST(walk_should_report_glob_without_match),
    TEST(walk_should_return_file_named_directly_whatever_its_name),
    TEST(walk_should_not_touch_disk_before_first_next),
    TEST(walk_should_take_existing_path_with_glob_characters_literally),
    TEST(walk_is_log_name_should_match_suffixes_in_any_case),
    TEST(walk_should_report_broken_link_to_log_and_go_on),
    TEST(walk_should_match_patterns_as_glob_does),
    TEST(walk_should_stop_while_listing_or_matching),
    TEST(walk_should_sort_a_large_directory_while_checking_stop),
    TEST(walk_should_take_each_file_once),
    TEST(util_escape_name_should_escape_controls_and_bad_utf8),
    TEST(pool_should_hand_back_files_in_order_without_threads),
    TEST(pool_should_hand_back_files_in_order_with_threads),
    TEST(pool_should_count_files_read_ahead_for_nothing),
    TEST(pool_should_stop_reading_ahead_past_its_memory_budget),
    TEST(filter_places_should_answer_as_the_text_search_on_parts),
    TEST(filter_should_compare_texts_with_nul_as_sqlite_collations),
    TEST(rowid_make_should_number_events_of_every_slot_apart),
    TEST(buf_should_reuse_freed_buffers_within_bounds),
    TEST(buf_should_keep_the_cache_while_another_scan_runs),
    TEST(util_grow_should_double_and_refuse_overflow),
    TEST(gz_fast_and_zlib_inflaters_should_agree),
    TEST(logname_should_parse_delivery_and_insight_names),
    TEST(logname_should_reject_other_names),
};

int main(int argc, char **argv) {
  size_t i;
  int nPass = 0, nFail = 0;
  (void)argv;
  if (argc > 1) {
    fprintf(stderr, "usage: unit (no arguments)\n");
    return 2;
  }
  strcpy(zTmp, "/tmp/ct-unit-XXXXXX");
  if (mkdtemp(zTmp) == 0) {
    fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
    return 2;
  }
  setvbuf(stdout, 0, _IOLBF, 0);
  for (i = 0; i < sizeof(aTest) / sizeof(aTest[0]); i++) {
    int ok;
    zTestName = aTest[i].zName;
    nCheckFail = 0;
    aTest[i].xTest();
    ok = nCheckFail == 0;
    if (ok) {
      nPass++;
    } else {
      nFail++;
      printf("FAIL %s\n", zTestName);
    }
  }
  rmTree(zTmp);
  printf("%d passed, %d failed\n", nPass, nFail);
  return nFail > 0;
}
