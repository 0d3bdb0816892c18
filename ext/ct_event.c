/*
** ct_event.c - see ct_event.h.
**
** Key lookup: a fixed open-addressing table of field numbers, hashed on the
** key's length and its bytes, filled once (pthread_once: cursors on many
** threads may ask at the same time).
*/
#include "ct_event.h"

#include <pthread.h>
#include <string.h>

#define CT_FIELD_KEY(e, k, t) k,
static const char *const aKey[] = {CT_FIELDS(CT_FIELD_KEY)};
#undef CT_FIELD_KEY
#define CT_FIELD_KIND(e, k, t) t,
static const int aKind[] = {CT_FIELDS(CT_FIELD_KIND)};
#undef CT_FIELD_KIND

#define CT_HASH_SIZE 128 /* power of two, > 2 * CT_NFIELD */
static signed char aHash[CT_HASH_SIZE];
static pthread_once_t hashOnce = PTHREAD_ONCE_INIT;

static unsigned hashKey(const char *z, size_t n) {
  unsigned h = 2166136261u;
  size_t i;
  for (i = 0; i < n; i++)
    h = (h ^ (unsigned char)z[i]) * 16777619u;
  return h;
}

static void buildHash(void) {
  int i;
  memset(aHash, -1, sizeof(aHash));
  for (i = 0; i < CT_NFIELD; i++) {
    unsigned h = hashKey(aKey[i], strlen(aKey[i])) & (CT_HASH_SIZE - 1);
    while (aHash[h] >= 0)
      h = (h + 1) & (CT_HASH_SIZE - 1);
    aHash[h] = (signed char)i;
  }
}

const char *ctFieldKey(int i) { return aKey[i]; }
int ctFieldKind(int i) { return aKind[i]; }

static int lookupPlain(const char *z, size_t n) {
  unsigned h = hashKey(z, n) & (CT_HASH_SIZE - 1);
  while (aHash[h] >= 0) {
    const char *k = aKey[(int)aHash[h]];
    if (strlen(k) == n && memcmp(k, z, n) == 0)
      return aHash[h];
    h = (h + 1) & (CT_HASH_SIZE - 1);
  }
  return -1;
}

int ctFieldLookup(const char *buf, CtSpan key) {
  pthread_once(&hashOnce, buildHash);
  if (key.len < 2)
    return -1;
  if (ctJsonStrHasEscape(buf, key)) {
    char tmp[256];
    size_t n;
    if (key.len > sizeof(tmp))
      return -1; /* no field name is that long */
    n = ctJsonStrDecode(buf, key, tmp);
    return lookupPlain(tmp, n);
  }
  return lookupPlain(buf + key.off + 1, key.len - 2);
}

void ctEventIndex(const char *buf, CtSpan rec, CtSpan *aField) {
  size_t pos = rec.off;
  size_t end = rec.off + rec.len;
  CtSpan k, v;
  memset(aField, 0, sizeof(CtSpan) * CT_NFIELD);
  while (ctJsonObjNext(buf, end, &pos, &k, &v)) {
    int f = ctFieldLookup(buf, k);
    if (f >= 0 && aField[f].len == 0)
      aField[f] = v;
  }
}
