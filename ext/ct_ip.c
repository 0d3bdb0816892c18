/*
** ct_ip.c - IP addresses and CIDR blocks (the grammar and the membership
** rule are in ct_ip.h). Our own strict parser, not inet_pton: the text has
** a length and may hold NUL bytes, and the rules (no leading zeros in IPv4,
** no zone id) are ours to state.
*/
#include "ct_ip.h"

#include <string.h>

static int ctIpSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int ctIpHex(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Dotted IPv4 z[0..n) into a[0..4). */
static int ctIpParse4(const char *z, size_t n, unsigned char *a) {
  size_t i = 0;
  int part;
  for (part = 0; part < 4; part++) {
    unsigned v = 0;
    size_t nDigit = 0;
    if (part > 0) {
      if (i >= n || z[i] != '.')
        return 0;
      i++;
    }
    while (i < n && z[i] >= '0' && z[i] <= '9') {
      if (nDigit == 3 || (nDigit == 1 && v == 0))
        return 0; /* Too long, or a leading zero */
      v = v * 10 + (unsigned)(z[i] - '0');
      nDigit++;
      i++;
    }
    if (nDigit == 0 || v > 255)
      return 0;
    a[part] = (unsigned char)v;
  }
  return i == n;
}

/* IPv6 text z[0..n) into a[0..16). */
static int ctIpParse6(const char *z, size_t n, unsigned char *a) {
  unsigned char b[16];
  size_t i = 0;
  int nByte = 0; /* Bytes written to b */
  int iGap = -1; /* Where "::" stood, in bytes, or -1 */
  memset(b, 0, sizeof(b));
  if (n >= 2 && z[0] == ':' && z[1] == ':') {
    iGap = 0;
    i = 2;
  } else if (n >= 1 && z[0] == ':') {
    return 0;
  }
  while (i < n) {
    size_t j = i;
    unsigned v = 0;
    int h;
    while (j < n && j - i < 5 && (h = ctIpHex(z[j])) >= 0) {
      v = v * 16 + (unsigned)h;
      j++;
    }
    if (j < n && z[j] == '.') {
      /* The IPv4 tail: the rest of the text, two groups' room. */
      if (nByte > 12 || !ctIpParse4(z + i, n - i, b + nByte))
        return 0;
      nByte += 4;
      i = n;
      break;
    }
    if (j == i || j - i > 4 || nByte == 16)
      return 0;
    b[nByte++] = (unsigned char)(v >> 8);
    b[nByte++] = (unsigned char)(v & 0xff);
    i = j;
    if (i == n)
      break;
    if (z[i] != ':')
      return 0;
    i++;
    if (i < n && z[i] == ':') {
      if (iGap >= 0)
        return 0; /* A second "::" */
      iGap = nByte;
      i++;
    } else if (i == n) {
      return 0; /* A single ':' at the end */
    }
  }
  if (iGap < 0) {
    if (nByte != 16)
      return 0;
    memcpy(a, b, 16);
  } else {
    int nAfter = nByte - iGap;
    if (nByte > 14)
      return 0; /* "::" stands for at least one group */
    memset(a, 0, 16);
    memcpy(a, b, (size_t)iGap);
    memcpy(a + 16 - nAfter, b + iGap, (size_t)nAfter);
  }
  return 1;
}

/* Parse z[0..n), already trimmed. */
static int ctIpParseTrimmed(const char *z, size_t n, CtIp *p) {
  size_t i;
  for (i = 0; i < n && z[i] != ':'; i++) {
  }
  if (i == n) {
    memset(p->a, 0, 10);
    p->a[10] = p->a[11] = 0xff;
    p->family = CT_IP_V4;
    return ctIpParse4(z, n, p->a + 12);
  }
  p->family = CT_IP_V6;
  return ctIpParse6(z, n, p->a);
}

static void ctIpTrim(const char **pz, size_t *pn) {
  const char *z = *pz;
  size_t n = *pn;
  while (n > 0 && ctIpSpace(z[0])) {
    z++;
    n--;
  }
  while (n > 0 && ctIpSpace(z[n - 1]))
    n--;
  *pz = z;
  *pn = n;
}

int ctIpParse(const char *z, size_t n, CtIp *p) {
  ctIpTrim(&z, &n);
  return ctIpParseTrimmed(z, n, p);
}

int ctIpParseBlock(const char *z, size_t n, CtIpBlock *p, const char **pzWhy) {
  const char *zSlash;
  size_t nAddr, i;
  int nMax;
  ctIpTrim(&z, &n);
  zSlash = n ? memchr(z, '/', n) : 0;
  nAddr = zSlash ? (size_t)(zSlash - z) : n;
  if (!ctIpParseTrimmed(z, nAddr, &p->base)) {
    *pzWhy = "not an IPv4 or IPv6 address before the prefix length";
    return 0;
  }
  nMax = p->base.family == CT_IP_V4 ? 32 : 128;
  if (zSlash == 0) {
    p->nBits = nMax;
    return 1;
  }
  if (nAddr + 1 == n) {
    *pzWhy = "no prefix length after the '/'";
    return 0;
  }
  p->nBits = 0;
  for (i = nAddr + 1; i < n; i++) {
    if (z[i] < '0' || z[i] > '9') {
      *pzWhy = "the prefix length is not a decimal number";
      return 0;
    }
    if (p->nBits <= nMax)
      p->nBits = p->nBits * 10 + (z[i] - '0');
  }
  if (p->nBits > nMax) {
    *pzWhy = nMax == 32 ? "the prefix length of an IPv4 block is 0 to 32"
                        : "the prefix length of an IPv6 block is 0 to 128";
    return 0;
  }
  return 1;
}

int ctIpInBlock(const CtIp *pIp, const CtIpBlock *pBlock) {
  int nBits = pBlock->nBits;
  int i;
  if (pBlock->base.family == CT_IP_V4) {
    nBits += 96; /* Both are ::ffff:a.b.c.d; mapped IPv6 matches too */
  } else if (pIp->family != CT_IP_V6) {
    return 0;
  }
  for (i = 0; nBits >= 8; i++, nBits -= 8) {
    if (pIp->a[i] != pBlock->base.a[i])
      return 0;
  }
  if (nBits > 0) {
    unsigned mask = (0xffu << (8 - nBits)) & 0xffu;
    if (((pIp->a[i] ^ pBlock->base.a[i]) & mask) != 0)
      return 0;
  }
  return 1;
}
