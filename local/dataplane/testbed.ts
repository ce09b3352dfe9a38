import ipaddr from 'ipaddr.js';
import type { IkeEnd } from '../../src/ike';
import { Daemon } from './daemon';
import { DataplaneFailed } from './errors';
import type { IkeSa } from './sa-list';
import { type Resources, run, sleep } from './system';

// The network the tunnels run in, all inside namespaces this run made (no route to the host or beyond):
//
//   [awsvpc] host in the AWS VPC CIDR ──veth── [<i>a] AWS end of tunnel i ══ outside IPs ══ [<i>b] Alibaba end ──veth── [alivpc] host in the Alibaba VPC CIDR
//
// The clouds' outside IPs (AWS tunnel outside IP, Alibaba gateway IP) are the addresses of the veth joining
// the two ends, so identities and addresses are the ones the clouds' APIs hold. Each VPC namespace routes the
// other VPC's CIDR to the end of the active tunnel; a failover moves that route.

/** the address `offset` hosts into a CIDR (10 for the VPC hosts, 1 for an end's address inside a selector) */
export function hostIn(cidr: string, offset: number): string {
  const [addr, bits] = ipaddr.IPv4.parseCIDR(cidr);
  const base = addr.toByteArray().reduce((n, b) => n * 256 + b, 0);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  const n = ((base & mask) >>> 0) + offset;
  return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
}

const TEST_PORT = 8080;
const ECHO_SERVER = `require('net').createServer((s)=>{s.on('data',(d)=>s.write(d));s.on('end',()=>s.end());s.on('error',()=>{})}).listen(${TEST_PORT},process.argv[1])`;
const CLIENT = `const [host,local,size]=process.argv.slice(1);let n=0;const s=require('net').connect({host,port:${TEST_PORT},localAddress:local},()=>s.end(Buffer.alloc(Number(size),7)));s.on('data',(d)=>{n+=d.length});s.on('close',()=>{console.log(JSON.stringify({echoed:n}))});s.on('error',()=>{});s.setTimeout(4000,()=>s.destroy())`;

export interface PairEnds {
  aws: IkeEnd;
  alibaba: IkeEnd;
}

export interface PairRun {
  index: number;
  aws: Daemon;
  alibaba: Daemon;
}

export interface EndState {
  ike?: IkeSa;
  installed: boolean;
}

export class Testbed {
  readonly awsHost: string;
  readonly alibabaHost: string;
  private readonly awsVpc: string;
  private readonly aliVpc: string;
  private server = false;

  constructor(
    private readonly r: Resources,
    readonly awsVpcCidr: string,
    readonly alibabaVpcCidr: string,
  ) {
    this.awsHost = hostIn(awsVpcCidr, 10);
    this.alibabaHost = hostIn(alibabaVpcCidr, 10);
    this.awsVpc = r.nsName('awsvpc');
    this.aliVpc = r.nsName('alivpc');
  }

  private ip(ns: string, ...args: string[]) {
    return run('ip', ['-n', ns, ...args]);
  }

  private async sysctls(ns: string): Promise<void> {
    await run('ip', [
      'netns',
      'exec',
      ns,
      'sysctl',
      '-qw',
      'net.ipv4.ip_forward=1',
      'net.ipv4.conf.all.rp_filter=0',
      'net.ipv4.conf.default.rp_filter=0',
    ]);
  }

  /** the two VPC namespaces with one host each */
  async create(): Promise<void> {
    for (const [ns, host] of [
      [this.awsVpc, this.awsHost],
      [this.aliVpc, this.alibabaHost],
    ] as const) {
      await this.r.addNamespace(ns);
      await this.sysctls(ns);
      await this.ip(ns, 'addr', 'add', `${host}/32`, 'dev', 'lo');
    }
  }

