/*
** tests/unit/json.c - ct_json: the JSON scanner on a table of texts
** against cJSON, where values end, error offsets and messages, UTF-8,
** NUL bytes, nesting, string decoding and member lookup.
**
** cJSON (Debian's libcjson 1.7.15) is the independent reference. Where
** cJSON departs from RFC 8259 by design (it is lenient about leading zeros,
** "1.", raw control bytes, bad \u hex digits and invalid UTF-8, and strict
** about lone surrogate escapes and nesting over 1000), the tests say so and
** assert our strict behaviour instead.
*/
#include "helpers.h"

#include "ct_json.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* ct_json: helpers                                                         */
/* ------------------------------------------------------------------------ */

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

const Test aUnitJson[] = {
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
    {0, 0},
};
