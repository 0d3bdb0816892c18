/*
** ct_ip.h - IP addresses and CIDR blocks, for cloudtrail_ip_in(ip, cidr).
**
** An address is IPv4 dotted decimal ("10.1.2.3": four parts of 1 to 3
** digits, 0 to 255, no leading zero: "010.1.2.3" is octal to some tools, so
** it is not an address) or IPv6 text (RFC 4291: eight groups of 1 to 4 hex
** digits, any case, one "::" for one or more zero groups, an IPv4 tail
** "::ffff:1.2.3.4"). A zone id ("fe80::1%eth0") is not accepted. ASCII
** spaces, tabs, CR and LF around the text are ignored (a CSV's CRLF).
**
** A block is an address, optionally "/" and a prefix length in decimal
** (0..32 for IPv4, 0..128 for IPv6; no sign, no netmask); a bare address is
** /32 or /128. Bits set past the prefix are ignored: "10.1.2.3/8" is
** 10.0.0.0/8.
**
** Membership: an IPv4 block holds the IPv4 addresses in it and the
** IPv4-mapped IPv6 addresses ("::ffff:1.2.3.4") of those; an IPv6 block
** holds only IPv6 addresses (never dotted IPv4, even "::/0").
*/
#ifndef CT_IP_H
#define CT_IP_H

#include <stddef.h>

#define CT_IP_V4 4
#define CT_IP_V6 6

typedef struct CtIp {
  unsigned char a[16]; /* The address; IPv4 as ::ffff:a.b.c.d */
  int family;          /* CT_IP_V4 or CT_IP_V6: how it was written */
} CtIp;

typedef struct CtIpBlock {
  CtIp base; /* The address written before the "/" */
  int nBits; /* Prefix length as written: 0..32 (IPv4) or 0..128 */
} CtIpBlock;

/* Parse z (n bytes, need not be NUL-terminated). Returns 1 and fills *p if
** it is an address, else 0. */
int ctIpParse(const char *z, size_t n, CtIp *p);

/* Parse the block z (n bytes). Returns 1 and fills *p, or 0 and sets *pzWhy
** to a static text saying what is wrong. */
int ctIpParseBlock(const char *z, size_t n, CtIpBlock *p, const char **pzWhy);

/* 1 if the address is in the block (see above), else 0. */
int ctIpInBlock(const CtIp *pIp, const CtIpBlock *pBlock);

#endif /* CT_IP_H */
