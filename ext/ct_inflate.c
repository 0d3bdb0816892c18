/*
** ct_inflate.c - see ct_inflate.h.
*/
#include "ct_inflate.h"

#include "ct_buf.h"
#include "ct_util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define ZLIB_CONST
#include <zlib.h>
#ifdef CT_HAVE_LIBDEFLATE
#include <libdeflate.h>
#endif

#define CT_CHUNK_MAX ((size_t)1 << 30) /* zlib counts in 32-bit uInt */

/*
** Read the first size bytes of fd (its size when opened) into a malloc'd,
** NUL-terminated buffer. A file that grows meanwhile is read as it stood;
** one that shrank gives fewer bytes, which the decoders then find cut off.
*/
static int readAll(int fd, size_t size, char **pBuf, size_t *pLen,
                   char **pzErr) {
  size_t n = 0;
  char *buf = ctMalloc(size + 1);
  if (buf == 0) {
    *pzErr = ctMprintf("out of memory");
    return 1;
  }
  while (n < size) {
    ssize_t got = read(fd, buf + n, size - n);
    if (got < 0) {
      if (errno == EINTR)
        continue;
      *pzErr = ctMprintf("read failed: %s", strerror(errno));
      ctFree(buf);
      return 1;
    }
    if (got == 0)
      break;
    n += (size_t)got;
  }
  buf[n] = 0;
  *pBuf = buf;
  *pLen = n;
  return 0;
}

/* How output buffers are allocated: malloc (for ctGunzip's callers, who
** ctFree() them) or ctBufAlloc (for ctLoadFile); alloc is the size of the
** current one (which may exceed its usable capacity). */
typedef struct OutAlloc {
  int useBuf;
  size_t alloc;
} OutAlloc;

/* zlib's state through the one allocator (ct_util.h). */
static voidpf zAlloc(voidpf opaque, uInt items, uInt size) {
  (void)opaque;
  return ctCalloc(items, size);
}

static void zFree(voidpf opaque, voidpf p) {
  (void)opaque;
  ctFree(p);
}

static char *outAlloc(OutAlloc *o, size_t n) {
  if (o->useBuf)
    return ctBufAlloc(n, &o->alloc);
  o->alloc = n;
  return ctMalloc(n);
}

static void outFree(OutAlloc *o, char *p) {
  if (o->useBuf)
    ctBufFree(p, o->alloc);
  else
    ctFree(p);
}

/* A first output buffer for an inflated size of about guess: at least 4 KB,
** at most maxBytes + 1. Its usable size goes to *pCap; NULL (with *pzErr
** set) when memory runs out. */
static char *firstOut(OutAlloc *o, size_t guess, size_t maxBytes, size_t *pCap,
                      char **pzErr) {
  char *out;
  if (guess < 4096)
    guess = 4096;
  if (guess > maxBytes + 1)
    guess = maxBytes + 1;
  out = outAlloc(o, guess);
  if (out == 0)
    *pzErr = ctMprintf("out of memory");
  *pCap = guess;
  return out;
}

/* Double the output buffer *pOut of *pCap usable bytes, to at most
** maxBytes + 1 (one byte more than the limit, so that going past it shows).
** Returns 0, or 1 with *pzErr set when the limit is reached or memory runs
** out (the caller frees *pOut). */
static int growOut(OutAlloc *o, char **pOut, size_t *pCap, size_t maxBytes,
                   char **pzErr) {
  size_t ncap;
  char *nb;
  if (*pCap > maxBytes) {
    *pzErr =
        ctMprintf("inflates to more than max_file_size (%zu bytes)", maxBytes);
    return 1;
  }
  ncap = *pCap * 2 > maxBytes + 1 ? maxBytes + 1 : *pCap * 2;
  if (o->useBuf) {
    /* Moved, not copied: never the old and the new size at once. */
    nb = ctBufGrow(*pOut, o->alloc, ncap, &o->alloc);
  } else {
    nb = ctRealloc(*pOut, ncap);
    if (nb)
      o->alloc = ncap;
  }
  if (nb == 0) {
    *pzErr = ctMprintf("out of memory");
    return 1;
  }
  *pOut = nb;
  *pCap = ncap;
  return 0;
}

