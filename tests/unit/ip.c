/*
** tests/unit/ip.c - ct_ip: addresses (IPv4 strictly, IPv6 in every RFC 4291
** form), blocks (prefix lengths, host bits), membership across families.
** tests/test_functions.py checks the same against Python's ipaddress.
*/
#include "helpers.h"

#include "ct_ip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parseIp(const char *z, CtIp *p) {
  size_t n = strlen(z);
  char *buf = exactCopy(z, n);
  int ok = ctIpParse(buf, n, p);
  free(buf);
  return ok;
}

/* -1: cidr is not a block; else 0/1 as the address is in it; 2: ip is not
** an address. */
static int ipIn(const char *zIp, const char *zBlock) {
  CtIpBlock b;
  CtIp ip;
  const char *zWhy = 0;
  size_t n = strlen(zBlock);
  char *buf = exactCopy(zBlock, n);
  int ok = ctIpParseBlock(buf, n, &b, &zWhy);
  free(buf);
  if (!ok)
    return zWhy != 0 ? -1 : -2;
  if (!parseIp(zIp, &ip))
    return 2;
  return ctIpInBlock(&ip, &b);
}

static void ip_should_parse_addresses(void) {
  static const struct {
    const char *z;
    int family;
    unsigned char a[16];
  } a[] = {
      {"1.2.3.4",
       CT_IP_V4,
       {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4}},
      {"0.0.0.0",
       CT_IP_V4,
       {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 0, 0, 0, 0}},
      {" 255.255.255.255\r\n",
       CT_IP_V4,
       {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255}},
      {"::", CT_IP_V6, {0}},
      {"::1", CT_IP_V6, {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
      {"1::", CT_IP_V6, {0, 1}},
      {"2001:DB8::a:0001",
       CT_IP_V6,
       {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a, 0, 1}},
      {"1:2:3:4:5:6:7:8",
       CT_IP_V6,
       {0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8}},
      {"1:2:3:4:5:6:7::", CT_IP_V6, {0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7}},
      {"::2:3:4:5:6:7:8",
       CT_IP_V6,
       {0, 0, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8}},
      {"::ffff:1.2.3.4",
       CT_IP_V6,
       {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4}},
      {"1:2:3:4:5:6:1.2.3.4",
       CT_IP_V6,
       {0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4}},
  };
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    CtIp ip;
    CHECKF(parseIp(a[i].z, &ip), ": \"%s\"", a[i].z);
    CHECKF(ip.family == a[i].family, ": \"%s\"", a[i].z);
    CHECKF(memcmp(ip.a, a[i].a, 16) == 0, ": \"%s\"", a[i].z);
  }
}

static void ip_should_reject_what_is_not_an_address(void) {
  static const char *const a[] = {"",
                                  " ",
                                  "ec2.amazonaws.com",
                                  "AWS Internal",
                                  "1.2.3",
                                  "1.2.3.4.5",
                                  "256.1.1.1",
                                  "01.2.3.4",
                                  "1.2.3.04",
                                  "1.2.3.",
                                  ".1.2.3",
                                  "1..2.3",
                                  "1.2.3.4 5",
                                  "1 .2.3.4",
                                  "+1.2.3.4",
                                  "1.2.3.1000",
                                  "0x1.2.3.4",
                                  "167772161",
                                  ":",
                                  ":::",
                                  "::1::",
                                  "1:2:3:4:5:6:7",
                                  "1:2:3:4:5:6:7:8:9",
                                  "1:2:3:4:5:6:7:8::",
                                  "::1:2:3:4:5:6:7:8",
                                  "1::2:3:4:5:6:7:8",
                                  ":1::",
                                  "1::2:",
                                  "1:",
                                  "12345::",
                                  "g::",
                                  "fe80::1%eth0",
                                  "::ffff:1.2.3",
                                  "::ffff:01.2.3.4",
                                  "1.2.3.4::",
                                  "1:2:3:4:5:6:7:1.2.3.4",
                                  "::1.2.3.4:5",
                                  "[::1]",
                                  "1.2.3.4/32"};
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
    CtIp ip;
    CHECKF(!parseIp(a[i], &ip), ": \"%s\" parsed", a[i]);
  }
}

static void ip_should_read_a_nul_byte_as_not_an_address(void) {
  CtIp ip;
  CHECK(!ctIpParse("1.2.3.4\0", 8, &ip));
  CHECK(ctIpParse("1.2.3.4\0", 7, &ip));
}

