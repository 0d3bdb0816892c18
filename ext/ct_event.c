/*
** ct_event.c - see ct_event.h.
**
** Key lookup: a fixed open-addressing table of field numbers, hashed on the
** key's length and its bytes, filled once (pthread_once: cursors on many
** threads may ask at the same time).
*/
#include "ct_event.h"

#include "ct_util.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#define CT_FIELD_KEY(e, k, t) k,
static const char *const aKey[] = {CT_FIELDS(CT_FIELD_KEY)};
#undef CT_FIELD_KEY
#define CT_FIELD_KIND(e, k, t) t,
static const int aKind[] = {CT_FIELDS(CT_FIELD_KIND)};
#undef CT_FIELD_KIND

#define CT_HASH_SIZE 256                /* power of two, > 4 * CT_NFIELD */
static signed char aHash[CT_HASH_SIZE]; /* field number, or -1 */
static size_t aKeyLen[CT_NFIELD];       /* strlen(aKey[i]) */
static pthread_once_t hashOnce = PTHREAD_ONCE_INIT;

/* A cheap hash of a key: its length and three of its bytes. */
static unsigned hashKey(const char *z, size_t n) {
  if (n == 0)
    return 0;
  return ((unsigned)n * 31u + (unsigned char)z[0] * 7u +
          (unsigned char)z[n - 1] * 13u + (unsigned char)z[n / 2]) &
         (CT_HASH_SIZE - 1);
}

static void buildHash(void) {
  int i;
  memset(aHash, -1, sizeof(aHash));
  for (i = 0; i < CT_NFIELD; i++) {
    unsigned h;
    aKeyLen[i] = strlen(aKey[i]);
    h = hashKey(aKey[i], aKeyLen[i]);
    while (aHash[h] >= 0)
      h = (h + 1) & (CT_HASH_SIZE - 1);
    aHash[h] = (signed char)i;
  }
}

const char *ctFieldKey(int i) { return aKey[i]; }
int ctFieldKind(int i) { return aKind[i]; }

/* memcmp(a, b, n) == 0 for short keys, without a call: two overlapping
** 8-byte words cover keys of 8 to 16 bytes. */
static int keyEq(const char *a, const char *b, size_t n) {
  if (n >= 8 && n <= 16) {
    uint64_t x, y, u, v;
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    memcpy(&u, a + n - 8, 8);
    memcpy(&v, b + n - 8, 8);
    return x == y && u == v;
  }
  return memcmp(a, b, n) == 0;
}

static int lookupPlain(const char *z, size_t n) {
  unsigned h = hashKey(z, n);
  while (aHash[h] >= 0) {
    int f = aHash[h];
    if (aKeyLen[f] == n && keyEq(aKey[f], z, n))
      return f;
    h = (h + 1) & (CT_HASH_SIZE - 1);
  }
  return -1;
}

int ctFieldLookup(const char *buf, CtSpan key) {
  int f;
  pthread_once(&hashOnce, buildHash);
  if (key.len < 2)
    return -1;
  /* Known keys have no escapes: a plain match is final. */
  f = lookupPlain(buf + key.off + 1, key.len - 2);
  if (f >= 0 || !ctJsonStrHasEscape(buf, key))
    return f;
  {
    char tmp[256];
    size_t n;
    if (key.len > sizeof(tmp))
      return -1; /* no field name is that long */
    n = ctJsonUnsafeStrDecode(buf, key, tmp);
    return lookupPlain(tmp, n);
  }
}

void ctEventIndex(const char *buf, CtSpan rec, CtSpan *aField) {
  size_t pos = rec.off;
  size_t end = rec.off + rec.len;
  CtSpan k, v;
  memset(aField, 0, sizeof(CtSpan) * CT_NFIELD);
  while (ctJsonUnsafeObjNext(buf, end, &pos, &k, &v)) {
    int f = ctFieldLookup(buf, k);
    if (f >= 0 && aField[f].len == 0)
      aField[f] = v;
  }
}

int ctEventText(const char *buf, CtSpan v, char *scratch, size_t nScratch,
                const char **pz, size_t *pn, char **pzFree) {
  *pzFree = 0;
  if (v.len == 0 || buf[v.off] == 'n')
    return 0;
  if (buf[v.off] != '"') {
    *pz = buf + v.off;
    *pn = v.len;
  } else if (!ctJsonStrHasEscape(buf, v)) {
    *pz = buf + v.off + 1;
    *pn = v.len - 2;
  } else {
    char *out = scratch;
    if (v.len > nScratch) {
      out = *pzFree = ctMalloc(v.len);
      if (out == 0)
        return -1;
    }
    *pn = ctJsonUnsafeStrDecode(buf, v, out);
    *pz = out;
  }
  return 1;
}
