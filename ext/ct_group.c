/*
** ct_group.c - see ct_group.h.
**
** Keys are stored serialized in one arena (per column: a tag byte, 0 for
** NULL or 1 for text, then for text its length as a size_t and its bytes),
** with an open-addressing hash table of key numbers over them.
*/
#include "ct_group.h"
#include "ct_util.h"

#include <stdlib.h>
#include <string.h>

typedef struct Key {
  uint64_t hash;
  size_t off; /* Serialized key in the arena */
  size_t len; /* Its length */
  int64_t nRow;
  int64_t *aRow;    /* rowids in the order added, a run of consecutive
                    ** ones as its first and minus the number after it */
  size_t nEnt;      /* entries used in aRow */
  size_t nRowAlloc; /* slots in aRow */
  int64_t iLast;    /* the last rowid added */
  size_t iEnt;      /* ctGroupRowid's place: a run's first entry, */
  int64_t iOff;     /* ... the offset in the run, */
  int64_t iRow;     /* ... and the row number there */
  const char *p;    /* arena + off, set by ctGroupSort */
} Key;

struct CtGroup {
  int nCol;
  Key *aKey;
  size_t nKey, nKeyAlloc;
  uint32_t *aSlot; /* key number + 1, or 0 for empty */
  size_t nSlot;    /* power of two, at least twice nKey */
  char *arena;
  size_t nArena, nArenaAlloc;
  char *tmp; /* the key being added, serialized */
  size_t nTmpAlloc;
};

CtGroup *ctGroupNew(int nCol) {
  CtGroup *g;
  if (nCol < 1 || nCol > CT_GROUP_MAXCOL)
    return 0;
  g = ctCalloc(1, sizeof(*g));
  if (g == 0)
    return 0;
  g->nCol = nCol;
  g->nSlot = 64;
  g->aSlot = ctCalloc(g->nSlot, sizeof(uint32_t));
  if (g->aSlot == 0) {
    ctFree(g);
    return 0;
  }
  return g;
}

void ctGroupFree(CtGroup *g) {
  size_t i;
  if (g == 0)
    return;
  for (i = 0; i < g->nKey; i++)
    ctFree(g->aKey[i].aRow);
  ctFree(g->aKey);
  ctFree(g->aSlot);
  ctFree(g->arena);
  ctFree(g->tmp);
  ctFree(g);
}

/* FNV-1a, 64-bit. */
static uint64_t hashBytes(const char *z, size_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  size_t i;
  for (i = 0; i < n; i++) {
    h ^= (unsigned char)z[i];
    h *= 0x100000001b3ull;
  }
  return h;
}

/* Make room for n more bytes in *pBuf (of *pAlloc bytes, *pUsed used). */
static int reserve(char **pBuf, size_t *pAlloc, size_t used, size_t n) {
  if (used + n < used)
    return 1;
  return ctGrow(pBuf, pAlloc, used + n, 1, 256);
}

static int growSlots(CtGroup *g) {
  size_t n = g->nSlot * 2, i;
  uint32_t *a = ctCalloc(n, sizeof(uint32_t));
  if (a == 0)
    return 1;
  for (i = 0; i < g->nKey; i++) {
    size_t h = (size_t)g->aKey[i].hash & (n - 1);
    while (a[h])
      h = (h + 1) & (n - 1);
    a[h] = (uint32_t)(i + 1);
  }
  ctFree(g->aSlot);
  g->aSlot = a;
  g->nSlot = n;
  return 0;
}

/* Append a row's rowid to key k: one more in a run of consecutive rowids
** (such as a file's events that all have the key) costs nothing. */
static int addRow(Key *k, int64_t rowid) {
  if (k->nEnt > 0 && rowid == k->iLast + 1 && k->aRow[k->nEnt - 1] < 0) {
    k->aRow[k->nEnt - 1]--;
    k->iLast = rowid;
    k->nRow++;
    return 0;
  }
  if (ctGrow(&k->aRow, &k->nRowAlloc, k->nEnt + 1, sizeof(int64_t), 4))
    return 1;
  k->aRow[k->nEnt] = k->nEnt > 0 && rowid == k->iLast + 1 ? -1 : rowid;
  k->nEnt++;
  k->iLast = rowid;
  k->nRow++;
  return 0;
}

