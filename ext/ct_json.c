/*
** ct_json.c - validating JSON scanner; see ct_json.h.
**
** Validation is iterative (an explicit stack of container kinds), so deep
** nesting cannot overflow the C stack; it stops with an error past
** CT_JSON_MAX_DEPTH. Strings are checked for well-formed UTF-8 (no overlong
** forms, no surrogates, nothing above U+10FFFF) and for raw bytes below 0x20.
*/
#include "ct_json.h"
#include "ct_util.h"

#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
/* An AVX2 ctJsonBracketEnd, chosen at run time, where the compiler can
** build one. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CT_BRACKET_END_AVX2 1
#include <immintrin.h>
#else
#define CT_BRACKET_END_AVX2 0
#endif
#include <stdlib.h>
#include <string.h>

/* Byte classes inside a string: 0 plain, 1 quote, 2 backslash, 3 control,
** 4 NUL, 5 start of a multi-byte UTF-8 sequence (or an invalid byte). */
static const unsigned char strClass[256] = {
    4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
    5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
};

static int isWs(unsigned char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

size_t ctJsonSpaceEnd(const char *buf, size_t len, size_t pos) {
  while (pos < len && isWs((unsigned char)buf[pos]))
    pos++;
  return pos;
}

static int isHex(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
         (c >= 'A' && c <= 'F');
}

static int fail(CtJsonError *pErr, size_t off, const char *msg) {
  pErr->offset = off;
  pErr->msg = msg;
  return 1;
}

/* Length of the valid UTF-8 sequence at z (n bytes available), or 0. */
static size_t utf8SeqLen(const unsigned char *z, size_t n) {
  unsigned char c = z[0];
  unsigned char lo = 0x80, hi = 0xBF;
  size_t need, i;
  if (c >= 0xC2 && c <= 0xDF)
    need = 1;
  else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    if (c == 0xE0)
      lo = 0xA0;
    if (c == 0xED)
      hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    if (c == 0xF0)
      lo = 0x90;
    if (c == 0xF4)
      hi = 0x8F;
  } else
    return 0;
  if (n < need + 1)
    return 0;
  if (z[1] < lo || z[1] > hi)
    return 0;
  for (i = 2; i <= need; i++) {
    if (z[i] < 0x80 || z[i] > 0xBF)
      return 0;
  }
  return need + 1;
}

/* Validate the string token at buf[pos]=='"'; set *pEnd past its quote. */
/* True if one of the 8 bytes of w may be special in a string: below 0x20,
** a quote, a backslash, or 0x80 and above. (Exact when false.) */
static int hasSpecial8(uint64_t w) {
  const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
  uint64_t ctl = (w - ones * 0x20) & ~w;
  uint64_t q = w ^ (ones * '"');
  uint64_t b = w ^ (ones * '\\');
  q = (q - ones) & ~q;
  b = (b - ones) & ~b;
  return ((ctl | q | b | w) & highs) != 0;
}

/* Offset of the first byte at or after pos that may be special in a string
** (see hasSpecial8), skipping plain bytes a block at a time. */
static size_t plainRun(const unsigned char *z, size_t len, size_t pos) {
#ifdef __SSE2__
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i bslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  while (len - pos >= 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(z + pos));
    /* signed: bytes >= 0x80 are negative, so "< 0x20" catches them too */
    __m128i m = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
        _mm_cmplt_epi8(v, space));
    int bits = _mm_movemask_epi8(m);
    if (bits)
      return pos + (size_t)__builtin_ctz((unsigned)bits);
    pos += 16;
  }
#endif
  while (len - pos >= 8) {
    uint64_t w;
    memcpy(&w, z + pos, 8);
    if (hasSpecial8(w))
      break;
    pos += 8;
  }
  return pos;
}

int ctJsonValidateString(const char *buf, size_t len, size_t pos, size_t *pEnd,
                         CtJsonError *pErr) {
  const unsigned char *z = (const unsigned char *)buf;
  size_t start = pos;
  pos++;
  for (;;) {
    /* Plain bytes in blocks (16 with SSE2, else 8), then one by one up to
    ** a special one. */
    pos = plainRun(z, len, pos);
    while (pos < len && strClass[z[pos]] == 0)
      pos++;
    if (pos >= len)
      return fail(pErr, start, "unterminated string");
    switch (strClass[z[pos]]) {
    case 1:
      *pEnd = pos + 1;
      return 0;
    case 2:
      if (pos + 1 >= len)
        return fail(pErr, start, "unterminated string");
      switch (z[pos + 1]) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        pos += 2;
        break;
      case 'u':
        if (pos + 5 >= len || !isHex(z[pos + 2]) || !isHex(z[pos + 3]) ||
            !isHex(z[pos + 4]) || !isHex(z[pos + 5])) {
          return fail(pErr, pos, "invalid \\u escape in string");
        }
        pos += 6;
        break;
      default:
        return fail(pErr, pos, "invalid escape in string");
      }
      break;
    case 3:
      return fail(pErr, pos, "unescaped control character in string");
    case 4:
      return fail(pErr, pos, "NUL byte in string");
    default: {
      size_t k = utf8SeqLen(z + pos, len - pos);
      if (k == 0)
        return fail(pErr, pos, "invalid UTF-8 in string");
      pos += k;
    }
    }
  }
}

