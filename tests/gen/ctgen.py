#!/usr/bin/python3
"""ctgen.py - deterministic AWS CloudTrail log generator (Python 3 stdlib only).

The same arguments (and seed) always give byte-identical output.

Usage:
  ctgen.py trail OUTDIR [--seed N] [--accounts 2]
        [--regions us-east-1,eu-west-1,ap-southeast-2] [--start 2024-02-28]
        [--days 3] [--interval 5] [--events-per-file 20] [--org o-abc123def4]
        [--prefix some/prefix] [--late-fraction 0.02] [--insights] [--digests]
        [--compact|--pretty] [--level 6]
      A trail in the S3 layout:
        OUTDIR/[PREFIX/]AWSLogs/[ORG/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/
            ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_UNIQUE.json.gz
      One file per account and region every --interval minutes, from --start
      (00:00Z) for --days days.  The name's minute D is the delivery time:
      events lie in [D-15min, D) (late deliveries up to 20 h earlier, some with
      addendum.reason DELIVERY_DELAY); no event is ever at or after D.
      --digests adds hourly CloudTrail-Digest/ files (not events); --insights
      adds a few CloudTrail-Insight/ files (eventCategory "Insight").
      Prints a summary (files, events, time span) on stdout.

  ctgen.py shapes OUTDIR [--seed N]
      One small file per input shape (Records, arrays, NDJSON, single object,
      gzip single/multi-member, empty files, big integers, \\u escapes,
      duplicate keys, CRLF, ...), a CloudTrail-Digest/ folder and .txt/.csv
      files that readers must skip, and OUTDIR/expected.json:
      {"relative/path": [{"eventID": ..., "eventName": ...}, ...]} in file
      order (decoded values; duplicate keys: first occurrence wins).

  ctgen.py bad OUTDIR [--seed N]
      One malformed file per case, each in its own folder
      (OUTDIR/CASE/FILE, e.g. OUTDIR/truncated-gz/truncated.json.gz), and
      OUTDIR/cases.tsv (case, path, byte offset of the fault or -, what).

Run with /usr/bin/python3.  Uses only random.Random(seed), never the global
random state, and gzip with mtime=0.
"""

import argparse
import datetime
import gzip
import hashlib
import json
import os
import time
import random

# ---------------------------------------------------------------------------
# Raw-text markers.  json.dumps cannot emit \u escapes selectively or numbers
# in a chosen spelling, so values carry markers that are rewritten in the
# serialized text:
#   ESC + 4 hex digits          ->  \uXXXX   (inside a string or key)
#   "RAW<text>RAW" (a string)   ->  <text>   (raw token, e.g. 1.688560107857E9)
ESC = '\ue000'
RAW = '\ue001'


def esc(hexcode):
    return ESC + hexcode


def raw(text):
    return RAW + text + RAW


def fix_markers(s):
    if RAW in s:
        s = s.replace('"' + RAW, '').replace(RAW + '"', '')
    if ESC in s:
        s = s.replace(ESC, '\\u')
    return s


def dumps_compact(obj):
    return fix_markers(json.dumps(obj, ensure_ascii=False, separators=(',', ':')))


def dumps_pretty(obj, indent=2):
    return fix_markers(json.dumps(obj, ensure_ascii=False, indent=indent))


def gz(data, level=6):
    return gzip.compress(data, compresslevel=level, mtime=0)


ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
UPPERNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
IDCHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
HEX = '0123456789abcdef'
B64 = ALNUM + '+/'

_tcache = {}


def ts(t):
    """epoch seconds -> YYYY-MM-DDTHH:MM:SSZ"""
    m = t // 60
    p = _tcache.get(m)
    if p is None:
        p = time.strftime('%Y-%m-%dT%H:%M:', time.gmtime(m * 60))
        _tcache[m] = p
    return p + '%02dZ' % (t - m * 60)


def parse_start(s):
    for fmt in ('%Y-%m-%d', '%Y-%m-%dT%H:%M', '%Y-%m-%dT%H:%M:%SZ', '%Y-%m-%dT%H:%MZ'):
        try:
            d = datetime.datetime.strptime(s, fmt)
            return int(d.replace(tzinfo=datetime.timezone.utc).timestamp())
        except ValueError:
            pass
    raise SystemExit('bad --start %r (want YYYY-MM-DD or YYYY-MM-DDTHH:MM)' % s)


TLS = [
    ('TLSv1.2', 'ECDHE-RSA-AES128-GCM-SHA256'),
    ('TLSv1.3', 'TLS_AES_128_GCM_SHA256'),
    ('TLSv1.3', 'TLS_AES_128_GCM_SHA256'),
    ('TLSv1.2', 'ECDHE-RSA-AES128-SHA'),
    ('TLSv1.3', 'TLS_AES_256_GCM_SHA384'),
]

USER_AGENTS = [
    'aws-cli/2.15.10 Python/3.11.6 Linux/6.5.0-1014-aws exe/x86_64.ubuntu.22 prompt/off command/ec2.describe-instances',
    'aws-cli/2.13.25 Python/3.11.5 Darwin/23.1.0 exe/x86_64 prompt/off command/s3api.get-object',
    'Boto3/1.34.14 md/Botocore#1.34.14 ua/2.0 os/linux#5.10.205-195.807.amzn2.x86_64 md/arch#x86_64 lang/python#3.11.6 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.14',
    'aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.141.0',
    'APN/1.0 HashiCorp/1.0 Terraform/1.6.6 (+https://www.terraform.io) terraform-provider-aws/5.31.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go/1.49.13 (go1.20.12; linux; amd64)',
    'aws-sdk-java/2.21.46 Linux/5.10.205-195.807.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.9+8-LTS Java/17.0.9 vendor/Amazon.com_Inc. exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/legacy',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    'AWS Internal',
    '[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.488 Linux/5.4.242-163.349.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.372-b08 java/1.8.0_372 vendor/Oracle_Corporation cfg/retry-mode/standard]',
    'console.amazonaws.com',
    'Boto3/1.33.2 md/Botocore#1.33.2 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.1 Botocore/1.33.2 outil-d\u00e9ploiement/1.4 (\u00e9quipe donn\u00e9es)',
    'aws-sdk-nodejs/2.1530.0 linux/v18.19.0 exec-env/AWS_Lambda_nodejs18.x promise',
]
BROWSER_UAS = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
    'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
]

USER_NAMES = ['alice', 'bob.smith', 'ci-deploy', 'terraform', 'security-audit',
              'carol@example.com', 'dave_ops', 'backup-svc', 'eve', 'frank.w']
ROLE_DEFS = [
    ('OrganizationAccountAccessRole', '/'),
    ('AdminRole', '/'),
    ('ReadOnlyRole', '/'),
    ('lambda-exec-role', '/service-role/'),
    ('ec2-app-role', '/'),
    ('AWSServiceRoleForConfig', '/aws-service-role/config.amazonaws.com/'),
    ('AWSReservedSSO_AdministratorAccess_4b1d6c8e2f3a9d07', '/aws-reserved/sso.amazonaws.com/'),
    ('github-actions-deploy', '/'),
]
SERVICES = ['ec2.amazonaws.com', 'lambda.amazonaws.com', 'ecs-tasks.amazonaws.com',
            'config.amazonaws.com', 'cloudformation.amazonaws.com', 'rds.amazonaws.com',
            'autoscaling.amazonaws.com', 'ssm.amazonaws.com']
OBJ_KEYS = ['logs/app/2024/02/28/part-0000.json.gz', 'reports/r\u00e9sum\u00e9 2024.pdf',
            'data/\u65e5\u672c\u8a9e/\u30d5\u30a1\u30a4\u30eb.txt', 'images/photo-001.jpg',
            'backups/db/dump.sql.gz', 'config/settings.yaml', 'tmp/upload-\u00e9t\u00e9.bin',
            'index.html', 'exports/k\u00f6ln-\u00fcbersicht.csv', 'AWSLogs/cloudtrail-test.json.gz']
TAG_VALUES = ['\u00c9quipe Donn\u00e9es', 'production', 'staging', 'Z\u00fcrich-Team',
              '\u6771\u4eac', 'na\u00efve caf\u00e9', 'dev', '\U0001F680 launch']

ERROR_MESSAGE_UNAUTH_EC2 = ('You are not authorized to perform this operation. User: %s is not '
                            'authorized to perform: ec2:%s on resource: %s because no '
                            'identity-based policy allows the ec2:%s action. Encoded '
                            'authorization failure message: %s')


class Account:
    """Per-account identities and resources."""

    def __init__(self, g, acct, regions):
        rng = g.rng
        self.id = acct
        self.users = []
        for name in rng.sample(USER_NAMES, 6):
            self.users.append({
                'name': name,
                'pid': 'AIDA' + g.idstr(17),
                'keys': ['AKIA' + g.idstr(16) for _ in range(2)],
            })
        self.roles = []
        for name, path in ROLE_DEFS:
            self.roles.append({'name': name, 'path': path, 'pid': 'AROA' + g.idstr(17),
                               'arn': 'arn:aws:iam::%s:role%s%s' % (acct, path, name)})
        self.buckets = ['app-data-%s' % acct, 'logs-%s-%s' % (acct, g.rstr('abcdefghijklmnopqrstuvwxyz0123456789', 6)),
                        'backups-%s' % acct, 'static-site-%s' % g.rstr('abcdefghijklmnopqrstuvwxyz', 5)]
        self.keys = [g.uuid() for _ in range(4)]
        self.ips = ['%d.%d.%d.%d' % (rng.choice([3, 18, 34, 52, 54, 81, 185, 203, 198]), rng.randrange(256),
                                     rng.randrange(256), rng.randrange(1, 255)) for _ in range(12)]
        self.ips += ['2001:db8:%x:%x::%x' % (rng.randrange(65536), rng.randrange(65536), rng.randrange(65536))
                     for _ in range(2)]
        self.ips += ['10.%d.%d.%d' % (rng.randrange(256), rng.randrange(256), rng.randrange(1, 255)) for _ in range(2)]
        self.res = {}
        for rg in regions:
            self.res[rg] = {
                'vpc': ['vpc-' + g.rstr(HEX, 17) for _ in range(3)],
                'subnet': ['subnet-' + g.rstr(HEX, 17) for _ in range(4)],
                'sg': ['sg-' + g.rstr(HEX, 17) for _ in range(5)],
                'i': ['i-' + g.rstr(HEX, 17) for _ in range(8)],
                'acl': ['acl-' + g.rstr(HEX, 17) for _ in range(2)],
                'rtb': ['rtb-' + g.rstr(HEX, 17) for _ in range(3)],
                'igw': ['igw-' + g.rstr(HEX, 17) for _ in range(2)],
                'cgw': ['cgw-' + g.rstr(HEX, 17) for _ in range(1)],
                'pcx': ['pcx-' + g.rstr(HEX, 17) for _ in range(2)],
                'vol': ['vol-' + g.rstr(HEX, 17) for _ in range(4)],
                'fn': ['order-processor', 'thumbnailer', 'auth-authorizer', 'nightly-report'],
                'table': ['orders', 'sessions', 'users-v2'],
            }


