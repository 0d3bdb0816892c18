/*
** tests/unit/inflate.c - ct_inflate: gzip members made by zlib here,
** round trips, concatenated and empty members, truncation, corruption,
** trailing garbage, the max-bytes limit at every size, plain files read
** as they are, and libdeflate against zlib.
*/
#include "helpers.h"

#include "ct_inflate.h"
#include "ct_util.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define ZLIB_CONST
#include <zlib.h>

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

const Test aUnitInflate[] = {
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
    TEST(gz_fast_and_zlib_inflaters_should_agree),
    {0, 0},
};