static int isDigit(unsigned char c) { return c >= '0' && c <= '9'; }

static int validateNumber(const char *buf, size_t len, size_t pos, size_t *pEnd,
                          CtJsonError *pErr) {
  const unsigned char *z = (const unsigned char *)buf;
  size_t start = pos;
  if (z[pos] == '-')
    pos++;
  if (pos >= len || !isDigit(z[pos]))
    return fail(pErr, start, "invalid number");
  if (z[pos] == '0')
    pos++;
  else
    while (pos < len && isDigit(z[pos]))
      pos++;
  if (pos < len && z[pos] == '.') {
    pos++;
    if (pos >= len || !isDigit(z[pos]))
      return fail(pErr, start, "invalid number");
    while (pos < len && isDigit(z[pos]))
      pos++;
  }
  if (pos < len && (z[pos] == 'e' || z[pos] == 'E')) {
    pos++;
    if (pos < len && (z[pos] == '+' || z[pos] == '-'))
      pos++;
    if (pos >= len || !isDigit(z[pos]))
      return fail(pErr, start, "invalid number");
    while (pos < len && isDigit(z[pos]))
      pos++;
  }
  *pEnd = pos;
  return 0;
}

static int validateLiteral(const char *buf, size_t len, size_t pos,
                           size_t *pEnd, CtJsonError *pErr) {
  static const char *const lits[] = {"true", "false", "null"};
  int i;
  for (i = 0; i < 3; i++) {
    size_t n = strlen(lits[i]);
    if (buf[pos] == lits[i][0]) {
      if (len - pos >= n && memcmp(buf + pos, lits[i], n) == 0) {
        *pEnd = pos + n;
        return 0;
      }
      if (len - pos < n && memcmp(buf + pos, lits[i], len - pos) == 0) {
        return fail(pErr, pos, "unexpected end of input");
      }
    }
  }
  return fail(pErr, pos, "invalid token");
}

static int unexpected(const char *buf, size_t len, size_t pos,
                      CtJsonError *pErr, const char *msg) {
  if (pos >= len)
    return fail(pErr, len, "unexpected end of input");
  if (buf[pos] == 0)
    return fail(pErr, pos, "NUL byte");
  return fail(pErr, pos, msg);
}

int ctJsonValidate(const char *buf, size_t len, size_t pos, size_t *pEnd,
                   CtJsonError *pErr) {
  char stack[CT_JSON_MAX_DEPTH]; /* '{' or '[' per open container */
  size_t depth = 0;
value:
  if (pos >= len)
    return fail(pErr, len, "unexpected end of input");
  switch (buf[pos]) {
  case '{':
  case '[':
    if (depth >= CT_JSON_MAX_DEPTH) {
      return fail(pErr, pos, "nesting deeper than 10000 levels");
    }
    stack[depth++] = buf[pos];
    pos = ctJsonSpaceEnd(buf, len, pos + 1);
    if (stack[depth - 1] == '{') {
      if (pos < len && buf[pos] == '}') {
        pos++;
        depth--;
        goto after;
      }
      goto key;
    }
    if (pos < len && buf[pos] == ']') {
      pos++;
      depth--;
      goto after;
    }
    goto value;
  case '"':
    if (ctJsonValidateStringFast(buf, len, pos, &pos, pErr))
      return 1;
    goto after;
  case 't':
  case 'f':
  case 'n':
    if (validateLiteral(buf, len, pos, &pos, pErr))
      return 1;
    goto after;
  default:
    if (buf[pos] == '-' || isDigit((unsigned char)buf[pos])) {
      if (validateNumber(buf, len, pos, &pos, pErr))
        return 1;
      goto after;
    }
    return unexpected(buf, len, pos, pErr, "invalid token");
  }
key:
  if (pos >= len || buf[pos] != '"') {
    return unexpected(buf, len, pos, pErr, "expected a string key");
  }
  if (ctJsonValidateStringFast(buf, len, pos, &pos, pErr))
    return 1;
  pos = ctJsonSpaceEnd(buf, len, pos);
  if (pos >= len || buf[pos] != ':') {
    return unexpected(buf, len, pos, pErr, "expected ':'");
  }
  pos = ctJsonSpaceEnd(buf, len, pos + 1);
  goto value;
after:
  if (depth == 0) {
    *pEnd = pos;
    return 0;
  }
  pos = ctJsonSpaceEnd(buf, len, pos);
  if (pos >= len)
    return fail(pErr, len, "unexpected end of input");
  if (buf[pos] == ',') {
    pos = ctJsonSpaceEnd(buf, len, pos + 1);
    if (stack[depth - 1] == '{')
      goto key;
    goto value;
  }
  if (buf[pos] == (stack[depth - 1] == '{' ? '}' : ']')) {
    pos++;
    depth--;
    goto after;
  }
  return unexpected(buf, len, pos, pErr,
                    stack[depth - 1] == '{' ? "expected ',' or '}'"
                                            : "expected ',' or ']'");
}

