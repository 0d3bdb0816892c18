/*
** ct_filter.c - see ct_filter.h.
*/
#include "ct_filter.h"

#include "ct_util.h"

#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Length of z[0..n) without its trailing spaces. */
static size_t rtrimLen(const char *z, size_t n) {
  while (n > 0 && z[n - 1] == ' ')
    n--;
  return n;
}

/* What CT_MATCH_LOOSE compares of z[0..n): the bytes before the first NUL,
** without trailing spaces (see setHas). */
static size_t looseLen(const char *z, size_t n) {
  const char *nul = memchr(z, 0, n);
  return rtrimLen(z, nul ? (size_t)(nul - z) : n);
}

void ctFilterInit(CtFilter *f) {
  memset(f, 0, sizeof(*f));
  f->maxDelay = -1;
}

void ctFilterFree(CtFilter *f) {
  int i, j;
  for (i = 0; i < f->nSet; i++) {
    for (j = 0; j < f->aSet[i].n; j++)
      ctFree(f->aSet[i].az[j]);
    ctFree(f->aSet[i].az);
    ctFree(f->aSet[i].an);
  }
  ctFree(f->aSet);
  ctFilterInit(f);
}

int ctFilterAddTime(CtFilter *f, int isDelivery, int op, const char *z,
                    size_t n) {
  CtTimeBound *a = isDelivery ? f->aDelivery : f->aTime;
  int *pn = isDelivery ? &f->nDelivery : &f->nTime;
  CtInstant t;
  if (*pn >= CT_MAX_BOUNDS || !ctTimeParse(z, n, &t))
    return 0;
  a[*pn].op = op;
  a[*pn].t = t;
  (*pn)++;
  return 1;
}

CtTextSet *ctFilterAddSet(CtFilter *f, int iField, int match) {
  CtTextSet *s;
  if (f->nSet == INT_MAX || ctGrow(&f->aSet, &f->nSetAlloc, (size_t)f->nSet + 1,
                                   sizeof(CtTextSet), 4))
    return 0;
  s = &f->aSet[f->nSet++];
  memset(s, 0, sizeof(*s));
  s->iField = iField;
  s->match = match;
  return s;
}

void ctFilterDropLastSet(CtFilter *f) {
  CtTextSet *s;
  int j;
  if (f->nSet == 0)
    return;
  s = &f->aSet[--f->nSet];
  for (j = 0; j < s->n; j++)
    ctFree(s->az[j]);
  ctFree(s->az);
  ctFree(s->an);
}

int ctTextSetAdd(CtTextSet *s, const char *z, size_t n) {
  if (s->match == CT_MATCH_LOOSE)
    n = looseLen(z, n);
  if (s->n == s->nAlloc) {
    size_t m = (size_t)s->nAlloc, m2 = m;
    if (m >= INT_MAX / 2 || ctGrow(&s->az, &m, m + 1, sizeof(char *), 4) ||
        ctGrow(&s->an, &m2, m2 + 1, sizeof(size_t), 4))
      return 1;
    s->nAlloc = (int)m;
  }
  s->az[s->n] = ctMalloc(n + 1);
  if (s->az[s->n] == 0)
    return 1;
  memcpy(s->az[s->n], z, n);
  s->az[s->n][n] = 0;
  s->an[s->n] = n;
  s->n++;
  return 0;
}

static unsigned char fold(char c) {
  unsigned char x = (unsigned char)c;
  return x >= 'A' && x <= 'Z' ? (unsigned char)(x + 32) : x;
}

/* a[0..n) and b[0..n) equal with ASCII letters folded. */
static int foldEq(const char *a, const char *b, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    if (fold(a[i]) != fold(b[i]))
      return 0;
  }
  return 1;
}

