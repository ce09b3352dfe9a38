import { describeError } from '../errors';
import { logger, redactText } from '../log';
import { lockHolder } from '../registry/lock';
import type { ConnectionRecord } from '../registry/record';
import { tgwAttachOf } from '../spec/schema';
import type { AwsDeps } from './deps';
import { awsSteerTgwRoutes } from './transit';

// The failover watcher (a scheduled Lambda, every minute): for each ACTIVE dual-tunnel connection through a transit
// gateway that no operation holds, the routes go where a used tunnel is UP (awsSteerTgwRoutes, no `avoid`). A
// connection a rotation holds is skipped: the rotation steers it itself. Bounded work per run; an error on one
// connection is logged and counted, the others go on.

/** connections looked at per run, at most; the start moves with the clock so a larger fleet is covered in turns */
export const MAX_FAILOVER_CHECKS = 50;

export interface FailoverRun {
  /** connections whose routes were looked at */
  checked: number;
  /** of those, connections whose routes were switched */
  switched: number;
  /** connections an operation holds (left to it), or left for a later run by the bound */
  skipped: number;
  failed: number;
  switches: Array<{ name: string; to?: string; destinations: string[] }>;
  errors: Array<{ name: string; error: string }>;
}

/** the connections the watcher steers: ACTIVE, through a transit gateway, two VPN connections */
export function watched(r: ConnectionRecord): boolean {
  return r.status === 'ACTIVE' && r.topology === 'dual-tunnel' && tgwAttachOf(r.spec) !== undefined;
}

/** at most `max` of `items`; beyond the bound each minute starts `max` further on, so every one gets its turn */
export function turnOf<T>(items: T[], max: number, now: Date): T[] {
  if (items.length <= max) return items;
  const start = (Math.floor(now.getTime() / 60_000) * max) % items.length;
  return [...items.slice(start), ...items.slice(0, start)].slice(0, max);
}

export async function watchTgwFailover(deps: AwsDeps, opts: { max?: number } = {}): Promise<FailoverRun> {
  const max = opts.max ?? MAX_FAILOVER_CHECKS;
  const all = (await deps.registry.list()).filter(watched).sort((a, b) => a.name.localeCompare(b.name));
  const run: FailoverRun = { checked: 0, switched: 0, skipped: 0, failed: 0, switches: [], errors: [] };
  const free = all.filter((r) => {
    if (!lockHolder(r)) return true;
    run.skipped++;
    return false;
  });
  const turn = turnOf(free, max, deps.now());
  run.skipped += free.length - turn.length;
  for (const r of turn) {
    try {
      const s = await awsSteerTgwRoutes(deps, { name: r.name }, { unlessBusy: true });
      if (s.busy) {
        run.skipped++;
        continue;
      }
      run.checked++;
      if (s.changes.length > 0) {
        run.switched++;
        run.switches.push({ name: r.name, to: s.target, destinations: s.changes.map((c) => c.destination) });
      }
    } catch (e) {
      const d = describeError(e);
      const error = redactText(`${d.name}: ${d.message}`);
      run.failed++;
      run.errors.push({ name: r.name, error });
      logger.error('transit gateway failover check failed', { connection: r.name, error });
    }
  }
  logger.info('transit gateway failover run', {
    checked: run.checked,
    switched: run.switched,
    skipped: run.skipped,
    failed: run.failed,
  });
  return run;
}
