/*
** ct_idset.c - see ct_idset.h.
*/
#include "ct_idset.h"

#include "ct_util.h"

#include <string.h>

static size_t idHash(uint64_t dev, uint64_t ino) {
  uint64_t h = ino * 0x9e3779b97f4a7c15ULL ^ (dev + 0x632be59bd9b4e019ULL);
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 29;
  return (size_t)h;
}

int ctIdSetAdd(CtIdSet *s, uint64_t dev, uint64_t ino) {
  size_t i;
  if (dev == 0 && ino == 0) {
    int had = s->hasZero;
    s->hasZero = 1;
    return had;
  }
  if (s->n * 2 >= s->nSlot) {
    size_t nNew = s->nSlot ? s->nSlot * 2 : 256, k;
    CtId *aNew = ctCalloc(nNew, sizeof(CtId));
    if (aNew == 0)
      return -1;
    for (k = 0; k < s->nSlot; k++) {
      CtId *x = &s->a[k];
      if (x->dev == 0 && x->ino == 0)
        continue;
      for (i = idHash(x->dev, x->ino) & (nNew - 1);
           aNew[i].dev != 0 || aNew[i].ino != 0; i = (i + 1) & (nNew - 1)) {
      }
      aNew[i] = *x;
    }
    ctFree(s->a);
    s->a = aNew;
    s->nSlot = nNew;
  }
  for (i = idHash(dev, ino) & (s->nSlot - 1);
       s->a[i].dev != 0 || s->a[i].ino != 0; i = (i + 1) & (s->nSlot - 1)) {
    if (s->a[i].dev == dev && s->a[i].ino == ino)
      return 1;
  }
  s->a[i].dev = dev;
  s->a[i].ino = ino;
  s->n++;
  return 0;
}

void ctIdSetFree(CtIdSet *s) {
  ctFree(s->a);
  memset(s, 0, sizeof(*s));
}
