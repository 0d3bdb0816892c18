#!/usr/bin/env python3
"""Write the fuzzers' seed corpora from the real logs in tests/data/real.

    make_seeds.py OUTDIR

Makes OUTDIR/records (JSON texts), OUTDIR/inflate (gzip files) and
OUTDIR/sql (inputs for fuzz_sql: a flags byte, then file pieces split by
"@@\\n"). Seeds are kept small (a few records each) so that the fuzzers run
fast; every file shape the reader knows is among them, along with the edge
cases that tests/ covers by hand.
"""
import gzip
import json
import os
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REAL = os.path.join(HERE, "..", "data", "real")


def real_records():
    """Yield (name, list of event texts) per real file, at most 3 per file,
    each re-printed compactly with its non-ASCII text kept as UTF-8."""
    for root, _, files in sorted(os.walk(REAL)):
        for f in sorted(files):
            if not f.endswith((".json", ".json.gz")):
                continue
            with open(os.path.join(root, f), "rb") as fh:
                data = fh.read()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            try:
                doc = json.loads(data)
            except ValueError:
                # NDJSON (otrf): one event per line
                lines = [l for l in data.split(b"\n") if l.strip()]
                yield f, lines[:3]
                continue
            if isinstance(doc, dict) and "Records" in doc:
                recs = doc["Records"]
            elif isinstance(doc, list):
                recs = doc
            else:
                recs = [doc]
            # Compact re-encoding keeps the seeds small; numbers in the real
            # data are small ints, so nothing is lost for a seed.
            yield f, [json.dumps(r, separators=(",", ":"),
                                 ensure_ascii=False).encode()
                      for r in recs[:3] if isinstance(r, dict)]


HAND = [
    b"",
    b'{"Records":[]}',
    b'{"Records":{}}',
    b'{"Records":[1]}',
    b'[{"eventName":"A"},{"Records":[{"eventName":"B"}]}]',
    b'{"eventName":"\\u0041ssumeRole","eventTime":"2024-03-01T12:00:00Z"}',
    b'{"eventTime":"2024-03-01T12:00:00.5Z","n":18446744073709551616}',
    b'{"eventName":"x","eventName":"y"}',
    b'{"digestStartTime":"2024"}',
    b'\xef\xbb\xbf{"Records":[{"eventName":"Bom"}]}',
    b'{"eventName":"\\ud800"}',
    b'{"Records":[' + b'[' * 50 + b']' * 50 + b']}',
    b'{"eventName":"caf\xc3\xa9","x":1e400}',
]


def write(d, name, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as fh:
        fh.write(data)


def main():
    out = sys.argv[1]
    texts = list(HAND)
    for _, recs in real_records():
        if not recs:
            continue
        texts.append(b'{"Records":[' + b",".join(recs) + b"]}")
        texts.append(b"[" + b",\n".join(recs) + b"]")
        texts.append(b"\n".join(recs) + b"\n")
        texts.append(recs[0])
    for i, t in enumerate(texts):
        write(os.path.join(out, "records"), "seed-%03d" % i, t)
    # The real gzip file as it is, then gzips of the texts.
    for root, _, files in sorted(os.walk(REAL)):
        for f in sorted(files):
            if f.endswith(".gz"):
                with open(os.path.join(root, f), "rb") as fh:
                    write(os.path.join(out, "inflate"), "real-" + f, fh.read())
    for i, t in enumerate(texts[:40]):
        g = gzip.compress(t, mtime=0)
        write(os.path.join(out, "inflate"), "seed-%03d" % i, g)
        if i % 4 == 0:  # two members
            write(os.path.join(out, "inflate"), "seed-%03d-2" % i, g + g)
        if i % 4 == 1:  # raw deflate with an FNAME header, by hand
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            body = c.compress(t) + c.flush()
            hdr = b"\x1f\x8b\x08\x08\0\0\0\0\0\x03name.json\0"
            tail = (zlib.crc32(t).to_bytes(4, "little") +
                    (len(t) & 0xffffffff).to_bytes(4, "little"))
            write(os.path.join(out, "inflate"), "seed-%03d-n" % i,
                  hdr + body + tail)
    for i in range(0, len(texts) - 3, 3):
        flags = bytes([i * 37 % 256])
        write(os.path.join(out, "sql"), "seed-%03d" % i,
              flags + b"@@\n".join(texts[i:i + 3]))


if __name__ == "__main__":
    main()