class Gen:
    def __init__(self, seed, regions, accounts=None, org=None):
        self.rng = rng = random.Random(seed)
        self.r = rng.random
        self.regions = regions
        self.org = org
        self.xamz = [self.rstr(B64, 76) for _ in range(32)]
        self.enc_msgs = [self.rstr(ALNUM + '-_', 180) for _ in range(8)]
        ids = accounts or []
        self.accounts = [Account(self, a, regions) for a in ids]
        self.foreign = ['%012d' % rng.randrange(10 ** 11, 10 ** 12) for _ in range(3)]
        self.templates = build_templates()
        table = []
        for idx, tp in enumerate(self.templates):
            table += [idx] * max(1, int(tp[0] * 100))
        self.table = table
        self.ntable = len(table)
        self.late_fraction = 0.0
        self.escape_names = True

    # -- small random helpers ------------------------------------------------
    def rstr(self, alphabet, n):
        return ''.join(self.rng.choices(alphabet, k=n))

    def idstr(self, n):
        return ''.join(self.rng.choices(IDCHARS, k=n))

    def uuid(self):
        h = '%032x' % self.rng.getrandbits(128)
        return '%s-%s-4%s-%s%s-%s' % (h[:8], h[8:12], h[13:16], '89ab'[int(h[16], 16) & 3], h[17:20], h[20:])

    def pick(self, lst):
        return lst[int(self.r() * len(lst))]

    def s3rid(self):
        return ''.join(self.rng.choices(UPPERNUM, k=16))

    # -- identities ------------------------------------------------------------
    def ident_user(self, c, t):
        u = self.pick(c.users)
        ui = {'type': 'IAMUser', 'principalId': u['pid'], 'arn': 'arn:aws:iam::%s:user/%s' % (c.id, u['name']),
              'accountId': c.id, 'accessKeyId': self.pick(u['keys']), 'userName': u['name']}
        if self.r() < 0.15:
            ui['accessKeyId'] = 'ASIA' + self.idstr(16)
            ui['sessionContext'] = {'sessionIssuer': {}, 'webIdFederationData': {},
                                    'attributes': {'creationDate': ts(t - int(self.r() * 7200)),
                                                   'mfaAuthenticated': 'true' if self.r() < 0.7 else 'false'}}
        return ui

    def ident_role(self, c, t, invoked_by=None, acct=None):
        rl = self.pick(c.roles)
        acct = acct or c.id
        sess = self.pick(['botocore-session-%d' % (1700000000 + int(self.r() * 9999999)),
                          'alice@example.com', 'aws-go-sdk-%d' % (1708000000000000000 + int(self.r() * 1e15)),
                          'i-0%s' % self.rstr(HEX, 16), 'GitHubActions', 'AWSConfig-Describe',
                          'terraform-run-%d' % int(self.r() * 1e6)])
        ui = {'type': 'AssumedRole', 'principalId': '%s:%s' % (rl['pid'], sess),
              'arn': 'arn:aws:sts::%s:assumed-role/%s/%s' % (acct, rl['name'], sess),
              'accountId': acct, 'accessKeyId': 'ASIA' + self.idstr(16),
              'sessionContext': {
                  'sessionIssuer': {'type': 'Role', 'principalId': rl['pid'],
                                    'arn': 'arn:aws:iam::%s:role%s%s' % (acct, rl['path'], rl['name']),
                                    'accountId': acct, 'userName': rl['name']},
                  'webIdFederationData': {},
                  'attributes': {'creationDate': ts(t - int(self.r() * 3600)),
                                 'mfaAuthenticated': 'true' if self.r() < 0.2 else 'false'}}}
        if self.r() < 0.05:
            ui['sessionContext']['sourceIdentity'] = 'alice'
        if self.r() < 0.03:
            ui['sessionContext']['ec2RoleDelivery'] = '2.0'
        if invoked_by:
            ui['invokedBy'] = invoked_by
        return ui

    def ident_root(self, c, t, invoked=False):
        ui = {'type': 'Root', 'principalId': c.id, 'arn': 'arn:aws:iam::%s:root' % c.id, 'accountId': c.id,
              'accessKeyId': 'ASIA' + self.idstr(16)}
        if self.r() < 0.5:
            ui['sessionContext'] = {'sessionIssuer': {}, 'webIdFederationData': {},
                                    'attributes': {'creationDate': ts(t - int(self.r() * 3600)),
                                                   'mfaAuthenticated': 'true' if self.r() < 0.6 else 'false'}}
        if invoked:
            ui['invokedBy'] = self.pick(['support.amazonaws.com', 'AWS Internal', 'signin.amazonaws.com'])
        return ui

    def ident_federated(self, c, t):
        u = self.pick(c.users)
        name = self.pick(['jenkins', 'partner-sync', 'okta-user'])
        return {'type': 'FederatedUser', 'principalId': '%s:%s' % (c.id, name),
                'arn': 'arn:aws:sts::%s:federated-user/%s' % (c.id, name), 'accountId': c.id,
                'accessKeyId': 'ASIA' + self.idstr(16),
                'sessionContext': {'sessionIssuer': {'type': 'IAMUser', 'principalId': u['pid'],
                                                     'arn': 'arn:aws:iam::%s:user/%s' % (c.id, u['name']),
                                                     'accountId': c.id, 'userName': u['name']},
                                   'webIdFederationData': {},
                                   'attributes': {'creationDate': ts(t - int(self.r() * 3600)),
                                                  'mfaAuthenticated': 'false'}}}

    def caller(self, c, t, kind):
        """(userIdentity, sourceIPAddress, userAgent, is_service)"""
        x = self.r()
        if kind == 'data':
            if x < 0.04:
                svc = 'cloudtrail.amazonaws.com'
                return {'type': 'AWSService', 'invokedBy': svc}, svc, svc, True
            if x < 0.06:
                acct = self.pick(self.foreign)
                return ({'type': 'AWSAccount', 'principalId': 'AIDA' + self.idstr(17), 'accountId': acct},
                        self.pick(c.ips), self.pick(USER_AGENTS), False)
        if kind == 'assume':
            if x < 0.45:
                svc = self.pick(SERVICES)
                return {'type': 'AWSService', 'invokedBy': svc}, svc, svc, True
        if x < 0.015 and kind != 'data':
            inv = self.r() < 0.35
            ui = self.ident_root(c, t, inv)
            if inv:
                return ui, ui['invokedBy'], ui['invokedBy'], True
            return ui, self.pick(c.ips), self.pick(BROWSER_UAS + USER_AGENTS[:3]), False
        if x < 0.02:
            return self.ident_federated(c, t), self.pick(c.ips), self.pick(USER_AGENTS), False
        if x < 0.62:
            if self.r() < 0.08:
                svc = self.pick(SERVICES)
                return self.ident_role(c, t, invoked_by=svc), svc, svc, True
            acct = self.pick(self.foreign) if self.r() < 0.02 else None
            ip = self.pick(c.ips) if self.r() < 0.85 else 'AWS Internal'
            return self.ident_role(c, t, acct=acct), ip, self.pick(USER_AGENTS), False
        return self.ident_user(c, t), self.pick(c.ips), self.pick(USER_AGENTS), False

    # -- events ----------------------------------------------------------------
    def event(self, c, rg, t, tpl=None):
        r = self.r
        if tpl is None:
            tpl = self.templates[self.table[int(r() * self.ntable)]]
        weight, src, name, ro, kind, build = tpl
        if name == 'ConsoleLogin':
            return self.console_login(c, rg, t)
        if kind == 'svc':
            return self.service_event(c, rg, t, src, name, build)
        ui, ip, ua, is_svc = self.caller(c, t, kind)
        s3 = src == 's3.amazonaws.com'
        rid = self.s3rid() if s3 else self.uuid()
        req, resp, add, res = build(self, c, rg, rid)
        e = {}
        if kind == 'data':
            e['eventVersion'] = '1.10' if r() < 0.5 else '1.09'
        else:
            x = r()
            e['eventVersion'] = '1.08' if x < 0.5 else ('1.09' if x < 0.85 else '1.10')
        e['userIdentity'] = ui
        e['eventTime'] = ts(t)
        e['eventSource'] = src
        e['eventName'] = name
        e['awsRegion'] = rg
        e['sourceIPAddress'] = ip
        e['userAgent'] = ua
        if r() < 0.05:
            code, msg = self.error_for(src, name, ui, rg, c)
            e['errorCode'] = code
            if msg is not None and r() < 0.92:
                e['errorMessage'] = msg
            resp = None
            if s3:
                add = None
        x = r()
        if x < 0.01 and isinstance(req, dict):
            self.spice(req)
        elif x < 0.0015:
            req = 'HIDDEN_DUE_TO_SECURITY_REASONS'
        e['requestParameters'] = req
        e['responseElements'] = resp
        if add is not None:
            e['additionalEventData'] = add
        e['requestID'] = rid
        e['eventID'] = self.uuid()
        if r() < 0.005:
            e['readOnly'] = 'true' if ro else 'false'
        else:
            e['readOnly'] = ro
        if res:
            e['resources'] = res
        e['eventType'] = 'AwsApiCall'
        if src == 'dynamodb.amazonaws.com':
            e['apiVersion'] = '2012-08-10'
        e['managementEvent'] = kind != 'data'
        e['recipientAccountId'] = c.id
        if s3 and r() < 0.1:
            e['vpcEndpointId'] = 'vpce-' + self.rstr(HEX, 8)
            e['vpcEndpointAccountId'] = c.id
        if ui.get('accountId', c.id) != c.id:
            e['sharedEventID'] = self.uuid()
        e['eventCategory'] = 'Data' if kind == 'data' else 'Management'
        if not is_svc and ip != 'AWS Internal':
            tv, cs = self.pick(TLS)
            host = ('%s.s3.%s.amazonaws.com' % (req['bucketName'], rg)
                    if s3 and isinstance(req, dict) and 'bucketName' in req else
                    src.replace('.amazonaws.com', '.%s.amazonaws.com' % rg)
                    if src not in ('iam.amazonaws.com', 'organizations.amazonaws.com', 'sts.amazonaws.com')
                    else src)
            e['tlsDetails'] = {'tlsVersion': tv, 'cipherSuite': cs, 'clientProvidedHostHeader': host}
        if ui.get('type') == 'AssumedRole' and r() < 0.05:
            e['sessionCredentialFromConsole'] = 'true'
        if self.escape_names and r() < 0.002:
            e['eventName'] = self.escape_letter(name)
        return e

    def escape_letter(self, name):
        i = int(self.r() * len(name))
        return name[:i] + esc('%04x' % ord(name[i]) if self.r() < 0.5 else '%04X' % ord(name[i])) + name[i + 1:]

    def spice(self, req):
        """Add non-ASCII text, \\u escapes, big integers or raw floats to a requestParameters object."""
        x = self.r()
        if x < 0.4:
            req['description'] = 'caf' + esc('00e9') + ' cr' + esc('00e8') + 'me ' + esc('2028') + ' line' + \
                                 esc('2029') + ' \u00fcber \u2013 ' + esc('d83d') + esc('de00')
        elif x < 0.6:
            req['comment'] = 'Z\u00fcrich \u65e5\u672c\u8a9e \U0001F680 ' + esc('0041') + esc('00e9')
        elif x < 0.8:
            req['sequenceNumber'] = 18446744073709551615
            req['marker'] = 9007199254740993
        else:
            req['requestedAt'] = raw('1.688560107857E9')
            req['maxItems'] = 9007199254740993
            req['ratio'] = raw('1.5E9')

    def error_for(self, src, name, ui, rg, c):
        x = self.r()
        arn = ui.get('arn') or 'arn:aws:iam::%s:root' % c.id
        if x < 0.1:
            return 'ThrottlingException', 'Rate exceeded'
        if src == 'ec2.amazonaws.com':
            if x < 0.75:
                return 'Client.UnauthorizedOperation', ERROR_MESSAGE_UNAUTH_EC2 % (
                    arn, name, 'arn:aws:ec2:%s:%s:*' % (rg, c.id), name, self.pick(self.enc_msgs))
            if x < 0.8:
                return 'UnauthorizedOperation', 'You are not authorized to perform this operation.'
            return self.pick([('Client.InvalidGroup.NotFound', "The security group 'sg-0a1b2c3d4e5f67890' does not exist"),
                              ('Client.DryRunOperation', 'Request would have succeeded, but DryRun flag is set.'),
                              ('Client.InvalidParameterValue', 'Value () for parameter groupId is invalid. The value cannot be empty'),
                              ('Client.RequestLimitExceeded', 'Request limit exceeded.')])
        prefix = src.split('.')[0]
        msg = ('User: %s is not authorized to perform: %s:%s on resource: %s because no identity-based '
               'policy allows the %s:%s action' % (arn, prefix, name, '*', prefix, name))
        if src == 's3.amazonaws.com':
            if x < 0.8:
                return 'AccessDenied', 'Access Denied'
            return self.pick([('NoSuchBucketPolicy', 'The bucket policy does not exist'),
                              ('NoSuchKey', 'The specified key does not exist.'),
                              ('NoSuchCORSConfiguration', 'The CORS configuration does not exist')])
        if src in ('kms.amazonaws.com', 'secretsmanager.amazonaws.com', 'lambda.amazonaws.com',
                   'dynamodb.amazonaws.com', 'ssm.amazonaws.com', 'logs.amazonaws.com', 'config.amazonaws.com'):
            if x < 0.8:
                return 'AccessDeniedException', msg
            return self.pick([('ResourceNotFoundException', 'Resource not found'),
                              ('ValidationException', '1 validation error detected')])
        if x < 0.8:
            return 'AccessDenied', msg
        if src == 'iam.amazonaws.com':
            return 'NoSuchEntityException', 'The user with name nobody cannot be found.'
        if src == 'cloudtrail.amazonaws.com':
            return 'TrailNotFoundException', 'Unknown trail: arn:aws:cloudtrail:%s:%s:trail/old-trail for the user: %s' % (rg, c.id, c.id)
        return 'InvalidParameterValueException', None

    def console_login(self, c, rg, t):
        r = self.r
        x = r()
        fail = r() < 0.3
        if x < 0.12:
            ui = {'type': 'Root', 'principalId': c.id, 'arn': 'arn:aws:iam::%s:root' % c.id,
                  'accountId': c.id, 'accessKeyId': ''}
        elif x < 0.25:
            rl = self.pick(c.roles)
            who = self.pick(['alice@example.com', 'bob@example.com', 'j\u00f6rg.m\u00fcller@example.com'])
            ui = {'type': 'AssumedRole', 'principalId': '%s:%s' % (rl['pid'], who),
                  'arn': 'arn:aws:sts::%s:assumed-role/%s/%s' % (c.id, rl['name'], who), 'accountId': c.id,
                  'sessionContext': {'sessionIssuer': {'type': 'Role', 'principalId': rl['pid'], 'arn': rl['arn'],
                                                       'accountId': c.id, 'userName': rl['name']},
                                     'webIdFederationData': {},
                                     'attributes': {'creationDate': ts(t), 'mfaAuthenticated': 'false'}}}
            fail = False
        else:
            u = self.pick(c.users)
            if fail and r() < 0.3:
                ui = {'type': 'IAMUser', 'principalId': '', 'accountId': c.id, 'accessKeyId': '',
                      'userName': 'HIDDEN_DUE_TO_SECURITY_REASONS'}
            else:
                ui = {'type': 'IAMUser', 'principalId': u['pid'], 'arn': 'arn:aws:iam::%s:user/%s' % (c.id, u['name']),
                      'accountId': c.id, 'userName': u['name']}
                if fail:
                    ui['accessKeyId'] = ''
        e = {'eventVersion': '1.08' if r() < 0.6 else '1.09', 'userIdentity': ui, 'eventTime': ts(t),
             'eventSource': 'signin.amazonaws.com', 'eventName': 'ConsoleLogin', 'awsRegion': rg,
             'sourceIPAddress': self.pick(c.ips), 'userAgent': self.pick(BROWSER_UAS)}
        if fail:
            e['errorMessage'] = 'Failed authentication'
        e['requestParameters'] = None
        e['responseElements'] = {'ConsoleLogin': 'Failure' if fail else 'Success'}
        y = r()
        if ui['type'] == 'AssumedRole':
            add = {'LoginTo': 'https://console.aws.amazon.com/console/home', 'MobileVersion': 'No',
                   'MFAUsed': 'No', 'SamlProviderArn': 'arn:aws:iam::%s:saml-provider/Okta' % c.id}
            if y < 0.3:
                del add['MFAUsed']
        elif y < 0.03:
            add = None
        else:
            mfa = 'Yes' if (not fail and r() < 0.6) else 'No'
            add = {'LoginTo': 'https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_' + self.rstr(HEX, 16),
                   'MobileVersion': 'No', 'MFAUsed': mfa}
            if mfa == 'Yes':
                add['MfaType'] = self.pick(['Virtual MFA', 'U2F MFA'])
            if fail:
                add = {'LoginTo': add['LoginTo'], 'MobileVersion': 'No', 'MFAUsed': 'No'}
        if add is not None:
            e['additionalEventData'] = add
        e['eventID'] = self.uuid()
        e['readOnly'] = False
        e['eventType'] = 'AwsConsoleSignIn'
        e['managementEvent'] = True
        e['recipientAccountId'] = c.id
        e['eventCategory'] = 'Management'
        tv, cs = self.pick(TLS[1:])
        e['tlsDetails'] = {'tlsVersion': tv, 'cipherSuite': cs,
                           'clientProvidedHostHeader': self.pick(['signin.aws.amazon.com', '%s.signin.aws.amazon.com' % rg])}
        if self.escape_names and r() < 0.04:
            e['eventName'] = self.pick(['Console' + esc('004c') + 'ogin', 'Console' + esc('004C') + 'ogin',
                                        esc('0043') + 'onsoleLogin'])
        return e

    def service_event(self, c, rg, t, src, name, build):
        r = self.r
        x = r()
        if x < 0.08:
            ui = {'type': 'Root', 'principalId': c.id, 'arn': 'arn:aws:iam::%s:root' % c.id, 'accountId': c.id}
        elif x < 0.2:
            ui = {'type': 'AWSService', 'invokedBy': src}
        else:
            ui = {'accountId': c.id, 'invokedBy': src}
        rid = self.uuid()
        req, resp, add, res = build(self, c, rg, rid)
        e = {'eventVersion': '1.08' if r() < 0.5 else '1.09', 'userIdentity': ui, 'eventTime': ts(t),
             'eventSource': src, 'eventName': name, 'awsRegion': rg,
             'sourceIPAddress': src if r() < 0.7 else 'AWS Internal', 'userAgent': src,
             'requestParameters': req, 'responseElements': resp}
        if add is not None:
            e['additionalEventData'] = add
        e['requestID'] = rid
        e['eventID'] = self.uuid()
        e['readOnly'] = False
        if res:
            e['resources'] = res
        e['eventType'] = 'AwsServiceEvent'
        e['managementEvent'] = True
        e['recipientAccountId'] = c.id
        if name == 'AWSHealthEvent':
            e['serviceEventDetails'] = {'eventTypeCode': 'AWS_EC2_OPERATIONAL_ISSUE', 'eventStatus': 'open',
                                        'affectedEntities': [], 'startTime': ts(t - 600)}
        e['eventCategory'] = 'Management'
        return e

    def insight(self, c, rg, t, state, shared, src, name, start_t=None):
        dur = None if start_t is None else max(1, (t - start_t) // 60)
        base_avg = round(self.r() * 0.05, 10)
        ins_avg = round(2 + self.r() * 40, 4)
        stats = {'baseline': {'average': base_avg}, 'insight': {'average': ins_avg}, 'baselineDuration': 10079}
        if dur is not None:
            stats['insightDuration'] = dur
        itype = 'ApiCallRateInsight' if self.r() < 0.7 else 'ApiErrorRateInsight'
        d = {'state': state, 'eventSource': src, 'eventName': name, 'insightType': itype,
             'insightContext': {'statistics': stats,
                                'attributions': [
                                    {'attribute': 'userIdentityArn',
                                     'insight': [{'value': 'arn:aws:iam::%s:user/%s' % (c.id, c.users[0]['name']), 'average': ins_avg}],
                                     'baseline': [{'value': 'arn:aws:iam::%s:user/%s' % (c.id, c.users[1]['name']), 'average': base_avg}]},
                                    {'attribute': 'userAgent',
                                     'insight': [{'value': USER_AGENTS[0], 'average': ins_avg}],
                                     'baseline': [{'value': USER_AGENTS[2], 'average': base_avg}]},
                                    {'attribute': 'errorCode',
                                     'insight': [{'value': 'null' if itype == 'ApiCallRateInsight' else 'AccessDeniedException',
                                                  'average': ins_avg}],
                                     'baseline': [{'value': 'null', 'average': base_avg}]}]}}
        if itype == 'ApiErrorRateInsight':
            d['errorCode'] = 'AccessDeniedException'
        return {'eventVersion': '1.08', 'eventTime': ts(t), 'awsRegion': rg, 'eventID': self.uuid(),
                'eventType': 'AwsCloudTrailInsight', 'recipientAccountId': c.id, 'sharedEventID': shared,
                'insightDetails': d, 'eventCategory': 'Insight'}


# ---------------------------------------------------------------------------
# Event templates: (weight, eventSource, eventName, readOnly, kind, builder)
# kind: mgmt (management API call), data (data event), assume (AssumeRole-like),
#       svc (AwsServiceEvent), signin (ConsoleLogin).
# builder(g, account, region, requestID) -> (requestParameters, responseElements,
#                                            additionalEventData, resources)

def _R(g, c, rg):
    return c.res[rg]


def _ec2ok(rid):
    return {'requestId': rid, '_return': True}


def _perm(g, port=None, cidr=None):
    port = port if port is not None else g.pick([22, 443, 3389, 80, 5432, 0])
    return {'items': [{'ipProtocol': 'tcp' if port else '-1', 'fromPort': port, 'toPort': port if port else 65535,
                       'groups': {}, 'ipRanges': {'items': [{'cidrIp': cidr or g.pick(['0.0.0.0/0', '10.0.0.0/8', '203.0.113.0/24'])}]},
                       'ipv6Ranges': {}, 'prefixListIds': {}}]}


def _sg_change(g, c, rg, rid):
    sg = g.pick(_R(g, c, rg)['sg'])
    req = {'groupId': sg, 'ipPermissions': _perm(g)}
    resp = {'requestId': rid, '_return': True,
            'securityGroupRuleSet': {'items': [{'groupOwnerId': c.id, 'groupId': sg,
                                                'securityGroupRuleId': 'sgr-' + g.rstr(HEX, 17),
                                                'isEgress': False, 'ipProtocol': 'tcp', 'fromPort': 22, 'toPort': 22,
                                                'cidrIpv4': '0.0.0.0/0'}]}}
    return req, resp, None, None


def _ec2_simple(key, kind):
    def b(g, c, rg, rid):
        return {key: g.pick(_R(g, c, rg)[kind])}, _ec2ok(rid), None, None
    return b


def _s3_bucket_cfg(extra):
    def b(g, c, rg, rid):
        bk = g.pick(c.buckets)
        req = {'bucketName': bk, 'Host': '%s.s3.%s.amazonaws.com' % (bk, rg)}
        req.update(extra(g, c, bk) if callable(extra) else {extra: ''})
        add = {'SignatureVersion': 'SigV4', 'CipherSuite': 'ECDHE-RSA-AES128-GCM-SHA256',
               'bytesTransferredIn': int(g.r() * 900) + 50, 'AuthenticationMethod': 'AuthHeader',
               'x-amz-id-2': g.pick(g.xamz), 'bytesTransferredOut': 0}
        res = [{'accountId': c.id, 'type': 'AWS::S3::Bucket', 'ARN': 'arn:aws:s3:::' + bk}]
        return req, None, add, res
    return b


def _policy_doc(g, bk):
    return {'Version': '2012-10-17', 'Statement': [
        {'Sid': 'AllowRead', 'Effect': 'Allow', 'Principal': g.pick(['*', {'AWS': 'arn:aws:iam::%s:root' % g.pick(g.foreign)}]),
         'Action': 's3:GetObject', 'Resource': 'arn:aws:s3:::%s/*' % bk}]}


def _s3_obj(put):
    def b(g, c, rg, rid):
        bk = g.pick(c.buckets)
        key = g.pick(OBJ_KEYS)
        req = {'bucketName': bk, 'Host': '%s.s3.%s.amazonaws.com' % (bk, rg), 'key': key}
        if put and g.r() < 0.5:
            req['x-amz-server-side-encryption'] = 'aws:kms'
        n = int(g.r() * 5000000)
        add = {'SignatureVersion': 'SigV4', 'CipherSuite': 'TLS_AES_128_GCM_SHA256',
               'bytesTransferredIn': n if put else 0, 'AuthenticationMethod': 'AuthHeader',
               'x-amz-id-2': g.pick(g.xamz), 'bytesTransferredOut': 0 if put else n}
        resp = ({'x-amz-server-side-encryption': 'AES256', 'x-amz-version-id': g.rstr(ALNUM, 32)}
                if put else None)
        res = [{'type': 'AWS::S3::Object', 'ARN': 'arn:aws:s3:::%s/%s' % (bk, key)},
               {'accountId': c.id, 'type': 'AWS::S3::Bucket', 'ARN': 'arn:aws:s3:::' + bk}]
        return req, resp, add, res
    return b


def _kms(withkey=True, resp=None):
    def b(g, c, rg, rid):
        k = g.pick(c.keys)
        arn = 'arn:aws:kms:%s:%s:key/%s' % (rg, c.id, k)
        req = {'keyId': k if g.r() < 0.5 else arn}
        if resp == 'decrypt':
            req = {'encryptionAlgorithm': 'SYMMETRIC_DEFAULT',
                   'encryptionContext': {'aws:s3:arn': 'arn:aws:s3:::%s/%s' % (g.pick(c.buckets), g.pick(OBJ_KEYS))}}
        elif resp == 'gdk':
            req['keySpec'] = 'AES_256'
        elif resp == 'sched':
            req['pendingWindowInDays'] = g.pick([7, 30])
        rs = None
        if resp == 'sched':
            rs = {'keyId': arn, 'deletionDate': 'Mar 30, 2024, 12:00:00 AM', 'keyState': 'PendingDeletion',
                  'pendingWindowInDays': req['pendingWindowInDays']}
        res = [{'accountId': c.id, 'type': 'AWS::KMS::Key', 'ARN': arn}]
        return req, rs, None, res
    return b


def _iam_policy(kind):
    def b(g, c, rg, rid):
        pol = g.pick(['AdministratorAccess', 'ReadOnlyAccess', 'S3FullAccess-custom', 'deny-all'])
        parn = 'arn:aws:iam::%s:policy/%s' % (c.id, pol)
        doc = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'
        if kind == 'inline-user':
            req = {'userName': g.pick(c.users)['name'], 'policyName': pol, 'policyDocument': doc}
        elif kind == 'inline-role':
            req = {'roleName': g.pick(c.roles)['name'], 'policyName': pol, 'policyDocument': doc}
        elif kind == 'inline-group':
            req = {'groupName': g.pick(['Admins', 'Developers', 'Auditors']), 'policyName': pol, 'policyDocument': doc}
        elif kind == 'del-user':
            req = {'userName': g.pick(c.users)['name'], 'policyName': pol}
        elif kind == 'del-role':
            req = {'roleName': g.pick(c.roles)['name'], 'policyName': pol}
        elif kind == 'del-group':
            req = {'groupName': g.pick(['Admins', 'Developers']), 'policyName': pol}
        elif kind == 'attach-user':
            req = {'userName': g.pick(c.users)['name'], 'policyArn': parn}
        elif kind == 'attach-role':
            req = {'roleName': g.pick(c.roles)['name'], 'policyArn': 'arn:aws:iam::aws:policy/' + pol}
        elif kind == 'attach-group':
            req = {'groupName': g.pick(['Admins', 'Developers']), 'policyArn': parn}
        elif kind == 'create':
            req = {'policyName': pol, 'policyDocument': doc, 'description': 'managed by terraform'}
            return req, {'policy': {'policyName': pol, 'policyId': 'ANPA' + g.idstr(17), 'arn': parn,
                                    'path': '/', 'defaultVersionId': 'v1', 'attachmentCount': 0,
                                    'permissionsBoundaryUsageCount': 0, 'isAttachable': True,
                                    'createDate': 'Feb 28, 2024, 1:02:03 PM',
                                    'updateDate': 'Feb 28, 2024, 1:02:03 PM'}}, None, None
        elif kind == 'create-version':
            req = {'policyArn': parn, 'policyDocument': doc, 'setAsDefault': True}
            return req, {'policyVersion': {'versionId': 'v%d' % (2 + int(g.r() * 4)), 'isDefaultVersion': True,
                                           'createDate': 'Feb 29, 2024, 11:59:59 PM'}}, None, None
        elif kind == 'del-version':
            req = {'policyArn': parn, 'versionId': 'v1'}
        else:  # delete policy
            req = {'policyArn': parn}
        return req, None, None, None
    return b


def _trail(kind):
    def b(g, c, rg, rid):
        name = g.pick(['management-events', 'org-trail', 'data-events-s3'])
        arn = 'arn:aws:cloudtrail:%s:%s:trail/%s' % (rg, c.id, name)
        if kind in ('create', 'update'):
            req = {'name': name, 's3BucketName': c.buckets[1], 'isMultiRegionTrail': True,
                   'enableLogFileValidation': g.r() < 0.7, 'includeGlobalServiceEvents': True}
            resp = {'name': name, 's3BucketName': c.buckets[1], 'includeGlobalServiceEvents': True,
                    'isMultiRegionTrail': True, 'trailARN': arn, 'logFileValidationEnabled': True,
                    'isOrganizationTrail': False}
        elif kind == 'ro':
            req = {'trailNameList': [], 'includeShadowTrails': True} if g.r() < 0.5 else {'name': arn}
            resp = None
        else:
            req = {'name': arn if g.r() < 0.5 else name}
            resp = None
        res = [{'accountId': c.id, 'type': 'AWS::CloudTrail::Trail', 'ARN': arn}] if kind not in ('ro',) else None
        return req, resp, None, res
    return b


def _org(kind):
    def b(g, c, rg, rid):
        acct = g.pick(g.foreign)
        ou = 'ou-%s-%s' % (g.rstr('abcdefghijklmnopqrstuvwxyz0123456789', 4), g.rstr('abcdefghijklmnopqrstuvwxyz0123456789', 8))
        pid = 'p-' + g.rstr('abcdefghijklmnopqrstuvwxyz0123456789', 8)
        m = {
            'acct': {'accountId': acct},
            'move': {'accountId': acct, 'sourceParentId': 'r-ab12', 'destinationParentId': ou},
            'ou': {'parentId': 'r-ab12', 'name': g.pick(['Sandbox', 'Production', 'Security'])},
            'ouid': {'organizationalUnitId': ou},
            'policy': {'policyId': pid},
            'attach': {'policyId': pid, 'targetId': g.pick([acct, ou])},
            'ptype': {'rootId': 'r-ab12', 'policyType': 'SERVICE_CONTROL_POLICY'},
            'hs': {'handshakeId': 'h-' + g.rstr(HEX, 32)},
            'invite': {'target': {'type': 'ACCOUNT', 'id': acct}, 'notes': 'Welcome'},
            'create': {'email': 'aws+%s@example.com' % g.rstr('abcdefghijklmnopqrstuvwxyz', 6),
                       'accountName': g.pick(['sandbox-1', 'log-archive', 'S\u00e9curit\u00e9'])},
            'cpolicy': {'content': '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"cloudtrail:StopLogging","Resource":"*"}]}',
                        'description': 'deny trail changes', 'name': 'protect-cloudtrail', 'type': 'SERVICE_CONTROL_POLICY'},
            'none': None,
        }
        return m[kind], None, None, None
    return b


def _config(kind):
    def b(g, c, rg, rid):
        if kind == 'recorder':
            req = {'configurationRecorderName': 'default'}
        elif kind == 'putrecorder':
            req = {'configurationRecorder': {'name': 'default', 'roleARN': c.roles[5]['arn'],
                                             'recordingGroup': {'allSupported': True, 'includeGlobalResourceTypes': True}}}
        elif kind == 'channel':
            req = {'deliveryChannelName': 'default'}
        elif kind == 'putchannel':
            req = {'deliveryChannel': {'name': 'default', 's3BucketName': c.buckets[1]}}
        else:
            req = {}
        return req, None, None, None
    return b


def build_templates():
    T = []

    def add(w, src, name, ro, kind, b):
        T.append((w, src + '.amazonaws.com', name, ro, kind, b))

    ec2, s3, iam, kms, sts = 'ec2', 's3', 'iam', 'kms', 'sts'

    # --- high-volume reads and data events
    add(12, s3, 'GetObject', True, 'data', _s3_obj(False))
    add(5, s3, 'PutObject', False, 'data', _s3_obj(True))
    add(6, kms, 'Decrypt', True, 'mgmt', _kms(resp='decrypt'))
    add(3, kms, 'GenerateDataKey', True, 'mgmt', _kms(resp='gdk'))
    add(1, kms, 'Encrypt', True, 'mgmt', _kms())
    add(0.5, kms, 'DescribeKey', True, 'mgmt', _kms())
    add(8, sts, 'AssumeRole', True, 'assume',
        lambda g, c, rg, rid: (
            {'roleArn': g.pick(c.roles)['arn'], 'roleSessionName': g.pick(['botocore-session-1709164800', 'SLRManagement', 'GitHubActions', 'i-0123456789abcdef0']),
             'durationSeconds': g.pick([900, 3600, 43200])},
            {'credentials': {'accessKeyId': 'ASIA' + g.idstr(16), 'sessionToken': g.rstr(B64, 120),
                             'expiration': 'Mar 1, 2024, 1:00:00 AM'},
             'assumedRoleUser': {'assumedRoleId': 'AROA' + g.idstr(17) + ':session', 'arn': 'arn:aws:sts::%s:assumed-role/x/session' % c.id}},
            None,
            [{'accountId': c.id, 'type': 'AWS::IAM::Role', 'ARN': g.pick(c.roles)['arn']}]))
    add(1, sts, 'AssumeRoleWithWebIdentity', True, 'assume',
        lambda g, c, rg, rid: ({'roleArn': c.roles[7]['arn'], 'roleSessionName': 'GitHubActions'},
                               {'subjectFromWebIdentityToken': 'repo:example/app:ref:refs/heads/main',
                                'provider': 'arn:aws:iam::%s:oidc-provider/token.actions.githubusercontent.com' % c.id,
                                'audience': 'sts.amazonaws.com'}, None, None))
    add(3, sts, 'GetCallerIdentity', True, 'mgmt', lambda g, c, rg, rid: (None, None, None, None))
    add(6, ec2, 'DescribeInstances', True, 'mgmt',
        lambda g, c, rg, rid: ({'instancesSet': {'items': [{'instanceId': g.pick(_R(g, c, rg)['i'])}]}, 'filterSet': {}}
                               if g.r() < 0.5 else {'maxResults': 1000, 'instancesSet': {}, 'filterSet': {}}, None, None, None))
    add(2, ec2, 'DescribeSecurityGroups', True, 'mgmt',
        lambda g, c, rg, rid: ({'securityGroupSet': {}, 'securityGroupIdSet': {'items': [{'groupId': g.pick(_R(g, c, rg)['sg'])}]}, 'filterSet': {}}, None, None, None))
    add(2, ec2, 'DescribeVolumes', True, 'mgmt',
        lambda g, c, rg, rid: ({'volumeSet': {}, 'filterSet': {}, 'maxResults': 500}, None, None, None))
    add(1, ec2, 'DescribeSubnets', True, 'mgmt', lambda g, c, rg, rid: ({'subnetSet': {}, 'filterSet': {}}, None, None, None))
    add(1, ec2, 'DescribeVpcs', True, 'mgmt', lambda g, c, rg, rid: ({'vpcSet': {}, 'filterSet': {}}, None, None, None))
    add(1, ec2, 'DescribeRegions', True, 'mgmt', lambda g, c, rg, rid: ({'regionSet': {}}, None, None, None))
    add(0.3, ec2, 'RunInstances', False, 'mgmt',
        lambda g, c, rg, rid: ({'instancesSet': {'items': [{'imageId': 'ami-' + g.rstr(HEX, 17), 'minCount': 1, 'maxCount': 1}]},
                                'instanceType': g.pick(['t3.micro', 'm5.large', 'p4d.24xlarge']),
                                'subnetId': g.pick(_R(g, c, rg)['subnet']), 'disableApiTermination': False,
                                'tagSpecificationSet': {'items': [{'resourceType': 'instance', 'tags': [{'key': 'Team', 'value': g.pick(TAG_VALUES)}]}]}},
                               {'requestId': rid, 'reservationId': 'r-' + g.rstr(HEX, 17), 'ownerId': c.id,
                                'instancesSet': {'items': [{'instanceId': g.pick(_R(g, c, rg)['i']), 'currentState': {'code': 0, 'name': 'pending'},
                                                            'launchTime': 1709164800000}]}}, None, None))
    add(0.2, ec2, 'TerminateInstances', False, 'mgmt',
        lambda g, c, rg, rid: ({'instancesSet': {'items': [{'instanceId': g.pick(_R(g, c, rg)['i'])}]}},
                               {'requestId': rid, 'instancesSet': {'items': [{'instanceId': g.pick(_R(g, c, rg)['i']),
                                                                              'currentState': {'code': 32, 'name': 'shutting-down'},
                                                                              'previousState': {'code': 16, 'name': 'running'}}]}}, None, None))
    add(0.5, ec2, 'CreateTags', False, 'mgmt',
        lambda g, c, rg, rid: ({'resourcesSet': {'items': [{'resourceId': g.pick(_R(g, c, rg)['i'])}]},
                                'tagSet': {'items': [{'key': 'Owner', 'value': g.pick(TAG_VALUES)}]}}, _ec2ok(rid), None, None))
    add(1, s3, 'ListBuckets', True, 'mgmt', lambda g, c, rg, rid: ({'Host': 's3.amazonaws.com'}, None, None, None))
    add(2, s3, 'GetBucketAcl', True, 'mgmt', _s3_bucket_cfg('acl'))
    add(1, s3, 'GetBucketPolicy', True, 'mgmt', _s3_bucket_cfg('policy'))
    add(1, iam, 'ListUsers', True, 'mgmt', lambda g, c, rg, rid: ({'maxItems': 100} if g.r() < 0.5 else None, None, None, None))
    add(1, iam, 'GetUser', True, 'mgmt', lambda g, c, rg, rid: ({'userName': g.pick(c.users)['name']}, None, None, None))
    add(1, iam, 'ListRoles', True, 'mgmt', lambda g, c, rg, rid: (None, None, None, None))
    add(1, iam, 'GetRole', True, 'mgmt', lambda g, c, rg, rid: ({'roleName': g.pick(c.roles)['name']}, None, None, None))
    add(1, iam, 'ListAttachedRolePolicies', True, 'mgmt', lambda g, c, rg, rid: ({'roleName': g.pick(c.roles)['name']}, None, None, None))
    add(0.1, iam, 'CreateUser', False, 'mgmt',
        lambda g, c, rg, rid: ({'userName': 'new-user-' + g.rstr('abcdefghijklmnopqrstuvwxyz', 5), 'path': '/'},
                               {'user': {'path': '/', 'userName': 'new-user', 'userId': 'AIDA' + g.idstr(17),
                                         'arn': 'arn:aws:iam::%s:user/new-user' % c.id, 'createDate': 'Feb 29, 2024, 12:00:00 PM'}}, None, None))
    add(0.1, iam, 'CreateAccessKey', False, 'mgmt',
        lambda g, c, rg, rid: ({'userName': g.pick(c.users)['name']},
                               {'accessKey': {'userName': 'x', 'accessKeyId': 'AKIA' + g.idstr(16), 'status': 'Active',
                                              'createDate': 'Feb 29, 2024, 12:00:00 PM'}}, None, None))
    add(3, 'lambda', 'Invoke', False, 'data',
        lambda g, c, rg, rid: ({'functionName': 'arn:aws:lambda:%s:%s:function:%s' % (rg, c.id, g.pick(_R(g, c, rg)['fn'])),
                                'invocationType': 'RequestResponse'}, None,
                               {'functionVersion': 'arn:aws:lambda:%s:%s:function:%s:$LATEST' % (rg, c.id, _R(g, c, rg)['fn'][0])},
                               [{'accountId': c.id, 'type': 'AWS::Lambda::Function',
                                 'ARN': 'arn:aws:lambda:%s:%s:function:%s' % (rg, c.id, _R(g, c, rg)['fn'][0])}]))
    add(1, 'lambda', 'ListFunctions20150331', True, 'mgmt', lambda g, c, rg, rid: (None, None, None, None))
    add(3, 'ssm', 'GetParameter', True, 'mgmt',
        lambda g, c, rg, rid: ({'name': g.pick(['/app/db/password', '/app/feature-flags', '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64']),
                                'withDecryption': g.r() < 0.5}, None, None, None))
    add(1, 'ssm', 'DescribeInstanceInformation', True, 'mgmt', lambda g, c, rg, rid: ({'maxResults': 50}, None, None, None))
    add(2, 'secretsmanager', 'GetSecretValue', True, 'mgmt',
        lambda g, c, rg, rid: ({'secretId': 'arn:aws:secretsmanager:%s:%s:secret:prod/db-%s' % (rg, c.id, g.rstr(ALNUM, 6))}, None, None, None))
    add(1, 'logs', 'CreateLogStream', False, 'mgmt',
        lambda g, c, rg, rid: ({'logGroupName': '/aws/lambda/%s' % g.pick(_R(g, c, rg)['fn']),
                                'logStreamName': '2024/02/29/[$LATEST]' + g.rstr(HEX, 32)}, None, None, None))
    add(1, 'logs', 'DescribeLogGroups', True, 'mgmt', lambda g, c, rg, rid: ({'limit': 50}, None, None, None))
    add(0.5, 'cloudtrail', 'LookupEvents', True, 'mgmt',
        lambda g, c, rg, rid: ({'maxResults': 50, 'lookupAttributes': [{'attributeKey': 'EventName', 'attributeValue': 'ConsoleLogin'}]}, None, None, None))
    add(0.5, 'cloudtrail', 'DescribeTrails', True, 'mgmt', _trail('ro'))
    add(0.5, 'cloudtrail', 'GetTrailStatus', True, 'mgmt', _trail('ro'))
    add(1, 'rds', 'DescribeDBInstances', True, 'mgmt', lambda g, c, rg, rid: (None, None, None, None))
    add(2, 'dynamodb', 'GetItem', True, 'data',
        lambda g, c, rg, rid: ({'tableName': g.pick(_R(g, c, rg)['table']), 'key': {'pk': 'user#%d' % int(g.r() * 100000)},
                                'consistentRead': False}, None, None,
                               [{'accountId': c.id, 'type': 'AWS::DynamoDB::Table',
                                 'ARN': 'arn:aws:dynamodb:%s:%s:table/%s' % (rg, c.id, _R(g, c, rg)['table'][0])}]))
    add(1, 'dynamodb', 'DescribeTable', True, 'mgmt',
        lambda g, c, rg, rid: ({'tableName': g.pick(_R(g, c, rg)['table'])}, None, None, None))
    add(1, 'monitoring', 'GetMetricData', True, 'mgmt',
        lambda g, c, rg, rid: ({'startTime': 'Feb 29, 2024, 11:00:00 PM', 'endTime': 'Mar 1, 2024, 12:00:00 AM',
                                'metricDataQueries': [{'id': 'm1', 'metricStat': {'metric': {'namespace': 'AWS/EC2', 'metricName': 'CPUUtilization'},
                                                                                  'period': 300, 'stat': 'Average'}}]}, None, None, None))
    add(0.5, 'elasticloadbalancing', 'DescribeLoadBalancers', True, 'mgmt', lambda g, c, rg, rid: (None, None, None, None))
    add(0.3, 'config', 'DescribeConfigRules', True, 'mgmt', lambda g, c, rg, rid: ({}, None, None, None))
    add(0.2, 'signin', 'CheckMfa', False, 'mgmt', lambda g, c, rg, rid: (None, {'CheckMfa': 'Success'}, {'MfaType': 'Virtual MFA'}, None))
    add(1.0, 'signin', 'ConsoleLogin', False, 'signin', None)
    # --- service events (AwsServiceEvent)
    add(0.2, kms, 'RotateKey', False, 'svc',
        lambda g, c, rg, rid: (None, None, {'keyId': g.pick(c.keys)},
                               [{'accountId': c.id, 'type': 'AWS::KMS::Key', 'ARN': 'arn:aws:kms:%s:%s:key/%s' % (rg, c.id, c.keys[0])}]))
    add(0.1, 'secretsmanager', 'StartSecretVersionDelete', False, 'svc',
        lambda g, c, rg, rid: (None, None, {'ARN': 'arn:aws:secretsmanager:%s:%s:secret:old-%s' % (rg, c.id, g.rstr(ALNUM, 6))}, None))
    add(0.1, 'health', 'AWSHealthEvent', False, 'svc', lambda g, c, rg, rid: (None, None, None, None))

    # --- every event name of the CIS monitoring checks
    cis = 0.05
    for n, k in [('DeleteGroupPolicy', 'del-group'), ('DeleteRolePolicy', 'del-role'), ('DeleteUserPolicy', 'del-user'),
                 ('PutGroupPolicy', 'inline-group'), ('PutRolePolicy', 'inline-role'), ('PutUserPolicy', 'inline-user'),
                 ('CreatePolicy', 'create'), ('DeletePolicy', 'delete'), ('CreatePolicyVersion', 'create-version'),
                 ('DeletePolicyVersion', 'del-version'), ('AttachRolePolicy', 'attach-role'),
                 ('DetachRolePolicy', 'attach-role'), ('AttachUserPolicy', 'attach-user'),
                 ('DetachUserPolicy', 'attach-user'), ('AttachGroupPolicy', 'attach-group'),
                 ('DetachGroupPolicy', 'attach-group')]:
        add(cis, iam, n, False, 'mgmt', _iam_policy(k))
    for n, k in [('CreateTrail', 'create'), ('UpdateTrail', 'update'), ('DeleteTrail', 'name'),
                 ('StartLogging', 'name'), ('StopLogging', 'name')]:
        add(cis, 'cloudtrail', n, False, 'mgmt', _trail(k))
    add(cis, kms, 'DisableKey', False, 'mgmt', _kms())
    add(cis, kms, 'ScheduleKeyDeletion', False, 'mgmt', _kms(resp='sched'))
    add(cis, s3, 'PutBucketAcl', False, 'mgmt', _s3_bucket_cfg(
        lambda g, c, bk: {'acl': '', 'AccessControlPolicy': {'AccessControlList': {'Grant': [
            {'Grantee': {'xsi:type': 'Group', 'URI': 'http://acs.amazonaws.com/groups/global/AllUsers'}, 'Permission': 'READ'}]},
            'xmlns': 'http://s3.amazonaws.com/doc/2006-03-01/'}}))
    add(cis, s3, 'PutBucketPolicy', False, 'mgmt', _s3_bucket_cfg(lambda g, c, bk: {'bucketPolicy': _policy_doc(g, bk), 'policy': ''}))
    add(cis, s3, 'PutBucketCors', False, 'mgmt', _s3_bucket_cfg(
        lambda g, c, bk: {'cors': '', 'CORSConfiguration': {'CORSRule': {'AllowedMethod': 'GET', 'AllowedOrigin': '*'}}}))
    add(cis, s3, 'PutBucketLifecycle', False, 'mgmt', _s3_bucket_cfg(
        lambda g, c, bk: {'lifecycle': '', 'LifecycleConfiguration': {'Rule': {'ID': 'expire', 'Status': 'Enabled',
                                                                                'Expiration': {'Days': 30}, 'Filter': {'Prefix': 'tmp/'}}}}))
    add(cis, s3, 'PutBucketReplication', False, 'mgmt', _s3_bucket_cfg(
        lambda g, c, bk: {'replication': '', 'ReplicationConfiguration': {'Role': c.roles[1]['arn'],
                                                                           'Rule': {'Status': 'Enabled', 'Destination': {'Bucket': 'arn:aws:s3:::dr-' + bk}}}}))
    for n, k in [('DeleteBucketPolicy', 'policy'), ('DeleteBucketCors', 'cors'), ('DeleteBucketLifecycle', 'lifecycle'),
                 ('DeleteBucketReplication', 'replication')]:
        add(cis, s3, n, False, 'mgmt', _s3_bucket_cfg(k))
    for n, k in [('StopConfigurationRecorder', 'recorder'), ('DeleteDeliveryChannel', 'channel'),
                 ('PutDeliveryChannel', 'putchannel'), ('PutConfigurationRecorder', 'putrecorder')]:
        add(cis, 'config', n, False, 'mgmt', _config(k))
    for n in ['AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress',
              'RevokeSecurityGroupEgress']:
        add(cis, ec2, n, False, 'mgmt', _sg_change)
    add(cis, ec2, 'CreateSecurityGroup', False, 'mgmt',
        lambda g, c, rg, rid: ({'groupName': 'launch-wizard-%d' % int(g.r() * 30), 'groupDescription': 'launch-wizard created',
                                'vpcId': g.pick(_R(g, c, rg)['vpc'])},
                               {'requestId': rid, '_return': True, 'groupId': g.pick(_R(g, c, rg)['sg'])}, None, None))
    add(cis, ec2, 'DeleteSecurityGroup', False, 'mgmt', _ec2_simple('groupId', 'sg'))
    add(cis, ec2, 'ModifySecurityGroupRules', False, 'mgmt',
        lambda g, c, rg, rid: ({'ModifySecurityGroupRulesRequest': {'GroupId': g.pick(_R(g, c, rg)['sg']),
                                                                    'SecurityGroupRule': {'SecurityGroupRuleId': 'sgr-' + g.rstr(HEX, 17),
                                                                                          'SecurityGroupRule': {'IpProtocol': 'tcp', 'FromPort': 22, 'ToPort': 22, 'CidrIpv4': '0.0.0.0/0'}}}},
                               {'ModifySecurityGroupRulesResponse': {'requestId': rid, 'return': True}}, None, None))
    add(cis, ec2, 'CreateNetworkAcl', False, 'mgmt',
        lambda g, c, rg, rid: ({'vpcId': g.pick(_R(g, c, rg)['vpc'])},
                               {'requestId': rid, 'networkAcl': {'networkAclId': g.pick(_R(g, c, rg)['acl']), 'vpcId': _R(g, c, rg)['vpc'][0],
                                                                 'default': False, 'entrySet': {}, 'associationSet': {}, 'tagSet': {}}}, None, None))
    entry = lambda g, c, rg, rid: ({'networkAclId': g.pick(_R(g, c, rg)['acl']), 'ruleNumber': g.pick([100, 110, 32767]),
                                    'egress': g.r() < 0.5, 'ruleAction': g.pick(['allow', 'deny']), 'icmpTypeCode': {},
                                    'portRange': {'from': 22, 'to': 22}, 'aclProtocol': '6', 'cidrBlock': '0.0.0.0/0'},
                                   _ec2ok(rid), None, None)
    add(cis, ec2, 'CreateNetworkAclEntry', False, 'mgmt', entry)
    add(cis, ec2, 'DeleteNetworkAcl', False, 'mgmt', _ec2_simple('networkAclId', 'acl'))
    add(cis, ec2, 'DeleteNetworkAclEntry', False, 'mgmt',
        lambda g, c, rg, rid: ({'networkAclId': g.pick(_R(g, c, rg)['acl']), 'ruleNumber': 100, 'egress': False}, _ec2ok(rid), None, None))
    add(cis, ec2, 'ReplaceNetworkAclEntry', False, 'mgmt', entry)
    add(cis, ec2, 'ReplaceNetworkAclAssociation', False, 'mgmt',
        lambda g, c, rg, rid: ({'associationId': 'aclassoc-' + g.rstr(HEX, 17), 'networkAclId': g.pick(_R(g, c, rg)['acl'])},
                               {'requestId': rid, 'newAssociationId': 'aclassoc-' + g.rstr(HEX, 17)}, None, None))
    add(cis, ec2, 'CreateCustomerGateway', False, 'mgmt',
        lambda g, c, rg, rid: ({'type': 'ipsec.1', 'ipAddress': g.pick(c.ips), 'bgpAsn': 65000},
                               {'requestId': rid, 'customerGateway': {'customerGatewayId': _R(g, c, rg)['cgw'][0], 'state': 'available',
                                                                      'type': 'ipsec.1', 'bgpAsn': '65000'}}, None, None))
    add(cis, ec2, 'DeleteCustomerGateway', False, 'mgmt', _ec2_simple('customerGatewayId', 'cgw'))
    add(cis, ec2, 'AttachInternetGateway', False, 'mgmt',
        lambda g, c, rg, rid: ({'internetGatewayId': g.pick(_R(g, c, rg)['igw']), 'vpcId': g.pick(_R(g, c, rg)['vpc'])}, _ec2ok(rid), None, None))
    add(cis, ec2, 'CreateInternetGateway', False, 'mgmt',
        lambda g, c, rg, rid: ({}, {'requestId': rid, 'internetGateway': {'internetGatewayId': g.pick(_R(g, c, rg)['igw']),
                                                                          'attachmentSet': {}, 'tagSet': {}}}, None, None))
    add(cis, ec2, 'DeleteInternetGateway', False, 'mgmt', _ec2_simple('internetGatewayId', 'igw'))
    add(cis, ec2, 'DetachInternetGateway', False, 'mgmt',
        lambda g, c, rg, rid: ({'internetGatewayId': g.pick(_R(g, c, rg)['igw']), 'vpcId': g.pick(_R(g, c, rg)['vpc'])}, _ec2ok(rid), None, None))
    route = lambda g, c, rg, rid: ({'routeTableId': g.pick(_R(g, c, rg)['rtb']), 'destinationCidrBlock': '0.0.0.0/0',
                                    'gatewayId': g.pick(_R(g, c, rg)['igw'])}, _ec2ok(rid), None, None)
    add(cis, ec2, 'CreateRoute', False, 'mgmt', route)
    add(cis, ec2, 'CreateRouteTable', False, 'mgmt',
        lambda g, c, rg, rid: ({'vpcId': g.pick(_R(g, c, rg)['vpc'])},
                               {'requestId': rid, 'routeTable': {'routeTableId': g.pick(_R(g, c, rg)['rtb']), 'vpcId': _R(g, c, rg)['vpc'][0],
                                                                 'routeSet': {'items': [{'destinationCidrBlock': '10.0.0.0/16', 'gatewayId': 'local',
                                                                                         'state': 'active', 'origin': 'CreateRouteTable'}]},
                                                                 'associationSet': {}, 'propagatingVgwSet': {}, 'tagSet': {}}}, None, None))
    add(cis, ec2, 'ReplaceRoute', False, 'mgmt', route)
    add(cis, ec2, 'ReplaceRouteTableAssociation', False, 'mgmt',
        lambda g, c, rg, rid: ({'associationId': 'rtbassoc-' + g.rstr(HEX, 17), 'routeTableId': g.pick(_R(g, c, rg)['rtb'])},
                               {'requestId': rid, 'newAssociationId': 'rtbassoc-' + g.rstr(HEX, 17)}, None, None))
    add(cis, ec2, 'DeleteRouteTable', False, 'mgmt', _ec2_simple('routeTableId', 'rtb'))
    add(cis, ec2, 'DeleteRoute', False, 'mgmt',
        lambda g, c, rg, rid: ({'routeTableId': g.pick(_R(g, c, rg)['rtb']), 'destinationCidrBlock': '0.0.0.0/0'}, _ec2ok(rid), None, None))
    add(cis, ec2, 'DisassociateRouteTable', False, 'mgmt',
        lambda g, c, rg, rid: ({'associationId': 'rtbassoc-' + g.rstr(HEX, 17)}, _ec2ok(rid), None, None))
    add(cis, ec2, 'CreateVpc', False, 'mgmt',
        lambda g, c, rg, rid: ({'cidrBlock': '10.%d.0.0/16' % int(g.r() * 255), 'instanceTenancy': 'default', 'amazonProvidedIpv6CidrBlock': False},
                               {'requestId': rid, 'vpc': {'vpcId': g.pick(_R(g, c, rg)['vpc']), 'state': 'pending', 'ownerId': c.id,
                                                          'cidrBlock': '10.0.0.0/16', 'isDefault': False}}, None, None))
    add(cis, ec2, 'DeleteVpc', False, 'mgmt', _ec2_simple('vpcId', 'vpc'))
    add(cis, ec2, 'ModifyVpcAttribute', False, 'mgmt',
        lambda g, c, rg, rid: ({'vpcId': g.pick(_R(g, c, rg)['vpc']), 'enableDnsHostnames': {'value': True}}, _ec2ok(rid), None, None))
    pcx = _ec2_simple('vpcPeeringConnectionId', 'pcx')
    add(cis, ec2, 'AcceptVpcPeeringConnection', False, 'mgmt', pcx)
    add(cis, ec2, 'CreateVpcPeeringConnection', False, 'mgmt',
        lambda g, c, rg, rid: ({'vpcId': g.pick(_R(g, c, rg)['vpc']), 'peerVpcId': 'vpc-' + g.rstr(HEX, 17), 'peerOwnerId': g.pick(g.foreign)},
                               {'requestId': rid, 'vpcPeeringConnection': {'vpcPeeringConnectionId': g.pick(_R(g, c, rg)['pcx']),
                                                                           'status': {'code': 'initiating-request', 'message': 'Initiating Request to %s' % g.foreign[0]}}}, None, None))
    add(cis, ec2, 'DeleteVpcPeeringConnection', False, 'mgmt', pcx)
    add(cis, ec2, 'RejectVpcPeeringConnection', False, 'mgmt', pcx)
    classic = lambda g, c, rg, rid: ({'vpcId': g.pick(_R(g, c, rg)['vpc'])}, _ec2ok(rid), None, None)
    add(cis, ec2, 'AttachClassicLinkVpc', False, 'mgmt',
        lambda g, c, rg, rid: ({'instanceId': g.pick(_R(g, c, rg)['i']), 'vpcId': g.pick(_R(g, c, rg)['vpc']),
                                'groupSet': {'items': [{'groupId': g.pick(_R(g, c, rg)['sg'])}]}}, _ec2ok(rid), None, None))
    add(cis, ec2, 'DetachClassicLinkVpc', False, 'mgmt',
        lambda g, c, rg, rid: ({'instanceId': g.pick(_R(g, c, rg)['i']), 'vpcId': g.pick(_R(g, c, rg)['vpc'])}, _ec2ok(rid), None, None))
    add(cis, ec2, 'DisableVpcClassicLink', False, 'mgmt', classic)
    add(cis, ec2, 'EnableVpcClassicLink', False, 'mgmt', classic)
    for n, k in [('AcceptHandshake', 'hs'), ('AttachPolicy', 'attach'), ('CreateAccount', 'create'),
                 ('CreateOrganizationalUnit', 'ou'), ('CreatePolicy', 'cpolicy'), ('DeclineHandshake', 'hs'),
                 ('DeleteOrganization', 'none'), ('DeleteOrganizationalUnit', 'ouid'), ('DeletePolicy', 'policy'),
                 ('DetachPolicy', 'attach'), ('DisablePolicyType', 'ptype'), ('EnablePolicyType', 'ptype'),
                 ('InviteAccountToOrganization', 'invite'), ('LeaveOrganization', 'none'), ('MoveAccount', 'move'),
                 ('RemoveAccountFromOrganization', 'acct'), ('UpdatePolicy', 'policy'),
                 ('UpdateOrganizationalUnit', 'ouid')]:
        add(cis, 'organizations', n, False, 'mgmt', _org(k))
    return T


# ---------------------------------------------------------------------------
# trail

def records_text(events, pretty=False):
    if not pretty:
        return dumps_compact({'Records': events})
    return dumps_pretty({'Records': events})


def cmd_trail(a):
    regions = [x.strip() for x in a.regions.split(',') if x.strip()]
    if not regions:
        raise SystemExit('no regions')
    seed_rng = random.Random(a.seed)
    accounts = []
    while len(accounts) < a.accounts:
        acct = '%012d' % seed_rng.randrange(10 ** 11, 10 ** 12)
        if acct not in accounts:
            accounts.append(acct)
    g = Gen(seed_rng.getrandbits(64), regions, accounts, a.org)
    rng = g.rng
    r = rng.random
    start = parse_start(a.start)
    interval = a.interval * 60
    nfiles = int(round(a.days * 86400 / interval))
    late = a.late_fraction
    epf = a.events_per_file
    pretty = a.pretty
    level = a.level
    home = regions[0]
    trail_name = 'org-trail' if a.org else 'management-events'
    bucket = 'aws-cloudtrail-logs-%s-%s' % (accounts[0], g.rstr(HEX, 8))
    root = a.outdir
    prefix = a.prefix.strip('/') if a.prefix else ''
    made = set()
    nev = nlog = ndig = nins = nlate = nbytes = 0
    tmin = tmax = None

    def write(rel, data):
        path = os.path.join(root, rel)
        d = os.path.dirname(path)
        if d not in made:
            os.makedirs(d, exist_ok=True)
            made.add(d)
        with open(path, 'wb') as f:
            f.write(data)

    t0 = time.time()
    for acct_i, c in enumerate(g.accounts):
        base = '/'.join(x for x in (prefix, 'AWSLogs', a.org or '', c.id) if x)
        for rg in regions:
            hour_files = []       # log files for the current digest hour
            hour = None
            prev_digest = None    # (s3Object, sha256 hex, signature)
            for k in range(nfiles):
                D = start + k * interval
                if r() < 0.02:
                    n = 0
                else:
                    n = int(r() * (2 * epf + 1))
                evs = []
                lo = hi = None
                for _ in range(n):
                    if late and r() < late:
                        t = D - 901 - int(r() * (20 * 3600 - 901))
                        e = g.event(c, rg, t)
                        if r() < 0.5:
                            ad = {'reason': 'DELIVERY_DELAY'}
                            if r() < 0.3:
                                ad['updatedFields'] = None
                            e['addendum'] = ad
                        nlate += 1
                    else:
                        t = D - 1 - int(r() * 900)
                        e = g.event(c, rg, t)
                    evs.append(e)
                    if lo is None or t < lo:
                        lo = t
                    if hi is None or t > hi:
                        hi = t
                dt = time.gmtime(D)
                uniq = ''.join(rng.choices(ALNUM, k=16))
                rel = '%s/CloudTrail/%s/%04d/%02d/%02d/%s_CloudTrail_%s_%04d%02d%02dT%02d%02dZ_%s.json.gz' % (
                    base, rg, dt.tm_year, dt.tm_mon, dt.tm_mday, c.id, rg, dt.tm_year, dt.tm_mon, dt.tm_mday,
                    dt.tm_hour, dt.tm_min, uniq)
                data = gz(records_text(evs, pretty).encode('utf-8'), level)
                write(rel, data)
                nev += n
                nlog += 1
                nbytes += len(data)
                if lo is not None:
                    tmin = lo if tmin is None or lo < tmin else tmin
                    tmax = hi if tmax is None or hi > tmax else tmax
                if a.digests:
                    h = D // 3600
                    if hour is not None and h != hour:
                        prev_digest = write_digest(g, write, base, c, rg, home, trail_name, bucket, hour, hour_files,
                                                   prev_digest, level)
                        ndig += 1
                        hour_files = []
                    hour = h
                    hour_files.append((rel, hashlib.sha256(data).hexdigest(), lo, hi))
            if a.digests and hour is not None:
                write_digest(g, write, base, c, rg, home, trail_name, bucket, hour, hour_files, prev_digest, level)
                ndig += 1
            if a.insights:
                nins += write_insights(g, write, base, c, rg, start, a.days, level)
    dt_s = time.time() - t0
    print('trail: %d log files, %d events (%d late), %d digest files, %d insight files, %.1f MB gz, '
          'eventTime %s .. %s, %.1f s' % (nlog, nev, nlate, ndig, nins, nbytes / 1e6,
                                          ts(tmin) if tmin is not None else '-',
                                          ts(tmax) if tmax is not None else '-', dt_s))


def write_digest(g, write, base, c, rg, home, trail_name, bucket, hour, files, prev, level):
    rng = g.rng
    hs, he = hour * 3600, hour * 3600 + 3600
    deliver = he + 60 * (2 + int(g.r() * 20)) + int(g.r() * 60)
    dt = time.gmtime(deliver)
    stamp = '%04d%02d%02dT%02d%02d%02dZ' % dt[:6]
    rel = '%s/CloudTrail-Digest/%s/%04d/%02d/%02d/%s_CloudTrail-Digest_%s_%s_%s_%s.json.gz' % (
        base, rg, dt.tm_year, dt.tm_mon, dt.tm_mday, c.id, rg, trail_name, home, stamp)
    los = [f[2] for f in files if f[2] is not None]
    his = [f[3] for f in files if f[3] is not None]
    sig = '%0512x' % rng.getrandbits(2048)
    d = {
        'awsAccountId': c.id,
        'digestStartTime': ts(hs),
        'digestEndTime': ts(he),
        'digestS3Bucket': bucket,
        'digestS3Object': rel,
        'digestPublicKeyFingerprint': '%032x' % rng.getrandbits(128),
        'digestSignatureAlgorithm': 'SHA256withRSA',
        'newestEventTime': ts(max(his)) if his else None,
        'oldestEventTime': ts(min(los)) if los else None,
        'previousDigestS3Bucket': bucket if prev else None,
        'previousDigestS3Object': prev[0] if prev else None,
        'previousDigestHashValue': prev[1] if prev else None,
        'previousDigestHashAlgorithm': 'SHA-256' if prev else None,
        'previousDigestSignature': prev[2] if prev else None,
        'logFiles': [{'s3Bucket': bucket, 's3Object': f[0], 'hashValue': f[1], 'hashAlgorithm': 'SHA-256',
                      'newestEventTime': ts(f[3]) if f[3] is not None else None,
                      'oldestEventTime': ts(f[2]) if f[2] is not None else None} for f in files],
    }
    data = gz(dumps_compact(d).encode('utf-8'), level)
    write(rel, data)
    return (rel, hashlib.sha256(data).hexdigest(), sig)


def write_insights(g, write, base, c, rg, start, days, level):
    """Per day: one insight (Start + End record) in two files."""
    rng = g.rng
    n = 0
    for day in range(max(1, int(days + 0.999))):
        t1 = start + day * 86400 + int(g.r() * 80000)
        t2 = t1 + 60 * (5 + int(g.r() * 60))
        shared = g.uuid()
        src, name = g.pick([('ec2.amazonaws.com', 'RunInstances'), ('iam.amazonaws.com', 'AttachRolePolicy'),
                            ('s3.amazonaws.com', 'PutBucketPolicy'), ('kms.amazonaws.com', 'Decrypt')])
        for state, t, st in (('Start', t1, None), ('End', t2, t1)):
            ev = g.insight(c, rg, t, state, shared, src, name, st)
            D = (t // 60 + 5 + int(g.r() * 25)) * 60
            dt = time.gmtime(D)
            uniq = ''.join(rng.choices(ALNUM, k=16))
            rel = '%s/CloudTrail-Insight/%s/%04d/%02d/%02d/%s_CloudTrail-Insight_%s_%04d%02d%02dT%02d%02dZ_%s.json.gz' % (
                base, rg, dt.tm_year, dt.tm_mon, dt.tm_mday, c.id, rg, dt.tm_year, dt.tm_mon, dt.tm_mday,
                dt.tm_hour, dt.tm_min, uniq)
            write(rel, gz(records_text([ev]).encode('utf-8'), level))
            n += 1
    return n


# ---------------------------------------------------------------------------
# shapes

def _first_wins(pairs):
    d = {}
    for k, v in pairs:
        if k not in d:
            d[k] = v
    return d


def _loads(text):
    return json.loads(text, object_pairs_hook=_first_wins)


def decode_events(kind, data):
    """Decode a written file of a known shape -> list of event objects (independent of ext/)."""
    if data[:2] == b'\x1f\x8b':
        # gzip.decompress reads every member
        data = gzip.decompress(data)
    text = data.decode('utf-8')
    if kind == 'empty':
        return []
    if kind == 'records':
        return _loads(text)['Records']
    if kind == 'array':
        return _loads(text)
    if kind == 'single':
        return [_loads(text)]
    if kind == 'lines':
        return [_loads(ln) for ln in text.splitlines() if ln.strip()]
    raise ValueError(kind)


def cmd_shapes(a):
    g = Gen(a.seed, ['us-east-1', 'eu-west-1'], ['%012d' % random.Random(a.seed).randrange(10 ** 11, 10 ** 12)])
    g.escape_names = False
    rng = g.rng
    c = g.accounts[0]
    root = a.outdir
    os.makedirs(root, exist_ok=True)
    base_t = parse_start('2024-02-29T23:50')
    expected = {}

    def evs(n=None, t0=None):
        n = n if n is not None else 3 + int(g.r() * 5)
        t0 = base_t if t0 is None else t0
        return [g.event(c, g.pick(g.regions), t0 + int(g.r() * 1200)) for _ in range(n)]

    def put(rel, data, kind):
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'wb') as f:
            f.write(data)
        if kind is not None:
            got = decode_events(kind, data)
            expected[rel] = [{'eventID': e.get('eventID'), 'eventName': e.get('eventName')} for e in got]

    def ndjson(events, nl='\n', trailing=True):
        s = nl.join(dumps_compact(e) for e in events)
        return s + (nl if trailing else '')

    # a ConsoleLogin with non-ASCII in every shape's first file helps split tests
    def with_login(events):
        e = g.console_login(c, 'us-east-1', base_t + 30)
        e['userAgent'] = USER_AGENTS[10]
        return [e] + events

    E = with_login(evs())
    put('records.json', (dumps_compact({'Records': E}) + '\n').encode(), 'records')
    E = evs()
    put('records-pretty.json', (dumps_pretty({'Records': E}) + '\n').encode(), 'records')
    E = evs()
    put('records.json.gz', gz(dumps_compact({'Records': E}).encode()), 'records')
    # multi-member gzip: split the Records text into 3 members, one cut inside a UTF-8 sequence
    E = with_login(evs(6))
    raw_b = dumps_compact({'Records': E}).encode()
    mb = [i for i, b in enumerate(raw_b) if b >= 0xC0]
    cut1 = (mb[0] + 1) if mb else len(raw_b) // 3
    cut2 = cut1 + 1 + int(g.r() * (len(raw_b) - cut1 - 2))
    put('records-multimember.json.gz',
        gz(raw_b[:cut1]) + gz(raw_b[cut1:cut2], 9) + gz(raw_b[cut2:], 1), 'records')
    E = evs()
    put('array.json', dumps_compact(E).encode(), 'array')
    E = evs()
    put('array.json.gz', gz(dumps_compact(E).encode()), 'array')
    E = evs()
    put('array-pretty.json', (dumps_pretty(E, 3) + '\n').encode(), 'array')
    E = with_login(evs())
    put('ndjson.json', ndjson(E).encode(), 'lines')
    E = evs()
    put('events.jsonl', ndjson(E).encode(), 'lines')
    E = evs()
    put('events.ndjson', ndjson(E).encode(), 'lines')
    E = evs()
    put('events.jsonl.gz', gz(ndjson(E).encode()), 'lines')
    E = evs()
    put('events.ndjson.gz', gz(ndjson(E).encode()), 'lines')
    E = evs(1)
    put('single.json', (dumps_pretty(E[0], 4) + '\n').encode(), 'single')
    E = evs(1)
    put('single-compact.json', dumps_compact(E[0]).encode(), 'single')
    put('empty.json', b'', 'empty')
    put('empty.json.gz', b'', 'empty')
    put('empty-member.json.gz', gz(b''), 'empty')
    put('records-empty.json', b'{"Records":[]}', 'records')

    # big numbers
    E = evs(4)
    E[0]['requestParameters'] = {'sequenceNumber': 18446744073709551615, 'marker': 9007199254740993,
                                 'huge': 123456789012345678901234567890, 'neg': -9223372036854775809,
                                 'ratio': raw('1.5E9'), 'requestedAt': raw('1.688560107857E9'),
                                 'small': raw('1e-7'), 'negzero': raw('-0.0'), 'maxint64': 9223372036854775807}
    E[1]['requestParameters'] = {'maxItems': 9007199254740993, 'limit': 2 ** 64}
    E[2]['responseElements'] = {'createTime': 1709251199000, 'size': raw('2.5E+10'), 'exact': 9007199254740992}
    E[3]['additionalEventData'] = {'bytesTransferredOut': raw('1.0E3'), 'bytesTransferredIn': 18446744073709551616}
    put('bigints.json', (dumps_compact({'Records': E}) + '\n').encode(), 'records')

    # escapes: \u escapes in values and keys, surrogate pairs, literal non-ASCII, the short escapes
    E = evs(5)
    E[0]['eventName'] = 'Console' + esc('004c') + 'ogin'
    E[0]['eventSource'] = 'signin.amazonaws.com'
    e1 = {}
    for k, v in E[1].items():
        e1['event' + esc('004e') + 'ame' if k == 'eventName' else k] = v   # escaped key
    E[1] = e1
    E[2]['eventName'] = esc('0050') + 'ut' + esc('004F') + 'bject'       # "PutObject", upper-case hex
    E[2]['userAgent'] = USER_AGENTS[10]
    E[2]['requestParameters'] = {
        'key': 'r' + esc('00e9') + 'sum' + esc('00e9') + ' \u00e9t\u00e9 ' + esc('2028') + esc('2029'),
        'emoji': esc('d83d') + esc('de00') + ' \U0001F680 ' + esc('D83C') + esc('DF89'),
        'cjk': '\u65e5\u672c\u8a9e ' + esc('65e5') + esc('672c'),
        'quote': 'a "quoted" \\ back/slash\tTab\nNL\r\b\f ' + esc('0022') + esc('005c') + ' \\/ ',
        'ctrl': esc('0001') + esc('001f') + esc('007f'),
    }
    E[3]['userIdentity'] = dict(E[3]['userIdentity'])
    E[3]['userIdentity']['userName'] = 'j' + esc('00f6') + 'rg'
    E[3]['eventName'] = 'Describe' + esc('0049') + 'nstances'
    E[4]['eventTime'] = '2024-02-29T23:5' + esc('0039') + ':59Z'
    text = dumps_compact({'Records': E}).replace('"quote":"', '"quote":"\\/', 1)
    put('escapes.json', (text + '\n').encode(), 'records')

    # duplicate keys: the first occurrence wins
    E = evs(4)
    parts = []
    for i, e in enumerate(E):
        s = dumps_compact(e)
        if i == 1:
            s = s[:-1] + ',"eventName":"DuplicateLastValue"}'
        if i == 2:
            s = s[:-1] + ',"eventID":"00000000-0000-4000-8000-000000000000","readOnly":"dup"}'
        parts.append(s)
    put('dupkeys.json', ('{"Records":[' + ','.join(parts) + ']}\n').encode(), 'records')

    E = evs()
    text = ('{"other":1,"meta":{"Records":"not these","n":[1,{"Records":[]}]},"Records":'
            + dumps_compact(E) + ',"trailer":{"eventName":"NotAnEvent"},"count":%d}\n' % len(E))
    put('records-extra-keys.json', text.encode(), 'records')
    E = evs()
    lines = [dumps_compact(e) for e in E]
    text = '\r\n' + lines[0] + '\r\n\r\n' + '\r\n'.join(lines[1:-1]) + '\r\n   \r\n' + lines[-1] + '\r\n\r\n'
    put('ndjson-crlf.json', text.encode(), 'lines')
    E = evs()
    put('no-trailing-newline.json', ndjson(E, trailing=False).encode(), 'lines')

    # files that must be skipped
    dig = {'awsAccountId': c.id, 'digestStartTime': '2024-02-29T22:00:00Z', 'digestEndTime': '2024-02-29T23:00:00Z',
           'digestS3Bucket': 'aws-cloudtrail-logs-%s' % c.id,
           'digestS3Object': 'AWSLogs/%s/CloudTrail-Digest/us-east-1/2024/02/29/digest.json.gz' % c.id,
           'digestPublicKeyFingerprint': '%032x' % rng.getrandbits(128), 'digestSignatureAlgorithm': 'SHA256withRSA',
           'newestEventTime': '2024-02-29T22:59:58Z', 'oldestEventTime': '2024-02-29T21:58:01Z',
           'previousDigestS3Bucket': None, 'previousDigestS3Object': None, 'previousDigestHashValue': None,
           'previousDigestHashAlgorithm': None, 'previousDigestSignature': None,
           'logFiles': [{'s3Bucket': 'aws-cloudtrail-logs-%s' % c.id, 's3Object': 'AWSLogs/%s/CloudTrail/us-east-1/2024/02/29/x.json.gz' % c.id,
                         'hashValue': '%064x' % rng.getrandbits(256), 'hashAlgorithm': 'SHA-256',
                         'newestEventTime': '2024-02-29T22:59:58Z', 'oldestEventTime': '2024-02-29T21:58:01Z'}]}
    put('CloudTrail-Digest/digest.json.gz', gz(dumps_compact(dig).encode()), None)
    put('notes.txt', (dumps_compact({'Records': [{'eventName': 'NotesTxtMustBeIgnored', 'eventID': 'txt'}]}) + '\n').encode(), None)
    put('data.csv', b'eventTime,eventName,eventID\n2024-02-29T23:59:59Z,CsvMustBeIgnored,csv\n', None)

    out = a.expected or os.path.join(root, 'expected.json')
    lines = []
    for rel in sorted(expected):
        evl = expected[rel]
        body = ',\n'.join('    ' + json.dumps(e, ensure_ascii=False) for e in evl)
        lines.append('  %s: [%s]' % (json.dumps(rel), ('\n' + body + '\n  ') if evl else ''))
    with open(out, 'w', encoding='utf-8') as f:
        f.write('{\n' + ',\n'.join(lines) + '\n}\n')
    assert json.load(open(out, encoding='utf-8')) == expected
    print('shapes: %d event files (%d events), expected.json, 1 digest, notes.txt, data.csv'
          % (len(expected), sum(len(v) for v in expected.values())))


# ---------------------------------------------------------------------------
# bad

def cmd_bad(a):
    g = Gen(a.seed, ['us-east-1'], ['%012d' % random.Random(a.seed).randrange(10 ** 11, 10 ** 12)])
    g.escape_names = False
    c = g.accounts[0]
    root = a.outdir
    t0 = parse_start('2024-02-29T23:50')
    evs = lambda n: [g.event(c, 'us-east-1', t0 + int(g.r() * 600)) for _ in range(n)]
    rows = []

    def put(case, name, data, offset, what):
        d = os.path.join(root, case)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), 'wb') as f:
            f.write(data)
        rows.append((case, case + '/' + name, '-' if offset is None else str(offset), what))

    body = dumps_compact({'Records': evs(40)}).encode()
    z = gz(body)
    put('truncated-gz', 'truncated.json.gz', z[:len(z) // 2], len(z) // 2, 'gzip cut in the middle of the deflate stream')
    bad = bytearray(z)
    for i in range(len(bad) - 8, len(bad) - 4):
        bad[i] ^= 0xFF
    put('badcrc-gz', 'badcrc.json.gz', bytes(bad), len(z) - 8, 'CRC32 bytes of the trailer inverted')
    put('trailing-garbage-gz', 'trailing-garbage.json.gz', z + b'garbage', len(z),
        'valid gzip member followed by the bytes "garbage"')
    small = dumps_compact({'Records': evs(3)}).encode()
    put('notgzip-gz', 'notgzip.json.gz', small, 0, 'plain JSON text named .gz')
    bad = bytearray(gz(small))
    bad[2] = 7  # compression method: only 8 (deflate) is valid
    put('badheader-gz', 'badheader.json.gz', bytes(bad), 2, 'gzip header with compression method 7')
    s = dumps_compact({'Records': evs(3)})
    i = s.index('"readOnly":') + len('"readOnly":')
    j = s.index(',', i)
    s2 = s[:i] + 'tru' + s[j:]
    put('invalid-json', 'invalid.json', s2.encode(), len(s[:i].encode()), 'invalid token "tru"')
    s = dumps_compact({'Records': evs(5)}).encode()
    put('truncated-json', 'truncated.json', s[:len(s) // 2], len(s) // 2, 'JSON text cut off in the middle')
    put('not-events', 'not-events.json', b'{"foo":1}\n', None, 'object with no Records and no event keys')
    put('records-not-array', 'records-not-array.json', b'{"Records":{}}\n', 11, 'Records is an object')
    put('record-not-object', 'record-not-object.json', b'{"Records":[1]}\n', 12, 'a record is a number')
    put('array-not-object', 'array-not-object.json', b'[{"eventName":"A"}, "x"]\n', 20, 'array element is a string')
    pre = '{"Records":[{"eventVersion":"1.08","eventTime":"2024-02-29T23:59:59Z","eventName":"Get'
    data = pre.encode() + b'\x00' + b'Object","eventID":"' + g.uuid().encode() + b'"}]}\n'
    put('nul', 'nul.json', data, len(pre), 'raw NUL byte inside the eventName string')
    pre = '{"Records":[{"eventVersion":"1.08","eventTime":"2024-02-29T23:59:59Z","eventName":"Get'
    data = pre.encode() + b'\xff' + b'Object","eventID":"' + g.uuid().encode() + b'"}]}\n'
    put('bad-utf8', 'bad-utf8.json', data, len(pre), 'byte 0xFF inside the eventName string')
    E = evs(3)
    l1, l2, l3 = (dumps_compact(e) for e in E)
    l2bad = l2[:len(l2) // 2]
    data = (l1 + '\n' + l2bad + '\n' + l3 + '\n').encode()
    put('ndjson-bad-line', 'ndjson-bad-line.json', data, len((l1 + '\n' + l2bad).encode()),
        'NDJSON, line 2 of 3 is cut off (valid lines 1 and 3)')
    with open(os.path.join(root, 'cases.tsv'), 'w') as f:
        f.write('case\tpath\toffset\twhat\n')
        for row in rows:
            f.write('\t'.join(row) + '\n')
    print('bad: %d cases, cases.tsv' % len(rows))


# ---------------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(description='Deterministic CloudTrail log generator',
                                formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    sub = p.add_subparsers(dest='cmd', required=True)
    t = sub.add_parser('trail', help='a trail tree in the S3 layout')
    t.add_argument('outdir')
    t.add_argument('--seed', type=int, default=1)
    t.add_argument('--accounts', type=int, default=2)
    t.add_argument('--regions', default='us-east-1,eu-west-1,ap-southeast-2')
    t.add_argument('--start', default='2024-02-28', help='YYYY-MM-DD[THH:MM] (UTC)')
    t.add_argument('--days', type=float, default=3)
    t.add_argument('--interval', type=int, default=5, help='minutes between files per account and region')
    t.add_argument('--events-per-file', type=int, default=20, help='mean; each file has uniform 0..2x')
    t.add_argument('--org', default=None, help='organization id, e.g. o-abc123def4 (adds the AWSLogs/o-.../ level)')
    t.add_argument('--prefix', default=None)
    t.add_argument('--late-fraction', type=float, default=0.02)
    t.add_argument('--insights', action='store_true')
    t.add_argument('--digests', action='store_true')
    m = t.add_mutually_exclusive_group()
    m.add_argument('--compact', dest='pretty', action='store_false', default=False)
    m.add_argument('--pretty', dest='pretty', action='store_true')
    t.add_argument('--level', type=int, default=6, help='gzip level (default 6)')
    s = sub.add_parser('shapes', help='one small file per input shape, plus expected.json')
    s.add_argument('outdir')
    s.add_argument('--seed', type=int, default=1)
    s.add_argument('--expected', default=None, metavar='FILE',
                   help='where to write expected.json (default OUTDIR/expected.json; note a directory '
                        'scan of OUTDIR would read it as a "not events" file)')
    b = sub.add_parser('bad', help='one malformed file per case, each in its own folder')
    b.add_argument('outdir')
    b.add_argument('--seed', type=int, default=1)
    a = p.parse_args(argv)
    if a.cmd == 'trail':
        if a.accounts < 1 or a.interval < 1 or a.events_per_file < 0 or a.days <= 0:
            p.error('bad --accounts/--interval/--events-per-file/--days')
        if a.org and not a.org.startswith('o-'):
            p.error('--org must look like o-xxxxxxxxxx')
        cmd_trail(a)
    elif a.cmd == 'shapes':
        cmd_shapes(a)
    else:
        cmd_bad(a)


if __name__ == '__main__':
    main()
