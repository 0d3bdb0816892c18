/*
** ct_json.h - a small validating JSON scanner that never builds a DOM.
**
** The extension keeps every JSON value as the exact bytes of the input, so a
** number such as 18446744073709551615 or 1.5E9 reaches SQL unchanged. This
** module offers these things over a buffer of JSON text:
**
**   ctJsonValidate()         checks one value strictly (RFC 8259, UTF-8 in
**                            strings, no raw control bytes or NUL in
**                            strings, bounded depth) and says where it
**                            ends, or where and why it is invalid.
**   ctJsonBracketEnd()       finds the end of an object or array that was
**                            NOT validated by following only its strings
**                            and brackets (to pass over text unread).
**   ctJsonSpaceEnd()         finds the end of a run of whitespace.
**   ctJsonUnsafeValueEnd()   finds the end of a value already validated.
**   ctJsonUnsafeObjNext()    walks the members of a validated object.
**   ctJsonUnsafeStrDecode()  turns the text of a validated string into UTF-8.
**
** Naming: a function whose input must already have passed ctJsonValidate
** has "Unsafe" after the prefix (ctJsonUnsafe..., as yyjson's unsafe_):
** given text that was not validated, it returns nonsense (never reading
** outside buf[0..len)). Every other function takes any bytes.
**
** ct_json.c validates, and passes over unvalidated text; ct_json_unsafe.c
** reads validated text (the ctJsonUnsafe* functions, ctJsonStrHasEscape).
** Neither includes sqlite3.h, so unit tests and fuzzers link them alone.
*/
#ifndef CT_JSON_H
#define CT_JSON_H

#include <stddef.h>

#define CT_JSON_MAX_DEPTH 10000 /* nesting deeper than this is an error */

/* A byte range [off, off+len) inside a buffer. len==0 means "absent". */
typedef struct CtSpan {
  size_t off; /* Offset of the first byte */
  size_t len; /* Number of bytes; 0 when absent */
} CtSpan;

/* Why and where a validation failed. */
typedef struct CtJsonError {
  size_t offset;   /* Byte offset of the problem in the buffer */
  const char *msg; /* Static description, e.g. "invalid UTF-8 in string" */
} CtJsonError;

/* Offset of the first byte at or after pos that is not JSON whitespace. */
size_t ctJsonSpaceEnd(const char *buf, size_t len, size_t pos);

/*
** Validate the single JSON value that starts at buf[pos] (no leading
** whitespace). On success return 0 and set *pEnd to the offset just past the
** value. On failure return 1 and fill *pErr.
*/
int ctJsonValidate(const char *buf, size_t len, size_t pos, size_t *pEnd,
                   CtJsonError *pErr);

/* ctJsonValidate for the string token at buf[pos] == '"'. */
int ctJsonValidateString(const char *buf, size_t len, size_t pos, size_t *pEnd,
                         CtJsonError *pErr);

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/*
** ctJsonValidateString with the common case inline: a string whose bytes
** up to the closing quote (within 64) are all plain ASCII, with no
** backslash. Anything else goes to ctJsonValidateString.
*/
static inline int ctJsonValidateStringFast(const char *buf, size_t len,
                                           size_t pos, size_t *pEnd,
                                           CtJsonError *pErr) {
#ifdef __SSE2__
  size_t p = pos + 1;
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i bslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  int i;
  for (i = 0; i < 4 && len - p >= 16; i++, p += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + p));
    __m128i q = _mm_cmpeq_epi8(v, quote);
    /* signed compare: bytes >= 0x80 count as below 0x20 (special) */
    __m128i m = _mm_or_si128(_mm_or_si128(q, _mm_cmpeq_epi8(v, bslash)),
                             _mm_cmplt_epi8(v, space));
    unsigned bits = (unsigned)_mm_movemask_epi8(m);
    if (bits) {
      unsigned first = bits & (0u - bits);
      if (first & (unsigned)_mm_movemask_epi8(q)) {
        *pEnd = p + (size_t)__builtin_ctz(bits) + 1;
        return 0;
      }
      break;
    }
  }
#endif
  return ctJsonValidateString(buf, len, pos, pEnd, pErr);
}

/*
** The end of the object or array at buf[pos] ('{' or '['), found without
** validating it: only its strings (with their escapes) and brackets are
** followed, and a bracket closes whatever is open. For valid JSON it ends
** where ctJsonValidate would. Returns 1 (with *pErr) only if the input
** ends first. Much faster than validating: for text a caller proves it
** does not need.
*/
int ctJsonBracketEnd(const char *buf, size_t len, size_t pos, size_t *pEnd,
                     CtJsonError *pErr);

/* ctJsonBracketEnd without the AVX2 path it takes where the CPU has one
** (so that tests run both). */
int ctJsonBracketEndGeneric(const char *buf, size_t len, size_t pos,
                            size_t *pEnd, CtJsonError *pErr);

/* End offset of the validated value that starts at buf[pos]. */
size_t ctJsonUnsafeValueEnd(const char *buf, size_t len, size_t pos);

/*
** Iterate over the members of a validated object. Start with *pPos at the
** offset of its '{'. Each call that returns 1 sets *pKey to the key's string
** token (quotes included) and *pVal to the value. Returns 0 after the last.
*/
int ctJsonUnsafeObjNext(const char *buf, size_t len, size_t *pPos, CtSpan *pKey,
                        CtSpan *pVal);

/*
** True if the string token key (quotes included) decodes to the n bytes of z.
** Handles keys written with \u escapes.
*/
int ctJsonUnsafeKeyEq(const char *buf, CtSpan key, const char *z, size_t n);

/* Value of the first member named z (n bytes) of the validated object at
** span obj, or a span with len 0 if there is none (or obj is no object). */
CtSpan ctJsonUnsafeObjGet(const char *buf, CtSpan obj, const char *z, size_t n);

/*
** Decode the validated string token tok (quotes included) into out, which
** must hold at least tok.len bytes. Returns the number of bytes written.
** A lone surrogate escape becomes U+FFFD.
*/
size_t ctJsonUnsafeStrDecode(const char *buf, CtSpan tok, char *out);

/* True if the string token tok (quotes included) holds a backslash. */
int ctJsonStrHasEscape(const char *buf, CtSpan tok);

#endif /* CT_JSON_H */