static void ip_block_should_take_prefix_lengths(void) {
  CHECK(ipIn("10.1.2.3", "10.0.0.0/8") == 1);
  CHECK(ipIn("11.1.2.3", "10.0.0.0/8") == 0);
  CHECK(ipIn("10.1.2.3", "10.1.2.3") == 1);
  CHECK(ipIn("10.1.2.4", "10.1.2.3") == 0);
  CHECK(ipIn("10.1.2.3", "10.1.2.3/32") == 1);
  CHECK(ipIn("1.2.3.4", "0.0.0.0/0") == 1);
  CHECK(ipIn("10.1.2.3", "10.1.2.3/08") == 1);
  /* Host bits set: the block they name. */
  CHECK(ipIn("10.200.0.1", "10.1.2.3/8") == 1);
  CHECK(ipIn("192.168.1.130", "192.168.1.129/25") == 1);
  CHECK(ipIn("192.168.1.127", "192.168.1.129/25") == 0);
  CHECK(ipIn("192.168.1.1", "192.168.1.0/31") == 1);
  CHECK(ipIn("192.168.1.2", "192.168.1.0/31") == 0);
  CHECK(ipIn("2001:db8::1", "2001:db8::/32") == 1);
  CHECK(ipIn("2001:db9::1", "2001:db8::/32") == 0);
  CHECK(ipIn("2001:db8::1", "::/0") == 1);
  CHECK(ipIn("2001:db8::1", "2001:db8::1") == 1);
  CHECK(ipIn("2001:db8::1", "2001:db8::/128") == 0);
  CHECK(ipIn("2001:db8:0:7fff::", "2001:db8::/49") == 1);
  CHECK(ipIn("2001:db8:0:8000::", "2001:db8::/49") == 0);
  CHECK(ipIn(" 10.1.2.3 ", "\t10.0.0.0/8\r\n") == 1);
}

static void ip_block_should_match_within_the_family(void) {
  /* IPv4-mapped IPv6 addresses are in IPv4 blocks. */
  CHECK(ipIn("::ffff:10.1.2.3", "10.0.0.0/8") == 1);
  CHECK(ipIn("::FFFF:a01:203", "10.0.0.0/8") == 1);
  CHECK(ipIn("::ffff:11.1.2.3", "10.0.0.0/8") == 0);
  CHECK(ipIn("::ffff:1.2.3.4", "0.0.0.0/0") == 1);
  /* Other IPv6 addresses are not, even when their last bits agree. */
  CHECK(ipIn("::10.1.2.3", "10.0.0.0/8") == 0);
  CHECK(ipIn("::1", "0.0.0.0/0") == 0);
  /* Dotted IPv4 is in no IPv6 block. */
  CHECK(ipIn("10.1.2.3", "::/0") == 0);
  CHECK(ipIn("10.1.2.3", "::ffff:0:0/96") == 0);
  CHECK(ipIn("::ffff:10.1.2.3", "::ffff:0:0/96") == 1);
}

static void ip_block_should_reject_bad_blocks(void) {
  static const char *const a[] = {"",
                                  "/8",
                                  "10.0.0.0/",
                                  "10.0.0.0/33",
                                  "10.0.0.0/-1",
                                  "10.0.0.0/+8",
                                  "10.0.0.0/8/8",
                                  "10.0.0.0/255.0.0.0",
                                  "10.0.0.0/ 8",
                                  "10.0.0.0 /8",
                                  "::/129",
                                  "::/99999999999999999999",
                                  "10/8",
                                  "010.0.0.0/8",
                                  "fe80::%eth0/64",
                                  "example.com/8",
                                  "10.0.0.0/8x"};
  size_t i;
  for (i = 0; i < sizeof(a) / sizeof(a[0]); i++)
    CHECKF(ipIn("10.0.0.1", a[i]) == -1, ": \"%s\"", a[i]);
}

static void ip_block_should_say_why(void) {
  CtIpBlock b;
  const char *zWhy = 0;
  CHECK(!ctIpParseBlock("10.0.0.0/33", 11, &b, &zWhy));
  CHECK_CONTAINS(zWhy, "0 to 32");
  CHECK(!ctIpParseBlock("::/129", 6, &b, &zWhy));
  CHECK_CONTAINS(zWhy, "0 to 128");
  CHECK(!ctIpParseBlock("x/1", 3, &b, &zWhy));
  CHECK_CONTAINS(zWhy, "address");
  CHECK(!ctIpParseBlock("::/", 3, &b, &zWhy));
  CHECK_CONTAINS(zWhy, "no prefix length");
}

const Test aUnitIp[] = {
    TEST(ip_should_parse_addresses),
    TEST(ip_should_reject_what_is_not_an_address),
    TEST(ip_should_read_a_nul_byte_as_not_an_address),
    TEST(ip_block_should_take_prefix_lengths),
    TEST(ip_block_should_match_within_the_family),
    TEST(ip_block_should_reject_bad_blocks),
    TEST(ip_block_should_say_why),
    {0, 0},
};
