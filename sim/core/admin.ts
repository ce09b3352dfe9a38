import type { Simulator } from '../index';
import type { ServiceResponse } from './context';
import { SimError } from './errors';
import { validateFault } from './faults';

// The admin API under /_sim/ (documented in README "Simulator").

function json(status: number, value: unknown): ServiceResponse {
  return { status, body: JSON.stringify(value, null, 2) };
}

function parse(body: string): unknown {
  if (!body.trim()) return {};
  try {
    return JSON.parse(body);
  } catch {
    throw new SimError('InvalidJson', 'the request body is not valid JSON', 400);
  }
}

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new SimError('InvalidRequest', `${what}: expected a JSON object`, 400);
  return v as Record<string, unknown>;
}

export function adminHandler(sim: Simulator) {
  return (method: string, path: string, body: string): ServiceResponse => {
    const route = `${method} ${path.replace(/\/+$/, '')}`;
    switch (route) {
      case 'GET /_sim':
      case 'GET /_sim/health':
        return json(200, {
          ok: true,
          url: sim.url,
          simTime: new Date(sim.ctx.clock.now()).toISOString(),
          timeScale: sim.ctx.clock.timeScale,
        });
      case 'GET /_sim/state':
        return json(200, {
          simTime: sim.ctx.clock.now(),
          timeScale: sim.ctx.clock.timeScale,
          world: sim.ctx.state,
          pendingEvents: sim.ctx.scheduler.pending(),
        });
      case 'POST /_sim/reset': {
        const o = asObject(parse(body), 'reset');
        sim.reset(typeof o.timeScale === 'number' ? { timeScale: o.timeScale } : {});
        return json(200, { ok: true });
      }
      case 'GET /_sim/metrics':
        return json(200, {
          simTime: sim.ctx.clock.now(),
          simSeconds: (sim.ctx.clock.now() - sim.metricsSince) / 1000,
          timeScale: sim.ctx.clock.timeScale,
          faultsFired: sim.faults.firedTotal,
          ...sim.metrics.snapshot(),
        });
      case 'DELETE /_sim/metrics':
        sim.metrics.reset();
        sim.metricsSince = sim.ctx.clock.now();
        return json(200, { ok: true });
      case 'GET /_sim/config':
        return json(200, sim.config());
      case 'PUT /_sim/config': {
        const o = asObject(parse(body), 'config');
        const codes = o.assumedErrorCodes;
        if (codes !== undefined && codes !== 'as-is' && codes !== 'unknown')
          throw new SimError('InvalidRequest', "assumedErrorCodes: 'as-is' or 'unknown'", 400);
        try {
          sim.configure({
            timeScale: typeof o.timeScale === 'number' ? o.timeScale : undefined,
            latencies:
              o.latencies === undefined ? undefined : (asObject(o.latencies, 'latencies') as Record<string, number>),
            lag: o.lag === undefined ? undefined : (asObject(o.lag, 'lag') as Record<string, number>),
            assumedErrorCodes: codes,
          });
        } catch (e) {
          if (e instanceof SimError) throw e;
          throw new SimError('InvalidRequest', e instanceof Error ? e.message : String(e), 400);
        }
        return json(200, sim.config());
      }
      case 'POST /_sim/clock/advance': {
        const o = asObject(parse(body), 'advance');
        if (typeof o.seconds !== 'number' || !(o.seconds >= 0))
          throw new SimError('InvalidRequest', 'seconds: a number >= 0', 400);
        sim.ctx.clock.advance(o.seconds);
        sim.ctx.tick();
        return json(200, { simTime: sim.ctx.clock.now() });
      }
      case 'GET /_sim/faults':
        return json(200, { faults: sim.faults.list() });
      case 'POST /_sim/faults': {
        const raw = parse(body);
        const list = Array.isArray(raw) ? raw : [raw];
        const rules = list.map((r) => sim.faults.add(validateFault(r)));
        return json(201, { faults: rules });
      }
      case 'DELETE /_sim/faults':
        sim.faults.clear();
        return json(200, { ok: true });
      case 'GET /_sim/iam':
      case 'GET /_sim/iam/principals':
        return json(200, sim.ctx.iam.list());
      case 'PUT /_sim/iam/enforcement': {
        const o = asObject(parse(body), 'enforcement');
        if (typeof o.enabled !== 'boolean') throw new SimError('InvalidRequest', 'enabled: true or false', 400);
        sim.ctx.iam.enforce = o.enabled;
        return json(200, { enforce: sim.ctx.iam.enforce });
      }
      case 'POST /_sim/iam/principals': {
        const raw = parse(body);
        const added = (Array.isArray(raw) ? raw : [raw]).map((p) => sim.ctx.iam.putPrincipal(p));
        return json(201, {
          principals: added.map((p) => ({ cloud: p.cloud, accessKeyId: p.accessKeyId, arn: p.arn })),
        });
      }
      case 'DELETE /_sim/iam/principals':
        sim.ctx.iam.clear();
        return json(200, { ok: true });
      case 'POST /_sim/iam/roles': {
        const raw = parse(body);
        const added = (Array.isArray(raw) ? raw : [raw]).map((r) => sim.ctx.iam.putRole(r));
        return json(201, { roles: added.map((r) => ({ arn: r.arn, maxSessionDuration: r.maxSessionDuration })) });
      }
      case 'GET /_sim/iam/log':
        return json(200, { entries: sim.ctx.iam.entries() });
      case 'DELETE /_sim/iam/log':
        sim.ctx.iam.clearLog();
        return json(200, { ok: true });
      case 'POST /_sim/iam/decode-authorization-message': {
        const o = asObject(parse(body), 'decode');
        const token = o.EncodedMessage ?? o.EncodedDiagnosticMessage;
        if (typeof token !== 'string') throw new SimError('InvalidRequest', 'EncodedMessage: the encoded message', 400);
        const decoded = sim.ctx.iam.decode(token);
        if (decoded === undefined)
          throw new SimError(
            'InvalidAuthorizationMessageException',
            'The encoded message is not one this simulator issued.',
            400,
          );
        return json(200, { DecodedMessage: JSON.stringify(decoded) });
      }
      case 'GET /_sim/tunnels':
        return json(200, { tunnels: sim.negotiation.report() });
      case 'POST /_sim/tunnels/down':
      case 'POST /_sim/tunnels/up': {
        const o = asObject(parse(body), 'tunnel');
        const key = sim.negotiation.forceKey(o);
        if (route.endsWith('down')) sim.ctx.state.forcedDown[key] = true;
        else delete sim.ctx.state.forcedDown[key];
        sim.ctx.tick();
        return json(200, { ok: true, key, forcedDown: Object.keys(sim.ctx.state.forcedDown) });
      }
      default: {
        const key = /^DELETE \/_sim\/iam\/principals\/([^/]+)$/.exec(route);
        if (key?.[1]) {
          if (!sim.ctx.iam.removePrincipal(decodeURIComponent(key[1])))
            throw new SimError('NotFound', `no principal ${key[1]}`, 404);
          return json(200, { ok: true });
        }
        const m = /^DELETE \/_sim\/faults\/([\w-]+)$/.exec(route);
        if (m?.[1]) {
          if (!sim.faults.remove(m[1])) throw new SimError('NotFound', `no fault ${m[1]}`, 404);
          return json(200, { ok: true });
        }
        throw new SimError('NotFound', `no admin route ${route}`, 404);
      }
    }
  };
}