/*
** SQLite's NOCASE equality of two texts of n bytes each. Its collating
** function compares with sqlite3StrNICmp over the shorter length, which
** stops at a NUL, then the lengths: so texts are equal when their lengths
** are, and they agree, ASCII letters folded, up to and including a first
** NUL; nothing after it counts ("a\0X" equals "a\0Y", not "a\0").
*/
static int nocaseEq(const char *a, const char *b, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    unsigned char x = fold(a[i]);
    if (x != fold(b[i]))
      return 0;
    if (x == 0)
      return 1;
  }
  return 1;
}

/*
** Is z[0..n) in s? BINARY compares bytes, NOCASE as SQLite (nocaseEq).
** LOOSE must hold whenever any built-in collation says equal: BINARY,
** NOCASE, or RTRIM (trailing spaces ignored). Its values are stored cut at
** their first NUL and trimmed (looseLen), and so is z before comparing,
** letters folded: texts that NOCASE finds equal agree up to a shared first
** NUL; texts RTRIM finds equal, up to the same first NUL or, without one,
** up to trailing spaces.
*/
static int setHas(const CtTextSet *s, const char *z, size_t n) {
  int i;
  if (s->match == CT_MATCH_LOOSE)
    n = looseLen(z, n);
  for (i = 0; i < s->n; i++) {
    int eq;
    if (s->an[i] != n)
      continue;
    switch (s->match) {
    case CT_MATCH_BINARY:
      eq = memcmp(s->az[i], z, n) == 0;
      break;
    case CT_MATCH_NOCASE:
      eq = nocaseEq(s->az[i], z, n);
      break;
    default:
      eq = foldEq(s->az[i], z, n);
      break;
    }
    if (eq)
      return 1;
  }
  return 0;
}

/* memmem with ASCII letters folded. */
static int hasNoCase(const char *buf, size_t len, const char *z, size_t n) {
  char lo, up;
  int k;
  if (n == 0)
    return 1;
  lo = up = z[0];
  if (lo >= 'A' && lo <= 'Z')
    lo = (char)(lo + 32);
  if (up >= 'a' && up <= 'z')
    up = (char)(up - 32);
  for (k = 0; k < 2; k++) {
    const char *p = buf, *end = buf + len;
    char c = k ? up : lo;
    if (k && up == lo)
      break;
    while ((size_t)(end - p) >= n &&
           (p = memchr(p, c, (size_t)(end - p))) != 0) {
      if ((size_t)(end - p) >= n && foldEq(p, z, n))
        return 1;
      p++;
    }
  }
  return 0;
}

/* Does instant t (NULL: a text that is not a time) satisfy b? Texts that are
** not times sort before every time (see ct_time.h). */
static int boundHolds(const CtTimeBound *b, const CtInstant *t) {
  int c = t ? ctInstantCmp(t, &b->t) : -1;
  switch (b->op) {
  case CT_OP_EQ:
    return c == 0;
  case CT_OP_GT:
    return c > 0;
  case CT_OP_GE:
    return c >= 0;
  case CT_OP_LT:
    return c < 0;
  default:
    return c <= 0;
  }
}

int ctFilterFile(const CtFilter *f, const CtLogName *pName) {
  int i;
  for (i = 0; i < f->nSet; i++) {
    const CtTextSet *s = &f->aSet[i];
    const char *z;
    if (s->iField >= 0)
      continue;
    if (pName == 0)
      return 0; /* the column is NULL: = matches nothing */
    z = s->iField == CT_SRC_LOG_ACCOUNT ? pName->zAccount : pName->zRegion;
    if (!setHas(s, z, strlen(z)))
      return 0;
  }
  for (i = 0; i < f->nDelivery; i++) {
    if (pName == 0 || !boundHolds(&f->aDelivery[i], &pName->delivery)) {
      return 0;
    }
  }
  if (pName == 0 || pName->isInsight)
    return 1;
  for (i = 0; i < f->nTime; i++) {
    const CtTimeBound *b = &f->aTime[i];
    /* Every event of the file is before this instant. */
    CtInstant latest = {pName->delivery.sec + 60 + CT_DELIVERY_MARGIN, 0};
    /* ... and, given max_delay, at or after this one. */
    CtInstant earliest = {pName->delivery.sec - f->maxDelay, 0};
    if (b->op == CT_OP_EQ || b->op == CT_OP_GT || b->op == CT_OP_GE) {
      if (ctInstantCmp(&latest, &b->t) <= 0)
        return 0;
    }
    if (f->maxDelay >= 0 &&
        (b->op == CT_OP_EQ || b->op == CT_OP_LT || b->op == CT_OP_LE)) {
      int c = ctInstantCmp(&earliest, &b->t);
      if (c > 0 || (c == 0 && b->op == CT_OP_LT))
        return 0;
    }
  }
  return 1;
}

