import { SimError } from './errors';

// Faults on demand (POST /_sim/faults). A rule matches by service and action ('*' = any) and fires
// `count` times (default 1; 0 = unlimited) or with a probability, optionally after letting `skip`
// matching requests through.
//   throttle       -> the service's throttling error, the action does not happen
//   error          -> an error (default: the service's 5xx), the action does not happen; `code`,
//                     `status`, `message` choose a specific provider error (e.g. VpnGateway.Configuring)
//   lost-response  -> the action DOES happen, then the client gets a 5xx (a response lost in transit)
//   latency        -> the response is delayed by `latencyMs` real milliseconds

export type FaultKind = 'throttle' | 'error' | 'lost-response' | 'latency';
export const SERVICES = [
  'ec2',
  'secretsmanager',
  'stepfunctions',
  'lambda',
  'cloudwatch',
  'alibaba-vpc',
  'alibaba-sts',
] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface FaultRuleInput {
  service: ServiceName | '*';
  action: string;
  kind: FaultKind;
  count?: number;
  probability?: number;
  skip?: number;
  latencyMs?: number;
  code?: string;
  status?: number;
  message?: string;
}

export interface FaultRule extends Required<Pick<FaultRuleInput, 'service' | 'action' | 'kind'>> {
  id: string;
  count: number;
  probability?: number;
  skip: number;
  latencyMs: number;
  code?: string;
  status?: number;
  message?: string;
  /** how many times it fired */
  fired: number;
  /** how many matching requests it has seen */
  seen: number;
}

const KINDS: FaultKind[] = ['throttle', 'error', 'lost-response', 'latency'];

export function validateFault(input: unknown): FaultRuleInput {
  const bad = (field: string, why: string): never => {
    throw new SimError('InvalidFault', `fault.${field}: ${why}`, 400);
  };
  if (typeof input !== 'object' || input === null) bad('(body)', 'expected an object');
  const o = input as Record<string, unknown>;
  if (typeof o.service !== 'string' || !(o.service === '*' || (SERVICES as readonly string[]).includes(o.service)))
    bad('service', `one of ${['*', ...SERVICES].join(', ')}`);
  if (typeof o.action !== 'string' || o.action.length === 0) bad('action', "an action name or '*'");
  if (typeof o.kind !== 'string' || !KINDS.includes(o.kind as FaultKind)) bad('kind', `one of ${KINDS.join(', ')}`);
  for (const f of ['count', 'skip', 'latencyMs', 'status'] as const) {
    if (o[f] !== undefined && (typeof o[f] !== 'number' || !Number.isInteger(o[f]) || (o[f] as number) < 0))
      bad(f, 'a non-negative integer');
  }
  if (o.probability !== undefined && (typeof o.probability !== 'number' || o.probability < 0 || o.probability > 1))
    bad('probability', 'a number between 0 and 1');
  if (o.status !== undefined && ((o.status as number) < 400 || (o.status as number) > 599)) bad('status', '400-599');
  if (o.kind === 'latency' && o.latencyMs === undefined) bad('latencyMs', 'required for kind=latency');
  for (const f of ['code', 'message'] as const) if (o[f] !== undefined && typeof o[f] !== 'string') bad(f, 'a string');
  return o as unknown as FaultRuleInput;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private nextId = 1;
  firedTotal = 0;

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = {
      id: `fault-${this.nextId++}`,
      service: input.service,
      action: input.action,
      kind: input.kind,
      count: input.count ?? (input.probability !== undefined ? 0 : 1),
      probability: input.probability,
      skip: input.skip ?? 0,
      latencyMs: input.latencyMs ?? 0,
      code: input.code,
      status: input.status,
      message: input.message,
      fired: 0,
      seen: 0,
    };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  /** the rules that fire for this request (at most one of each kind), consuming their counts */
  match(service: ServiceName, action: string): FaultRule[] {
    const out: FaultRule[] = [];
    const kinds = new Set<FaultKind>();
    for (const r of this.rules) {
      if (r.service !== '*' && r.service !== service) continue;
      if (r.action !== '*' && r.action !== action) continue;
      if (r.count > 0 && r.fired >= r.count) continue;
      r.seen++;
      if (r.seen <= r.skip) continue;
      if (r.probability !== undefined && Math.random() >= r.probability) continue;
      if (kinds.has(r.kind)) continue;
      kinds.add(r.kind);
      r.fired++;
      this.firedTotal++;
      out.push({ ...r });
    }
    return out;
  }
}