static int gunzipZlib(OutAlloc *o, const unsigned char *raw, size_t rawLen,
                      size_t maxBytes, char **pOut, size_t *pOutLen,
                      char **pzErr) {
  z_stream s;
  size_t cap, outLen = 0;
  size_t inPos = 0; /* bytes of raw handed to zlib so far */
  char *out;
  int rc;

  out = firstOut(o, rawLen < CT_CHUNK_MAX / 8 ? rawLen * 8 : CT_CHUNK_MAX,
                 maxBytes, &cap, pzErr);
  if (out == 0)
    return 1;
  memset(&s, 0, sizeof(s));
  s.zalloc = zAlloc;
  s.zfree = zFree;
  if (inflateInit2(&s, 16 + MAX_WBITS) != Z_OK) {
    outFree(o, out);
    *pzErr = ctMprintf("inflateInit2() failed");
    return 1;
  }
  for (;;) {
    size_t chunk;
    size_t before;
    if (s.avail_in == 0 && inPos < rawLen) {
      chunk = rawLen - inPos;
      if (chunk > CT_CHUNK_MAX)
        chunk = CT_CHUNK_MAX;
      s.next_in = raw + inPos;
      s.avail_in = (uInt)chunk;
      inPos += chunk;
    }
    if (cap - outLen < 2 && growOut(o, &out, &cap, maxBytes, pzErr)) {
      inflateEnd(&s);
      outFree(o, out);
      return 1;
    }
    chunk = cap - outLen - 1;
    if (chunk > CT_CHUNK_MAX)
      chunk = CT_CHUNK_MAX;
    s.next_out = (Bytef *)(out + outLen);
    s.avail_out = (uInt)chunk;
    before = chunk;
    rc = inflate(&s, Z_NO_FLUSH);
    outLen += before - s.avail_out;
    if (rc == Z_STREAM_END) {
      size_t used = inPos - s.avail_in; /* offset just past this member */
      if (used == rawLen)
        break;
      if (rawLen - used >= 2 && raw[used] == 0x1f && raw[used + 1] == 0x8b) {
        inflateReset(&s);
        continue;
      }
      inflateEnd(&s);
      outFree(o, out);
      *pzErr =
          ctMprintf("trailing bytes after gzip member at offset %zu", used);
      return 1;
    }
    if (rc == Z_OK || rc == Z_BUF_ERROR) {
      if (s.avail_out == 0)
        continue; /* output full: grow and go on */
      if (s.avail_in == 0 && inPos >= rawLen) {
        inflateEnd(&s);
        outFree(o, out);
        *pzErr = ctMprintf("truncated gzip data (ends at offset %zu)", rawLen);
        return 1;
      }
      continue;
    }
    {
      size_t at = inPos - s.avail_in;
      const char *why = rc == Z_MEM_ERROR ? "out of memory"
                        : s.msg           ? s.msg
                                          : "invalid data";
      *pzErr = ctMprintf("corrupt gzip data at offset %zu: %s", at, why);
      inflateEnd(&s);
      outFree(o, out);
      return 1;
    }
  }
  inflateEnd(&s);
  out[outLen] = 0;
  *pOut = out;
  *pOutLen = outLen;
  return 0;
}

int ctGunzipZlib(const unsigned char *raw, size_t rawLen, size_t maxBytes,
                 char **pOut, size_t *pOutLen, char **pzErr) {
  OutAlloc o = {0, 0};
  return gunzipZlib(&o, raw, rawLen, maxBytes, pOut, pOutLen, pzErr);
}

#ifdef CT_HAVE_LIBDEFLATE
/*
** The fast path: libdeflate inflates a whole member in one call, about twice
** as fast as zlib (see bench/). The output buffer starts at the last
** member's ISIZE (exact for the usual single member) and doubles when short.
** Returns 0 on success, 2 with *pzErr set when the size limit or memory
** runs out, and 1 when the data is bad: then zlib reads it again to say
** exactly what is wrong and where.
*/
static int gunzipFast(OutAlloc *o, const unsigned char *raw, size_t rawLen,
                      size_t maxBytes, char **pOut, size_t *pOutLen,
                      char **pzErr) {
  struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
  size_t cap, outLen = 0, pos = 0;
  char *out;
  if (d == 0) {
    *pzErr = ctMprintf("out of memory");
    return 2;
  }
  /* ISIZE, the last member's size mod 2^32, is the usual file's size. */
  out = firstOut(o,
                 rawLen >= 18
                     ? ((size_t)raw[rawLen - 4] | (size_t)raw[rawLen - 3] << 8 |
                        (size_t)raw[rawLen - 2] << 16 |
                        (size_t)raw[rawLen - 1] << 24) +
                           1
                     : 4096,
                 maxBytes, &cap, pzErr);
  if (out == 0) {
    libdeflate_free_decompressor(d);
    return 2;
  }
  while (pos < rawLen) {
    size_t inUsed = 0, got = 0;
    enum libdeflate_result r;
    /* libdeflate skips a header CRC (FHCRC) unchecked; zlib checks it. */
    if (rawLen - pos >= 4 && (raw[pos + 3] & 0x02))
      break;
    r = libdeflate_gzip_decompress_ex(d, raw + pos, rawLen - pos, out + outLen,
                                      cap - outLen - 1, &inUsed, &got);
    if (r == LIBDEFLATE_INSUFFICIENT_SPACE) {
      if (growOut(o, &out, &cap, maxBytes, pzErr)) {
        outFree(o, out);
        libdeflate_free_decompressor(d);
        return 2;
      }
      continue; /* this member again, with more room */
    }
    if (r != LIBDEFLATE_SUCCESS || inUsed == 0)
      break;
    outLen += got;
    pos += inUsed;
    if (pos < rawLen &&
        !(rawLen - pos >= 2 && raw[pos] == 0x1f && raw[pos + 1] == 0x8b)) {
      break; /* trailing bytes: zlib names the offset */
    }
  }
  libdeflate_free_decompressor(d);
  if (pos < rawLen) {
    outFree(o, out);
    return 1;
  }
  out[outLen] = 0;
  *pOut = out;
  *pOutLen = outLen;
  return 0;
}
#endif