/*
** ctJsonBracketEnd: the end of a container without validating it. Only strings
** (and the escapes in them, so that \" does not end one) and brackets are
** followed. With SSE2 it takes 64 bytes at a time as bit masks, in the
** manner of simdjson's first stage: the quotes not escaped, by a prefix XOR,
** give the bytes inside strings; the brackets outside them are counted in
** order until the depth is back to zero.
*/

/* The bits of q flipped from each set bit up to the next (exclusive):
** with q the quotes, the bytes inside strings, opening quotes included. */
static uint64_t prefixXor(uint64_t q) {
  q ^= q << 1;
  q ^= q << 2;
  q ^= q << 4;
  q ^= q << 8;
  q ^= q << 16;
  q ^= q << 32;
  return q;
}

/* The bytes escaped by the backslashes b (bit i: byte i is a backslash);
** *pCarry is 1 if the byte before the block escapes the first, and is set
** for the next block. A backslash escaped is not an escape itself. */
static uint64_t escapedBy(uint64_t b, unsigned *pCarry) {
  uint64_t esc = 0;
  if (*pCarry) {
    esc = 1;
    b &= ~(uint64_t)1;
  }
  *pCarry = 0;
  while (b) {
    int i = __builtin_ctzll(b);
    if (i == 63) {
      *pCarry = 1;
      break;
    }
    esc |= (uint64_t)1 << (i + 1);
    b &= ~((uint64_t)3 << i);
  }
  return esc;
}

/* The masks of one 64-byte block: bit i is byte i. */
typedef struct BracketMasks {
  uint64_t q; /* '"' */
  uint64_t b; /* '\\' */
  uint64_t o; /* '{' or '[' */
  uint64_t c; /* '}' or ']' */
} BracketMasks;

#ifdef __SSE2__
/* Bit i set where byte i of the 64 bytes v0..v3 equals the bytes of c. */
static uint64_t bracketMask(__m128i v0, __m128i v1, __m128i v2, __m128i v3,
                            __m128i c) {
  uint64_t m0 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v0, c));
  uint64_t m1 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v1, c));
  uint64_t m2 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v2, c));
  uint64_t m3 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v3, c));
  return m0 | m1 << 16 | m2 << 32 | m3 << 48;
}

static inline void masksSse2(const unsigned char *z, BracketMasks *m) {
  const __m128i *v = (const __m128i *)(const void *)z;
  __m128i v0 = _mm_loadu_si128(v), v1 = _mm_loadu_si128(v + 1);
  __m128i v2 = _mm_loadu_si128(v + 2), v3 = _mm_loadu_si128(v + 3);
  m->q = bracketMask(v0, v1, v2, v3, _mm_set1_epi8('"'));
  m->b = bracketMask(v0, v1, v2, v3, _mm_set1_epi8('\\'));
  /* '{' and '[' differ only in bit 0x20, as do '}' and ']'. */
  v0 = _mm_or_si128(v0, _mm_set1_epi8(0x20));
  v1 = _mm_or_si128(v1, _mm_set1_epi8(0x20));
  v2 = _mm_or_si128(v2, _mm_set1_epi8(0x20));
  v3 = _mm_or_si128(v3, _mm_set1_epi8(0x20));
  m->o = bracketMask(v0, v1, v2, v3, _mm_set1_epi8('{'));
  m->c = bracketMask(v0, v1, v2, v3, _mm_set1_epi8('}'));
}
#else
static inline void masksSse2(const unsigned char *z, BracketMasks *m) {
  int k;
  memset(m, 0, sizeof(*m));
  for (k = 0; k < 64; k++) {
    uint64_t bit = (uint64_t)1 << k;
    unsigned char ch = z[k];
    if (ch == '"')
      m->q |= bit;
    else if (ch == '\\')
      m->b |= bit;
    else if ((ch | 0x20) == '{')
      m->o |= bit;
    else if ((ch | 0x20) == '}')
      m->c |= bit;
  }
}
#endif

