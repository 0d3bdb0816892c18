#!/usr/bin/python3
"""SQL functions (issue 16): cloudtrail_ip_in(ip, cidr).

    /usr/bin/python3 tests/test_functions.py build/cloudtrail [-k PATTERN]

The reference is Python's ipaddress module, with the README's rules on top
of it: ASCII spaces, tabs, CR and LF around a text are ignored, a zone id is
not accepted, a netmask after the '/' is not a prefix length, and an IPv4
block also holds the IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) of its
addresses.
"""
import ipaddress
import os
import random
import sqlite3
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_cloudtrail as tc  # noqa: E402

ROOT = tc.ROOT
REAL = os.path.join(ROOT, "tests", "data", "real")
SPACE = " \t\r\n"
ERROR = "error"


def ref_addr(s):
    s = s.strip(SPACE)
    if "%" in s:
        return None
    try:
        return ipaddress.ip_address(s)
    except ValueError:
        return None


def ref_block(s):
    s = s.strip(SPACE)
    if "%" in s:
        return None
    if "/" in s:
        pre = s.split("/", 1)[1]
        if not (pre.isascii() and pre.isdigit()):
            return None
    try:
        return ipaddress.ip_network(s, strict=False)
    except ValueError:
        return None


def ref_in(ip, cidr):
    """1, 0, None (ip is not an address) or ERROR (cidr is not a block)."""
    if ip is None or cidr is None:
        return None
    block = ref_block(cidr)
    if block is None:
        return ERROR
    addr = ref_addr(ip)
    if addr is None:
        return None
    if block.version == 4 and addr.version == 6:
        addr = addr.ipv4_mapped
        if addr is None:
            return 0
    elif block.version != addr.version:
        return 0
    return int(addr in block)


def rand_v4(rng):
    return ipaddress.IPv4Address(rng.getrandbits(32))


def rand_v6(rng):
    kind = rng.random()
    if kind < 0.3:  # runs of zeros, so that "::" appears
        groups = [rng.choice([0, 0, 0, rng.getrandbits(16)]) for _ in range(8)]
        return ipaddress.IPv6Address(
            sum(g << (16 * (7 - i)) for i, g in enumerate(groups)))
    if kind < 0.4:
        return ipaddress.IPv6Address((0xffff << 32) | rng.getrandbits(32))
    return ipaddress.IPv6Address(rng.getrandbits(128))


def spell(rng, addr):
    """One of the ways to write addr."""
    if addr.version == 4:
        return str(addr)
    k = rng.random()
    if k < 0.4:
        s = addr.compressed
    elif k < 0.6:
        s = addr.exploded
    elif k < 0.7 and addr.ipv4_mapped is not None:
        s = "::ffff:%s" % addr.ipv4_mapped
    elif k < 0.8:  # groups without leading zeros, no "::"
        s = ":".join("%x" % int(g, 16) for g in addr.exploded.split(":"))
    else:
        s = addr.compressed
    return s.upper() if rng.random() < 0.3 else s


def mutate(rng, s):
    """A near miss: one character inserted, removed or changed."""
    alphabet = "0123456789abcdefgABCDEF:./% \t-+x"
    i = rng.randrange(len(s) + 1)
    k = rng.random()
    if k < 0.4:
        return s[:i] + rng.choice(alphabet) + s[i:]
    if k < 0.7 and s:
        i = min(i, len(s) - 1)
        return s[:i] + s[i + 1:]
    if s:
        i = min(i, len(s) - 1)
        return s[:i] + rng.choice(alphabet) + s[i + 1:]
    return s