/* ctGunzip, its output allocated as o says. */
static int gunzipAny(OutAlloc *o, const unsigned char *raw, size_t rawLen,
                     size_t maxBytes, char **pOut, size_t *pOutLen,
                     char **pzErr) {
#ifdef CT_HAVE_LIBDEFLATE
  int rc = gunzipFast(o, raw, rawLen, maxBytes, pOut, pOutLen, pzErr);
  if (rc != 1)
    return rc ? 1 : 0;
#endif
  return gunzipZlib(o, raw, rawLen, maxBytes, pOut, pOutLen, pzErr);
}

int ctGunzip(const unsigned char *raw, size_t rawLen, size_t maxBytes,
             char **pOut, size_t *pOutLen, char **pzErr) {
  OutAlloc o = {0, 0};
  return gunzipAny(&o, raw, rawLen, maxBytes, pOut, pOutLen, pzErr);
}

int ctLoadFile(const char *zPath, size_t maxBytes, CtFileData *p,
               char **pzErr) {
  struct stat st;
  int fd;
  char *raw = 0;
  size_t rawLen = 0;
  int rc;

  memset(p, 0, sizeof(*p));
  /* The walk stat'ed the path and handed it out only if it was a regular
  ** file. If it has changed since, O_NONBLOCK keeps a FIFO from waiting for
  ** a writer and O_NOCTTY keeps a terminal from becoming ours, and the
  ** fstat() below rejects it. */
  fd = open(zPath, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    *pzErr = ctMprintf("cannot open: %s", strerror(errno));
    return 1;
  }
  if (fstat(fd, &st) != 0) {
    *pzErr = ctMprintf("cannot stat: %s", strerror(errno));
    close(fd);
    return 1;
  }
  if (S_ISDIR(st.st_mode)) {
    *pzErr = ctMprintf("is a directory");
    close(fd);
    return 1;
  }
  if (!S_ISREG(st.st_mode)) {
    *pzErr = ctMprintf("not a regular file");
    close(fd);
    return 1;
  }
  if (st.st_size > 0 && (size_t)st.st_size > maxBytes) {
    *pzErr =
        ctMprintf("file is larger than max_file_size (%zu bytes)", maxBytes);
    close(fd);
    return 1;
  }
  rc = readAll(fd, st.st_size > 0 ? (size_t)st.st_size : 0, &raw, &rawLen,
               pzErr);
  close(fd);
  if (rc)
    return rc;
  p->rawLen = rawLen;
  if (rawLen >= 2 && (unsigned char)raw[0] == 0x1f &&
      (unsigned char)raw[1] == 0x8b) {
    char *out;
    size_t outLen;
    OutAlloc o = {1, 0};
    rc = gunzipAny(&o, (const unsigned char *)raw, rawLen, maxBytes, &out,
                   &outLen, pzErr);
    ctFree(raw);
    if (rc)
      return rc;
    p->buf = out;
    p->len = outLen;
    p->bufCap = o.alloc;
    p->isGzip = 1;
    return 0;
  }
  if (rawLen > 0 && ctEndsWithNoCase(zPath, strlen(zPath), ".gz")) {
    ctFree(raw);
    *pzErr = ctMprintf("not in gzip format (the name ends .gz but the data "
                       "does not start with the gzip magic bytes)");
    return 1;
  }
  p->buf = raw;
  p->len = rawLen;
  return 0;
}

void ctFileDataDropText(CtFileData *p) {
  if (p->bufCap)
    ctBufFree(p->buf, p->bufCap);
  else
    ctFree(p->buf);
  p->buf = 0;
  p->bufCap = 0;
}

void ctFileDataFree(CtFileData *p) {
  ctFileDataDropText(p);
  memset(p, 0, sizeof(*p));
}