  /** the namespaces of tunnel pair `i`, joined to each other by the outside IPs and to their VPC namespaces */
  async addPair(i: number, ends: PairEnds): Promise<PairRun> {
    const a = this.r.nsName(`${i}a`);
    const b = this.r.nsName(`${i}b`);
    const link = `100.64.${i}`;
    for (const ns of [a, b]) {
      await this.r.addNamespace(ns);
      await this.sysctls(ns);
    }
    // created directly inside the namespaces: no interface of ours ever appears in the host namespace
    await run('ip', ['link', 'add', 'out', 'netns', a, 'type', 'veth', 'peer', 'name', 'out', 'netns', b]);
    await run('ip', ['link', 'add', `t${i}`, 'netns', this.awsVpc, 'type', 'veth', 'peer', 'name', 'vpc', 'netns', a]);
    await run('ip', ['link', 'add', `t${i}`, 'netns', this.aliVpc, 'type', 'veth', 'peer', 'name', 'vpc', 'netns', b]);
    const sides = [
      { ns: a, vpc: this.awsVpc, end: ends.aws, vpcCidr: this.awsVpcCidr },
      { ns: b, vpc: this.aliVpc, end: ends.alibaba, vpcCidr: this.alibabaVpcCidr },
    ];
    for (const s of sides) {
      await this.ip(s.ns, 'addr', 'add', `${s.end.localAddr}/32`, 'peer', `${s.end.remoteAddr}/32`, 'dev', 'out');
      await this.ip(s.ns, 'addr', 'add', `${link}.2/30`, 'dev', 'vpc');
      await this.ip(s.vpc, 'addr', 'add', `${link}.1/30`, 'dev', `t${i}`);
      for (const [ns, dev] of [
        [s.ns, 'out'],
        [s.ns, 'vpc'],
        [s.vpc, `t${i}`],
      ] as const)
        await this.ip(ns, 'link', 'set', dev, 'up');
      await this.ip(s.ns, 'route', 'add', s.vpcCidr, 'via', `${link}.1`);
      // strongSwan's user-space ESP routes the remote selectors into its TUN device through table 220; traffic
      // for the own VPC and the VPC link must keep using the main table
      await this.ip(s.ns, 'rule', 'add', 'to', s.vpcCidr, 'lookup', 'main', 'pref', '100');
      await this.ip(s.ns, 'rule', 'add', 'to', `${link}.0/30`, 'lookup', 'main', 'pref', '100');
      // route installation needs a local address inside the local traffic selector, also after narrowing: one
      // in the own VPC (the selectors both clouds negotiate to) and one in each configured selector
      const inside = new Set([
        hostIn(s.vpcCidr, 1),
        ...s.end.localTs.filter((ts) => !ts.endsWith('/0')).map((ts) => hostIn(ts, 1)),
      ]);
      for (const addr of inside) await this.ip(s.ns, 'addr', 'add', `${addr}/32`, 'dev', 'lo');
    }
    const aws = await Daemon.start(this.r, a, ends.aws, `${i}-aws`);
    const alibaba = await Daemon.start(this.r, b, ends.alibaba, `${i}-alibaba`);
    return { index: i, aws, alibaba };
  }

  /** load both ends' configs: an end that only responds first, so an initiator finds its peer ready */
  async negotiate(p: PairRun): Promise<void> {
    const order = [p.aws, p.alibaba].sort(
      (x, y) => Number(x.end.startAction === 'start') - Number(y.end.startAction === 'start'),
    );
    for (const d of order) await d.load();
  }

  async state(p: PairRun): Promise<{ aws: EndState; alibaba: EndState }> {
    const one = async (d: Daemon): Promise<EndState> => {
      const sas = await d.sas();
      const ike = sas.find((s) => s.state === 'ESTABLISHED') ?? sas[0];
      return {
        ike,
        installed: sas.some((s) => s.state === 'ESTABLISHED' && s.children.some((c) => c.state === 'INSTALLED')),
      };
    };
    const [aws, alibaba] = await Promise.all([one(p.aws), one(p.alibaba)]);
    return { aws, alibaba };
  }

  /** poll until both ends have an installed CHILD_SA, or `timeoutMs` passes */
  async waitUp(p: PairRun, timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const s = await this.state(p);
      if (s.aws.installed && s.alibaba.installed) return true;
      await sleep(250);
    }
    return false;
  }

  /** the two ends stop hearing each other (`up` false) or hear each other again: the link between them */
  async link(p: PairRun, up: boolean): Promise<void> {
    await this.ip(p.aws.ns, 'link', 'set', 'out', up ? 'up' : 'down');
  }

  /** send the other VPC's traffic through tunnel pair `i` (both directions) */
  async routeVia(i: number): Promise<void> {
    await this.ip(this.awsVpc, 'route', 'replace', this.alibabaVpcCidr, 'via', `100.64.${i}.2`);
    await this.ip(this.aliVpc, 'route', 'replace', this.awsVpcCidr, 'via', `100.64.${i}.2`);
  }

  /** a TCP connection from the AWS VPC host to the Alibaba VPC host; returns the bytes echoed back */
  async tcp(bytes = 65536): Promise<number> {
    if (!this.server) {
      this.r.spawn('ip', ['netns', 'exec', this.aliVpc, process.execPath, '-e', ECHO_SERVER, this.alibabaHost]);
      this.server = true;
      await sleep(300);
    }
    try {
      const { stdout } = await run(
        'ip',
        ['netns', 'exec', this.awsVpc, process.execPath, '-e', CLIENT, this.alibabaHost, this.awsHost, String(bytes)],
        10_000,
      );
      const parsed = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { echoed?: number };
      return parsed.echoed ?? 0;
    } catch (e) {
      throw new DataplaneFailed(`TCP test from ${this.awsHost} to ${this.alibabaHost} failed`, { cause: e });
    }
  }
}