void ctFilterPrepare(CtFilter *f) {
  int i, j;
  size_t k;
  memset(f->aChar, 0, sizeof(f->aChar));
  f->nonAscii = 0;
  for (i = 0; i < f->nSet; i++) {
    const CtTextSet *s = &f->aSet[i];
    const char *zKey;
    if (s->iField < 0)
      continue;
    zKey = ctFieldKey(s->iField);
    for (k = 0; zKey[k]; k++)
      f->aChar[(unsigned char)zKey[k] & 0x7f] = 1;
    if (s->match == CT_MATCH_LOOSE)
      f->aChar[' '] = 1; /* trailing spaces are ignored */
    for (j = 0; j < s->n; j++) {
      for (k = 0; k < s->an[j]; k++) {
        unsigned char c = (unsigned char)s->az[j][k];
        if (c >= 0x80) {
          f->nonAscii = 1;
          continue;
        }
        f->aChar[c] = 1;
        if (s->match && c >= 'a' && c <= 'z')
          f->aChar[c - 32] = 1;
        if (s->match && c >= 'A' && c <= 'Z')
          f->aChar[c + 32] = 1;
      }
    }
  }
}

static int hexDigit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Could an escape in buf stand for a character of a set's key or value?
** Backslashes appear only inside strings in valid JSON; each starts an
** escape of 2 bytes, or 6 for \uXXXX. */
static int escapeMayMatter(const CtFilter *f, const char *buf, size_t len) {
  const char *p = buf, *end = buf + len;
  while ((p = memchr(p, '\\', (size_t)(end - p))) != 0) {
    unsigned code;
    if (end - p < 2)
      return 1;
    switch (p[1]) {
    case 'u': {
      int a, b, c, d;
      if (end - p < 6 || (a = hexDigit(p[2])) < 0 || (b = hexDigit(p[3])) < 0 ||
          (c = hexDigit(p[4])) < 0 || (d = hexDigit(p[5])) < 0) {
        return 1; /* not JSON: let the parser say so */
      }
      code = (unsigned)(a << 12 | b << 8 | c << 4 | d);
      p += 6;
      break;
    }
    case 'n':
      code = '\n';
      p += 2;
      break;
    case 't':
      code = '\t';
      p += 2;
      break;
    case 'r':
      code = '\r';
      p += 2;
      break;
    case 'b':
      code = '\b';
      p += 2;
      break;
    case 'f':
      code = '\f';
      p += 2;
      break;
    default:
      code = (unsigned char)p[1];
      p += 2;
      break;
    }
    if (code >= 0x80 ? f->nonAscii : f->aChar[code])
      return 1;
  }
  return 0;
}

/* 0 if, for some set on an event field, none of its values occurs in
** buf[0..len) as bytes. */
static int hasBytes(const CtFilter *f, const char *buf, size_t len) {
  int i, j;
  for (i = 0; i < f->nSet; i++) {
    const CtTextSet *s = &f->aSet[i];
    int found = 0;
    if (s->iField < 0)
      continue;
    for (j = 0; j < s->n && !found; j++) {
      found = s->match ? hasNoCase(buf, len, s->az[j], s->an[j])
                       : ctFind(buf, len, s->az[j], s->an[j]) != 0;
    }
    if (!found)
      return 0;
  }
  return 1;
}

