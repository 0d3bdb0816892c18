/*
** ct_idset.h - a set of file identities, (device, inode) pairs: what the
** walk (ct_walk.c) has handed out or opened, so that nothing is taken
** twice (hard links, links, overlapping pattern matches). No SQLite.
**
** Open addressing with linear probing in a power-of-two table, grown to
** keep it at most half full; (0, 0) is held aside, as it marks an empty
** slot. A zeroed CtIdSet is empty; ctIdSetFree empties it again.
*/
#ifndef CT_IDSET_H
#define CT_IDSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct CtId {
  uint64_t dev, ino;
} CtId;

typedef struct CtIdSet {
  CtId *a;      /* Slots; (0, 0) is empty */
  size_t nSlot; /* Slots allocated (a power of two) */
  size_t n;     /* Pairs held */
  int hasZero;  /* The pair (0, 0) is held */
} CtIdSet;

/* Add (dev, ino) to the set. Returns 0 if it was new, 1 if it was there
** already, -1 on out of memory (the set is unchanged). */
int ctIdSetAdd(CtIdSet *s, uint64_t dev, uint64_t ino);

/* Free the set's memory; it is empty again. */
void ctIdSetFree(CtIdSet *s);

#endif /* CT_IDSET_H */
