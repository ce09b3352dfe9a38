import { readFileSync } from 'node:fs';
import { alibabaEnd, awsEnd, scaleLifetimes } from '../../src/ike';
import type { TunnelPair } from './cloud-state';
import { sleep, withResources } from './system';
import { Testbed } from './testbed';

// One tunnel pair through real IKE, judged the way the simulator judges it: UP (came up, survived a full
// scaled phase-2 lifetime including its rekey, and carried TCP), FLAPPING (came up, then lost its CHILD SA at a
// rekey), DOWN (never came up). Lifetimes are divided by `scale` so a rekey happens within seconds.

export type IkeVerdict = 'UP' | 'DOWN' | 'FLAPPING';

export interface ProbeResult {
  verdict: IkeVerdict;
  /** the last failure strongSwan logged, or what was seen */
  detail: string;
  proposal?: string;
  seconds: number;
}

const FAILURE =
  /(NO_PROPOSAL_CHOSEN|AUTHENTICATION_FAILED|tried \d+ shared key[^\n]*|N\(AUTH_FAILED\)|IDir '[^']*' does not match[^\n]*|constraint check failed[^\n]*|giving up after \d+ retransmits|TS_UNACCEPTABLE|INVALID_ID_INFORMATION|no IKE config found[^\n]*|no matching peer config found|no shared key found[^\n]*|Aggressive Mode PSK disabled[^\n]*|no acceptable proposal found|received INVALID_KE_PAYLOAD|failed to establish CHILD_SA[^\n]*|unable to install[^\n]*|rekeying[^\n]*failed[^\n]*)/g;

function lastFailure(paths: string[]): string {
  for (const p of paths) {
    let text = '';
    try {
      text = readFileSync(p, 'utf8');
    } catch {
      continue;
    }
    // the last failure: an early one may only be an initiator that reached its peer before the peer was loaded
    const all = [...text.matchAll(FAILURE)];
    const last = all[all.length - 1]?.[1];
    if (last) return last.trim();
  }
  return '';
}

export async function probeTunnel(
  pair: TunnelPair,
  vpc: { aws: string; alibaba: string },
  opts: { scale: number; negotiateMs?: number; outageSeconds?: number },
): Promise<ProbeResult> {
  const started = Date.now();
  const state = pair.alibaba?.state;
  if (!state) return { verdict: 'DOWN', detail: 'no Alibaba tunnel pairs with it', seconds: 0 };
  return withResources(async (r) => {
    const tb = new Testbed(r, vpc.aws, vpc.alibaba);
    await tb.create();
    const aws = scaleLifetimes(awsEnd(pair.aws, 'aws'), opts.scale);
    const alibaba = scaleLifetimes(alibabaEnd(state, 'alibaba'), opts.scale);
    const run = await tb.addPair(1, { aws, alibaba });
    const logs = [run.aws.logPath, run.alibaba.logPath];
    const done = (verdict: IkeVerdict, detail: string, proposal?: string): ProbeResult => ({
      verdict,
      detail,
      proposal,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    });
    await tb.negotiate(run);
    if (!(await tb.waitUp(run, opts.negotiateMs ?? 12_000)))
      return done('DOWN', lastFailure(logs) || 'no CHILD SA installed');
    const first = await tb.state(run);
    const proposal = `${first.aws.ike?.proposal ?? ''} | ${first.aws.ike?.children[0]?.proposal ?? ''}`;
    if (opts.outageSeconds !== undefined) {
      // an outage: cut the link between the ends, restore it, and see whether the tunnel carries traffic again
      await tb.link(run, false);
      await sleep(opts.outageSeconds * 1000);
      await tb.link(run, true);
      const until = Date.now() + 30_000;
      while (Date.now() < until) {
        const s = await tb.state(run);
        if (s.aws.installed && s.alibaba.installed) {
          await tb.routeVia(1);
          const echoed = await tb.tcp(16384).catch(() => 0);
          if (echoed > 0) return done('UP', `came back after the ${opts.outageSeconds} s outage, TCP passed`, proposal);
        }
        await sleep(1000);
      }
      return done(
        'DOWN',
        `not back within 30 s of the ${opts.outageSeconds} s outage: ${lastFailure(logs) || 'no SA'}`,
        proposal,
      );
    }
    // watch past the longest scaled phase-2 lifetime of the two ends: every rekey happens in that window
    const windowMs = (Math.max(aws.child.lifeTime, alibaba.child.lifeTime, 1) + 4) * 1000;
    const until = Date.now() + Math.min(windowMs, 45_000);
    let misses = 0;
    while (Date.now() < until) {
      await sleep(1000);
      const s = await tb.state(run);
      misses = s.aws.installed && s.alibaba.installed ? 0 : misses + 1;
      if (misses >= 2) return done('FLAPPING', lastFailure(logs) || 'CHILD SA lost after a rekey', proposal);
    }
    await tb.routeVia(1);
    const echoed = await tb.tcp(16384).catch(() => 0);
    if (echoed === 0) return done('DOWN', 'SAs up but no TCP passed', proposal);
    return done('UP', `TCP passed (${echoed} bytes echoed)`, proposal);
  });
}