/*
** A set whose values all fail a byte search can still match through
** escapes: "Console\u004cogin" is ConsoleLogin. But an escape inside a
** string puts its character into the decoded text; if no escape in the file
** stands for a character of the field's key or of a value, every key and
** value that could match is written plainly, and the byte search is exact.
** NUL too: a value with a NUL matches (BINARY or NOCASE) only a text with a
** NUL at the same place, which JSON can only write as the escape \u0000, of
** a character of the value; LOOSE values are searched for without their
** NUL and what follows it, as they are compared (setHas).
*/
int ctFilterTextMayMatch(const CtFilter *f, const char *buf, size_t len) {
  return hasBytes(f, buf, len) || escapeMayMatter(f, buf, len);
}

/* The places of one value of a set in a text, in order. */
typedef struct CtPlaceList {
  int iSet;  /* Its set in f->aSet */
  size_t k;  /* The value's length */
  size_t *a; /* Offsets where it occurs */
  size_t n;  /* Number of them */
  size_t c;  /* The first that may lie in the next span */
} CtPlaceList;

struct CtPlaces {
  const char *buf;                         /* The text */
  int nList;                               /* Lists in use */
  CtPlaceList aList[CT_PLACES_MAX_VALUES]; /* One per value, grouped by set */
};

void ctFilterPlacesFree(CtPlaces *h) {
  int i;
  if (h == 0)
    return;
  for (i = 0; i < h->nList; i++)
    ctFree(h->aList[i].a);
  ctFree(h);
}

CtPlaces *ctFilterPlacesNew(const CtFilter *f, const char *buf, size_t len) {
  CtPlaces *h;
  size_t nHits = 0, maxHits;
  int i, j;
  if (ctFilterTextValues(f) > CT_PLACES_MAX_VALUES ||
      escapeMayMatter(f, buf, len))
    return 0;
  for (i = 0; i < f->nSet; i++) {
    const CtTextSet *s = &f->aSet[i];
    if (s->iField < 0)
      continue;
    if (s->match != CT_MATCH_BINARY)
      return 0;
    for (j = 0; j < s->n; j++) {
      if (s->an[j] == 0)
        return 0;
    }
  }
  h = ctCalloc(1, sizeof(*h));
  if (h == 0)
    return 0;
  h->buf = buf;
  /* Memory: 8 bytes a place, at most one place for 32 bytes of text. */
  maxHits = len / 32 + 64;
  for (i = 0; i < f->nSet; i++) {
    const CtTextSet *s = &f->aSet[i];
    if (s->iField < 0)
      continue;
    for (j = 0; j < s->n; j++) {
      CtPlaceList *l = &h->aList[h->nList++];
      size_t nAlloc = 0, pos = 0;
      const char *q;
      l->iSet = i;
      l->k = s->an[j];
      while ((q = ctFind(buf + pos, len - pos, s->az[j], l->k)) != 0) {
        if (++nHits > maxHits) {
          ctFilterPlacesFree(h); /* a common value: the text search pays */
          return 0;
        }
        if (ctGrow(&l->a, &nAlloc, l->n + 1, sizeof(size_t), 16)) {
          ctFilterPlacesFree(h);
          return 0;
        }
        l->a[l->n++] = (size_t)(q - buf);
        pos = (size_t)(q - buf) + 1;
      }
    }
  }
  return h;
}

int ctFilterPlacesMayMatch(CtPlaces *h, const char *z, size_t n) {
  size_t off = (size_t)(z - h->buf);
  int i = 0;
  while (i < h->nList) {
    int iSet = h->aList[i].iSet, found = 0;
    for (; i < h->nList && h->aList[i].iSet == iSet; i++) {
      CtPlaceList *l = &h->aList[i];
      while (l->c < l->n && l->a[l->c] < off)
        l->c++;
      if (l->c < l->n && l->a[l->c] + l->k <= off + n)
        found = 1;
    }
    if (!found)
      return 0;
  }
  return 1;
}

