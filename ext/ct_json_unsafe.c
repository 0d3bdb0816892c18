/*
** ct_json_unsafe.c - reading JSON text that ct_json.c has validated: the
** end of a value, an object's members, a key's comparison, a string's
** decoded text (see ct_json.h). Every function but ctJsonStrHasEscape
** needs validated input (the "Unsafe" in its name): given other text it
** returns nonsense, but never reads outside buf[0..len).
*/
#include "ct_json.h"
#include "ct_util.h"

#include <string.h>

/* JSON's whitespace. */
static int isWs(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Offset just past the closing quote of the string token at buf[pos]. */
static size_t strEnd(const char *buf, size_t len, size_t pos) {
  const char *p = buf + pos + 1;
  const char *end = buf + len;
  for (;;) {
    const char *q = memchr(p, '"', (size_t)(end - p));
    const char *b;
    if (q == 0)
      return len;
    b = q;
    while (b > p && b[-1] == '\\')
      b--;
    if (((q - b) & 1) == 0)
      return (size_t)(q - buf) + 1;
    p = q + 1;
  }
}

size_t ctJsonUnsafeValueEnd(const char *buf, size_t len, size_t pos) {
  char c = buf[pos];
  if (c == '"')
    return strEnd(buf, len, pos);
  if (c == '{' || c == '[') {
    size_t depth = 0;
    while (pos < len) {
      c = buf[pos];
      if (c == '"') {
        pos = strEnd(buf, len, pos);
        continue;
      }
      if (c == '{' || c == '[')
        depth++;
      else if (c == '}' || c == ']') {
        if (--depth == 0)
          return pos + 1;
      }
      pos++;
    }
    return len;
  }
  while (pos < len) {
    c = buf[pos];
    if (c == ',' || c == '}' || c == ']' || isWs((unsigned char)c))
      break;
    pos++;
  }
  return pos;
}

int ctJsonUnsafeObjNext(const char *buf, size_t len, size_t *pPos, CtSpan *pKey,
                        CtSpan *pVal) {
  size_t pos = *pPos;
  if (pos < len && buf[pos] == '{')
    pos++;
  pos = ctJsonSpaceEnd(buf, len, pos);
  if (pos < len && buf[pos] == ',')
    pos = ctJsonSpaceEnd(buf, len, pos + 1);
  if (pos >= len || buf[pos] != '"') {
    *pPos = pos;
    return 0;
  }
  pKey->off = pos;
  pos = strEnd(buf, len, pos);
  pKey->len = pos - pKey->off;
  pos = ctJsonSpaceEnd(buf, len, pos);
  if (pos < len && buf[pos] == ':')
    pos++;
  pos = ctJsonSpaceEnd(buf, len, pos);
  pVal->off = pos;
  pos = ctJsonUnsafeValueEnd(buf, len, pos);
  pVal->len = pos - pVal->off;
  *pPos = pos;
  return 1;
}

int ctJsonStrHasEscape(const char *buf, CtSpan tok) {
  return tok.len > 2 && memchr(buf + tok.off + 1, '\\', tok.len - 2) != 0;
}

int ctJsonUnsafeKeyEq(const char *buf, CtSpan key, const char *z, size_t n) {
  char tmp[512];
  char *dec = tmp;
  size_t m;
  int eq;
  if (key.len < 2)
    return 0;
  if (!ctJsonStrHasEscape(buf, key)) {
    return key.len - 2 == n && memcmp(buf + key.off + 1, z, n) == 0;
  }
  /* Each decoded byte takes at most 6 input bytes; longer keys cannot match. */
  if (key.len - 2 > 6 * n)
    return 0;
  if (key.len > sizeof(tmp)) {
    dec = ctMalloc(key.len);
    if (dec == 0)
      return 0;
  }
  m = ctJsonUnsafeStrDecode(buf, key, dec);
  eq = m == n && memcmp(dec, z, n) == 0;
  if (dec != tmp)
    ctFree(dec);
  return eq;
}

CtSpan ctJsonUnsafeObjGet(const char *buf, CtSpan obj, const char *z,
                          size_t n) {
  CtSpan k, v, none = {0, 0};
  size_t pos = obj.off;
  size_t end = obj.off + obj.len;
  if (obj.len == 0 || buf[pos] != '{')
    return none;
  while (ctJsonUnsafeObjNext(buf, end, &pos, &k, &v)) {
    if (ctJsonUnsafeKeyEq(buf, k, z, n))
      return v;
  }
  return none;
}

static unsigned hexVal(char c) {
  if (c >= '0' && c <= '9')
    return (unsigned)(c - '0');
  if (c >= 'a' && c <= 'f')
    return (unsigned)(c - 'a' + 10);
  return (unsigned)(c - 'A' + 10);
}

static unsigned hex4(const char *z) {
  return (hexVal(z[0]) << 12) | (hexVal(z[1]) << 8) | (hexVal(z[2]) << 4) |
         hexVal(z[3]);
}

static size_t putUtf8(char *out, unsigned c) {
  if (c < 0x80) {
    out[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    out[0] = (char)(0xC0 | (c >> 6));
    out[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = (char)(0xE0 | (c >> 12));
    out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (c >> 18));
  out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
  out[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

size_t ctJsonUnsafeStrDecode(const char *buf, CtSpan tok, char *out) {
  const char *z = buf + tok.off + 1;
  const char *end = buf + tok.off + tok.len - 1;
  size_t n = 0;
  while (z < end) {
    const char *bs = memchr(z, '\\', (size_t)(end - z));
    size_t plain = (size_t)((bs ? bs : end) - z);
    memcpy(out + n, z, plain);
    n += plain;
    z += plain;
    if (bs == 0)
      break;
    switch (z[1]) {
    case 'b':
      out[n++] = '\b';
      z += 2;
      break;
    case 'f':
      out[n++] = '\f';
      z += 2;
      break;
    case 'n':
      out[n++] = '\n';
      z += 2;
      break;
    case 'r':
      out[n++] = '\r';
      z += 2;
      break;
    case 't':
      out[n++] = '\t';
      z += 2;
      break;
    case 'u': {
      unsigned c = hex4(z + 2);
      z += 6;
      if (c >= 0xD800 && c <= 0xDBFF) {
        if (end - z >= 6 && z[0] == '\\' && z[1] == 'u') {
          unsigned lo = hex4(z + 2);
          if (lo >= 0xDC00 && lo <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00);
            z += 6;
          } else
            c = 0xFFFD;
        } else
          c = 0xFFFD;
      } else if (c >= 0xDC00 && c <= 0xDFFF) {
        c = 0xFFFD;
      }
      n += putUtf8(out + n, c);
      break;
    }
    default: /* '"', '\\', '/' */
      out[n++] = z[1];
      z += 2;
      break;
    }
  }
  return n;
}