def cases(n, seed):
    """(ip, cidr) pairs: random addresses and blocks, many of them
    around the address so that both answers are common, and near misses."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        addr = rand_v4(rng) if rng.random() < 0.5 else rand_v6(rng)
        other = rand_v4(rng) if rng.random() < 0.5 else rand_v6(rng)
        base = addr if rng.random() < 0.6 else other
        if base.version == 6 and base.ipv4_mapped and rng.random() < 0.5:
            base = base.ipv4_mapped
        maxlen = base.max_prefixlen
        plen = rng.choice([0, maxlen, maxlen + 1, rng.randint(0, maxlen),
                           rng.randint(0, maxlen)])
        # Near the address: flip a bit past the prefix, or inside it.
        if rng.random() < 0.5 and plen <= maxlen and base.version == 4:
            base = ipaddress.IPv4Address(int(base) ^ (1 << rng.randrange(32)))
        cidr = spell(rng, base)
        if rng.random() < 0.9:
            cidr += "/%d" % plen
        ip = spell(rng, addr)
        if rng.random() < 0.15:
            ip = mutate(rng, ip)
        if rng.random() < 0.15:
            cidr = mutate(rng, cidr)
        if rng.random() < 0.05:
            ip = rng.choice(SPACE) + ip + rng.choice(SPACE)
        out.append((ip, cidr))
    return out


class IpIn(unittest.TestCase):
    def setUp(self):
        self.db = tc.connect()

    def tearDown(self):
        self.db.close()

    def ip_in(self, ip, cidr):
        try:
            return self.db.execute("SELECT cloudtrail_ip_in(?, ?)",
                                   (ip, cidr)).fetchone()[0]
        except sqlite3.OperationalError as e:
            self.assertIn("is not a CIDR block", str(e))
            return ERROR

    def check(self, ip, cidr, want):
        self.assertEqual(self.ip_in(ip, cidr), want, (ip, cidr))

    def test_random_pairs_agree_with_ipaddress(self):
        n = 3000 if os.environ.get("CT_QUICK") else 20000
        seen = {}
        for ip, cidr in cases(n, 16):
            want = ref_in(ip, cidr)
            seen[want] = seen.get(want, 0) + 1
            self.assertEqual(self.ip_in(ip, cidr), want, (ip, cidr))
        # The cases exercise every answer, not only one.
        for k in (0, 1, None, ERROR):
            self.assertGreater(seen.get(k, 0), n // 50, (k, seen))

    def test_prefix_lengths_at_the_edges(self):
        self.check("255.255.255.255", "0.0.0.0/0", 1)
        self.check("0.0.0.0", "0.0.0.0/0", 1)
        self.check("10.0.0.1", "10.0.0.1/32", 1)
        self.check("10.0.0.2", "10.0.0.1/32", 0)
        self.check("10.0.0.1", "10.0.0.1/33", ERROR)
        self.check("ffff::1", "::/0", 1)
        self.check("2001:db8::1", "2001:db8::1/128", 1)
        self.check("2001:db8::2", "2001:db8::1/128", 0)
        self.check("2001:db8::1", "2001:db8::/129", ERROR)
        self.check("10.0.0.1", "10.0.0.1", 1)          # bare: /32
        self.check("2001:db8::1", "2001:db8::1", 1)    # bare: /128
        self.check("2001:db8::1", "2001:db8::", 0)
        self.check("10.9.9.9", "10.1.2.3/8", 1)        # host bits set
        self.check("10.0.0.1", "10.0.0.0/08", 1)       # a decimal prefix
        self.check("10.0.0.1", "10.0.0.0/255.0.0.0", ERROR)
        self.check("10.0.0.1", "10.0.0.0/", ERROR)
        self.check("10.0.0.1", "10.0.0.0/-1", ERROR)
        self.check("10.0.0.1", "10.0.0.0/8/8", ERROR)

    def test_families(self):
        self.check("::ffff:10.1.2.3", "10.0.0.0/8", 1)
        self.check("::ffff:a01:203", "10.0.0.0/8", 1)
        self.check("::ffff:11.1.2.3", "10.0.0.0/8", 0)
        self.check("::10.1.2.3", "10.0.0.0/8", 0)
        self.check("10.1.2.3", "::/0", 0)
        self.check("10.1.2.3", "::ffff:0:0/96", 0)
        self.check("2001:db8::1", "0.0.0.0/0", 0)

    def test_not_an_address_is_null(self):
        for ip in ("ec2.amazonaws.com", "AWS Internal", "", "1.2.3",
                   "010.1.2.3", "1.2.3.04", "fe80::1%eth0", "1.2.3.4 5",
                   "::ffff:01.2.3.4", "12345::", "1.2.3.4/32", "[::1]",
                   "1.2.3.4\x00", 167772161, b"1.2.3.4\x00"):
            self.check(ip, "0.0.0.0/0", None)
            self.check(ip, "::/0", None)
        # NOT ... keeps them out of "outside the ranges".
        self.assertEqual(self.db.execute(
            "SELECT count(*) FROM (SELECT 'AWS Internal' AS ip) "
            "WHERE NOT cloudtrail_ip_in(ip, '10.0.0.0/8')").fetchone()[0], 0)

    def test_spaces_around_are_ignored_inside_are_not(self):
        self.check(" 10.1.2.3\r\n", "\t10.0.0.0/8 ", 1)
        self.check("10.1.2.3", "10.0.0.0/8\r", 1)
        self.check("10.1.2.3", "10.0.0.0 /8", ERROR)
        self.check("10.1.2.3", "10.0.0.0/ 8", ERROR)
        self.check("10. 1.2.3", "10.0.0.0/8", None)

    def test_leading_zeros(self):
        self.check("2001:0db8:0000::0001", "2001:db8::/32", 1)
        self.check("10.1.2.3", "010.0.0.0/8", ERROR)
        self.check("010.1.2.3", "10.0.0.0/8", None)
        self.check("00001::", "::/0", None)

    def test_zone_ids_are_not_accepted(self):
        self.check("fe80::1%eth0", "fe80::/10", None)
        self.check("fe80::1", "fe80::%eth0/10", ERROR)

    def test_null_arguments(self):
        self.check(None, "10.0.0.0/8", None)
        self.check("10.1.2.3", None, None)
        self.check(None, None, None)
        self.check(None, "not a block", None)

    def test_a_bad_block_is_an_error_naming_it(self):
        with self.assertRaises(sqlite3.OperationalError) as cm:
            self.db.execute("SELECT cloudtrail_ip_in('ec2.amazonaws.com', "
                            "'10.0.0.0/33')").fetchall()
        self.assertEqual(
            str(cm.exception),
            "cloudtrail_ip_in: '10.0.0.0/33' is not a CIDR block: the prefix "
            "length of an IPv4 block is 0 to 32 (write an address and a "
            "prefix length: '10.0.0.0/8', '2001:db8::/32')")
        with self.assertRaises(sqlite3.OperationalError) as cm:
            self.db.execute("SELECT cloudtrail_ip_in('1.2.3.4', "
                            "'office')").fetchall()
        self.assertIn("'office' is not a CIDR block: not an IPv4 or IPv6 "
                      "address", str(cm.exception))

    def test_deterministic_and_innocuous(self):
        # DETERMINISTIC: usable in an index on an expression; INNOCUOUS:
        # usable from a schema under trusted_schema=OFF.
        self.db.execute("PRAGMA trusted_schema=OFF")
        self.db.execute("CREATE TABLE t(ip TEXT)")
        self.db.execute("CREATE INDEX t_in ON t(cloudtrail_ip_in(ip, "
                        "'10.0.0.0/8'))")
        self.db.executemany("INSERT INTO t VALUES (?)",
                            [("10.1.1.1",), ("11.1.1.1",), ("x",)])
        self.assertEqual(self.db.execute(
            "SELECT ip FROM t WHERE cloudtrail_ip_in(ip, '10.0.0.0/8') = 1"
        ).fetchall(), [("10.1.1.1",)])

    def test_join_with_a_table_of_ranges_over_real_logs(self):
        ranges = ["10.0.0.0/8", "192.168.0.0/16", "1.2.3.0/24",
                  "18.236.0.0/16", "2001:db8::/32", "::ffff:0:0/96",
                  "52.0.0.0/8"]
        self.db.execute("CREATE TEMP TABLE ranges(name TEXT, cidr TEXT)")
        self.db.executemany("INSERT INTO ranges VALUES (?, ?)",
                            [("r%d" % i, c) for i, c in enumerate(ranges)])
        self.db.execute("CREATE VIRTUAL TABLE temp.trail USING "
                        "cloudtrail('%s', 'on_error=skip')" % REAL)
        got = dict(self.db.execute(
            "SELECT r.name, count(*) FROM trail t JOIN ranges r "
            "ON cloudtrail_ip_in(t.sourceIPAddress, r.cidr) GROUP BY 1"))
        outside = self.db.execute(
            "SELECT count(*) FROM trail t WHERE NOT EXISTS (SELECT 1 FROM "
            "ranges r WHERE cloudtrail_ip_in(t.sourceIPAddress, r.cidr)) "
            "AND cloudtrail_ip_in(t.sourceIPAddress, '::/0') IS NOT NULL"
        ).fetchone()[0]
        ips = [r[0] for r in self.db.execute(
            "SELECT sourceIPAddress FROM trail")]
        want, want_out = {}, 0
        for ip in ips:
            if ip is None or ref_addr(ip) is None:
                continue
            hit = False
            for i, c in enumerate(ranges):
                if ref_in(ip, c) == 1:
                    want["r%d" % i] = want.get("r%d" % i, 0) + 1
                    hit = True
            want_out += not hit
        self.assertEqual(got, want)
        self.assertEqual(outside, want_out)
        self.assertGreater(sum(want.values()), 1000)
        self.assertGreater(want_out, 100)


if __name__ == "__main__":
    tc.main(__name__)