/*
** ctJsonBracketEnd proper, for a way to make a block's masks and a prefix XOR:
** always inlined, so that each caller below is compiled for its own
** instruction set with its own helpers inlined.
*/
static inline __attribute__((always_inline)) int
bracketEndWith(void (*xMasks)(const unsigned char *, BracketMasks *),
               uint64_t (*xPrefixXor)(uint64_t), const char *buf, size_t len,
               size_t pos, size_t *pEnd, CtJsonError *pErr) {
  size_t depth = 0;
  uint64_t inStr = 0; /* all ones if the last block ended in a string */
  unsigned carry = 0; /* the last block ended with an escaping backslash */
  unsigned char tail[64];
  while (pos < len) {
    const unsigned char *z = (const unsigned char *)buf + pos;
    BracketMasks k;
    uint64_t m;
    if (len - pos < 64) {
      /* The last bytes, padded with spaces (special to nothing). */
      memcpy(tail, z, len - pos);
      memset(tail + (len - pos), ' ', 64 - (len - pos));
      z = tail;
    }
    xMasks(z, &k);
    if (k.b | carry)
      k.q &= ~escapedBy(k.b, &carry);
    inStr ^= xPrefixXor(k.q);
    m = (k.o | k.c) & ~inStr;
    inStr = (uint64_t)0 - (inStr >> 63);
    while (m) {
      int i = __builtin_ctzll(m);
      if ((k.o >> i) & 1) {
        depth++;
      } else if (depth == 0 || --depth == 0) {
        *pEnd = pos + (size_t)i + 1;
        return 0;
      }
      m &= m - 1;
    }
    pos += 64;
  }
  return fail(pErr, len,
              inStr ? "unterminated string" : "unexpected end of input");
}

int ctJsonBracketEndGeneric(const char *buf, size_t len, size_t pos,
                            size_t *pEnd, CtJsonError *pErr) {
  return bracketEndWith(masksSse2, prefixXor, buf, len, pos, pEnd, pErr);
}

#if CT_BRACKET_END_AVX2
/* The same with AVX2 (two 32-byte loads a block) and a carry-less multiply
** for the prefix XOR, on CPUs that have them (checked at each call). */
__attribute__((target("avx2,pclmul"))) static inline void
masksAvx2(const unsigned char *z, BracketMasks *m) {
  const __m256i *v = (const __m256i *)(const void *)z;
  __m256i lo = _mm256_loadu_si256(v), hi = _mm256_loadu_si256(v + 1);
  __m256i lo20 = _mm256_or_si256(lo, _mm256_set1_epi8(0x20));
  __m256i hi20 = _mm256_or_si256(hi, _mm256_set1_epi8(0x20));
#define CT_MASK256(a, b, ch)                                                   \
  ((uint64_t)(uint32_t)_mm256_movemask_epi8(                                   \
       _mm256_cmpeq_epi8(a, _mm256_set1_epi8(ch))) |                           \
   (uint64_t)(uint32_t)_mm256_movemask_epi8(                                   \
       _mm256_cmpeq_epi8(b, _mm256_set1_epi8(ch)))                             \
       << 32)
  m->q = CT_MASK256(lo, hi, '"');
  m->b = CT_MASK256(lo, hi, '\\');
  m->o = CT_MASK256(lo20, hi20, '{');
  m->c = CT_MASK256(lo20, hi20, '}');
#undef CT_MASK256
}

__attribute__((target("avx2,pclmul"))) static inline uint64_t
prefixXorClmul(uint64_t q) {
  __m128i r = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)q),
                                   _mm_set1_epi8((char)0xFF), 0);
  return (uint64_t)_mm_cvtsi128_si64(r);
}

__attribute__((target("avx2,pclmul"))) static int
bracketEndAvx2(const char *buf, size_t len, size_t pos, size_t *pEnd,
               CtJsonError *pErr) {
  return bracketEndWith(masksAvx2, prefixXorClmul, buf, len, pos, pEnd, pErr);
}
#endif

int ctJsonBracketEnd(const char *buf, size_t len, size_t pos, size_t *pEnd,
                     CtJsonError *pErr) {
#if CT_BRACKET_END_AVX2
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul"))
    return bracketEndAvx2(buf, len, pos, pEnd, pErr);
#endif
  return ctJsonBracketEndGeneric(buf, len, pos, pEnd, pErr);
}
