/*
** fuzz_inflate.c - libFuzzer target for the gzip reader (ct_inflate).
**
** The input is the bytes of a file. Both inflaters run on it: the fast one
** (libdeflate when built with it) and the zlib one. They must agree on
** success or failure and, on success, on every output byte; the output must
** respect the size limit. Any crash, leak or sanitizer report is a finding.
*/
#include "ct_inflate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_MAX_OUT ((size_t)1 << 20) /* a small limit: bombs hit it fast */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *out1 = 0, *out2 = 0, *err1 = 0, *err2 = 0;
  size_t len1 = 0, len2 = 0;
  /* The limit varies with the input so both sides of it are reached. */
  size_t limit;
  int rc1, rc2;
  /* ctLoadFile hands only bytes with the gzip magic to the inflaters. */
  if (size < 4 || data[0] != 0x1f || data[1] != 0x8b)
    return 0;
  limit = FUZZ_MAX_OUT >> (data[size - 1] & 15);
  rc1 = ctGunzip(data, size, limit, &out1, &len1, &err1);
  rc2 = ctGunzipZlib(data, size, limit, &out2, &len2, &err2);
  if ((rc1 == 0) != (rc2 == 0))
    abort();
  if (rc1 == 0) {
    if (len1 != len2 || len1 > limit)
      abort();
    if (len1 && memcmp(out1, out2, len1) != 0)
      abort();
    if (out1[len1] != 0)
      abort(); /* promised NUL terminator */
  } else if (err1 == 0 || err2 == 0 || err1[0] == 0) {
    abort(); /* a failure always says why */
  }
  free(out1);
  free(out2);
  free(err1);
  free(err2);
  return 0;
}