int ctFilterTextValues(const CtFilter *f) {
  int i, n = 0;
  for (i = 0; i < f->nSet; i++) {
    if (f->aSet[i].iField >= 0)
      n += f->aSet[i].n;
  }
  return n;
}

/* The text a TEXT column shows for value v (ctEventText, the columns'
** own rule): 0 for NULL; else 1 with *pz, *pn set; -1 out of memory. */
static int fieldText(const char *buf, CtSpan v, char *scratch, size_t nScratch,
                     const char **pz, size_t *pn, char **pFree) {
  return ctEventText(buf, v, scratch, nScratch, pz, pn, pFree);
}

/* Would SQLite's numeric affinity turn z into a number? Spaces around,
** a sign, digits with one '.', an exponent. */
static int looksNumeric(const char *z, size_t n) {
  size_t i = 0, e;
  int digits = 0;
  while (i < n && z[i] == ' ')
    i++;
  if (i < n && (z[i] == '+' || z[i] == '-'))
    i++;
  while (i < n && z[i] >= '0' && z[i] <= '9') {
    i++;
    digits++;
  }
  if (i < n && z[i] == '.') {
    i++;
    while (i < n && z[i] >= '0' && z[i] <= '9') {
      i++;
      digits++;
    }
  }
  if (digits == 0)
    return 0;
  if (i < n && (z[i] == 'e' || z[i] == 'E')) {
    i++;
    if (i < n && (z[i] == '+' || z[i] == '-'))
      i++;
    e = i;
    while (i < n && z[i] >= '0' && z[i] <= '9')
      i++;
    if (i == e)
      return 0;
  }
  while (i < n && z[i] == ' ')
    i++;
  return i == n;
}

int ctFilterHasRecordTests(const CtFilter *f) {
  int i;
  if (f->nTime > 0)
    return 1;
  for (i = 0; i < f->nSet; i++) {
    if (f->aSet[i].iField >= 0)
      return 1;
  }
  return 0;
}

unsigned ctFilterFieldMask(const CtFilter *f) {
  unsigned m = 0;
  int i;
  if (f->nTime > 0)
    m |= 1u << CT_F_EVENT_TIME;
  for (i = 0; i < f->nSet; i++) {
    if (f->aSet[i].iField >= 0)
      m |= 1u << f->aSet[i].iField;
  }
  return m;
}

/* Field iField of aField (slots aSlot, or one per field if NULL). */
#define FIELD(iField) (aField[aSlot ? aSlot[iField] : (iField)])

int ctFilterRecord(const CtFilter *f, const char *buf, const CtSpan *aField,
                   const signed char *aSlot) {
  char scratch[256];
  const char *z;
  size_t n;
  char *pFree;
  int i, rc;
  for (i = 0; i < f->nSet; i++) {
    const CtTextSet *s = &f->aSet[i];
    int ok;
    if (s->iField < 0)
      continue;
    rc = fieldText(buf, FIELD(s->iField), scratch, sizeof(scratch), &z, &n,
                   &pFree);
    if (rc < 0)
      return 1; /* out of memory: keep it, SQLite checks again */
    ok = rc > 0 && setHas(s, z, n);
    ctFree(pFree);
    if (!ok)
      return 0;
  }
  if (f->nTime > 0) {
    CtInstant t;
    int isTime;
    rc = fieldText(buf, FIELD(CT_F_EVENT_TIME), scratch, sizeof(scratch), &z,
                   &n, &pFree);
    if (rc < 0)
      return 1;
    if (rc == 0)
      return 0; /* NULL eventTime meets no bound */
    if (looksNumeric(z, n)) {
      ctFree(pFree);
      return 1; /* SQLite may compare it as a number: let it decide */
    }
    isTime = ctTimeParse(z, n, &t);
    ctFree(pFree);
    for (i = 0; i < f->nTime; i++) {
      if (!boundHolds(&f->aTime[i], isTime ? &t : 0))
        return 0;
    }
  }
  return 1;
}