int ctGroupAdd(CtGroup *g, const CtGroupVal *a, int64_t rowid) {
  size_t n = 0, h;
  int i;
  uint64_t hash;
  /* Serialize the key into tmp. */
  for (i = 0; i < g->nCol; i++) {
    size_t need = 1 + (a[i].z ? sizeof(size_t) + a[i].n : 0);
    if (reserve(&g->tmp, &g->nTmpAlloc, n, need))
      return 1;
    g->tmp[n++] = a[i].z ? 1 : 0;
    if (a[i].z) {
      memcpy(g->tmp + n, &a[i].n, sizeof(size_t));
      n += sizeof(size_t);
      if (a[i].n)
        memcpy(g->tmp + n, a[i].z, a[i].n);
      n += a[i].n;
    }
  }
  hash = hashBytes(g->tmp, n);
  h = (size_t)hash & (g->nSlot - 1);
  while (g->aSlot[h]) {
    Key *k = &g->aKey[g->aSlot[h] - 1];
    if (k->hash == hash && k->len == n &&
        memcmp(g->arena + k->off, g->tmp, n) == 0) {
      return addRow(k, rowid);
    }
    h = (h + 1) & (g->nSlot - 1);
  }
  /* A new key. */
  if (g->nKey >= UINT32_MAX - 1)
    return 1;
  if (ctGrow(&g->aKey, &g->nKeyAlloc, g->nKey + 1, sizeof(Key), 64))
    return 1;
  if (reserve(&g->arena, &g->nArenaAlloc, g->nArena, n))
    return 1;
  memcpy(g->arena + g->nArena, g->tmp, n);
  memset(&g->aKey[g->nKey], 0, sizeof(Key));
  g->aKey[g->nKey].hash = hash;
  g->aKey[g->nKey].off = g->nArena;
  g->aKey[g->nKey].len = n;
  if (addRow(&g->aKey[g->nKey], rowid))
    return 1;
  g->aKey[g->nKey].p = 0;
  g->nArena += n;
  g->aSlot[h] = (uint32_t)(g->nKey + 1);
  g->nKey++;
  if (g->nKey * 2 > g->nSlot)
    return growSlots(g);
  return 0;
}

/* Read one column's value at *pp of a serialized key; step past it. */
static CtGroupVal nextValue(const char **pp) {
  const char *p = *pp;
  CtGroupVal v;
  v.z = 0;
  v.n = 0;
  if (*p++) {
    memcpy(&v.n, p, sizeof(size_t));
    p += sizeof(size_t);
    v.z = p;
    p += v.n;
  }
  *pp = p;
  return v;
}

/* Both keys have the same columns: compare until a's bytes are used. */
static int cmpKey(const void *pa, const void *pb) {
  const Key *a = pa, *b = pb;
  const char *p = a->p, *q = b->p, *end = a->p + a->len;
  while (p < end) {
    CtGroupVal x = nextValue(&p), y = nextValue(&q);
    int c;
    if (x.z == 0 || y.z == 0) {
      if (x.z != y.z)
        return x.z == 0 ? -1 : 1;
      continue;
    }
    c = x.n && y.n ? memcmp(x.z, y.z, x.n < y.n ? x.n : y.n) : 0;
    if (c)
      return c;
    if (x.n != y.n)
      return x.n < y.n ? -1 : 1;
  }
  return 0;
}

void ctGroupSort(CtGroup *g) {
  size_t i;
  for (i = 0; i < g->nKey; i++)
    g->aKey[i].p = g->arena + g->aKey[i].off;
  ctFree(g->aSlot); /* no more adds */
  g->aSlot = 0;
  g->nSlot = 0;
  if (g->nKey > 1)
    qsort(g->aKey, g->nKey, sizeof(Key), cmpKey);
}

size_t ctGroupCount(const CtGroup *g) { return g->nKey; }

CtGroupVal ctGroupValue(const CtGroup *g, size_t i, int iCol) {
  const char *p = g->aKey[i].p;
  CtGroupVal v = nextValue(&p);
  while (iCol-- > 0)
    v = nextValue(&p);
  return v;
}

int64_t ctGroupRows(const CtGroup *g, size_t i) { return g->aKey[i].nRow; }

/* Entries of the run at entry e: its first rowid and the count after. */
static int64_t runMore(const Key *k, size_t e) {
  return e + 1 < k->nEnt && k->aRow[e + 1] < 0 ? -k->aRow[e + 1] : 0;
}

int64_t ctGroupRowid(CtGroup *g, size_t i, int64_t j) {
  Key *k = &g->aKey[i];
  if (j < k->iRow) {
    k->iEnt = 0;
    k->iOff = 0;
    k->iRow = 0;
  }
  while (k->iRow < j) {
    int64_t more = runMore(k, k->iEnt);
    if (k->iOff < more) {
      k->iOff++;
    } else {
      k->iEnt += more > 0 ? 2 : 1;
      k->iOff = 0;
    }
    k->iRow++;
  }
  return k->aRow[k->iEnt] + k->iOff;
}
