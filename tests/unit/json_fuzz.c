/*
** tests/unit/json_fuzz.c - ct_json: differential fuzzing. Seed texts
** mutated byte by byte (fixed seed) are judged by the scanner, by cJSON
** and by a strict RFC 8259 oracle written here; every text is an
** exact-size copy, so ASan catches a read past its end.
*/
#include "helpers.h"

#include "ct_event.h"
#include "ct_json.h"
#include "ct_records.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
      ** delimiter follows, as in any accepted document: ctJsonUnsafeValueEnd
      *takes
      ** "truefalse" whole. Containers and strings end right regardless.) */
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
         *ctJsonUnsafeValueEnd
         ** steps over) are the children cJSON sees. */
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

const Test aUnitJsonFuzz[] = {
    TEST(json_fuzz_should_agree_with_cjson_and_stay_in_bounds),
    {0, 0},
};
