// The provisioning step graph of a plan (README.md) and its ideal (critical path) and strictly sequential
// durations under a latency table. Pure: the latency table is a parameter (the simulator's keys, simulated seconds).
import type { Plan } from './topology';
import { tunnelId } from './topology';

export interface PlanStep {
  id: string;
  label: string;
  /** latency table key for this step's duration; absent = instantaneous (synchronous API call) */
  latencyKey?: string;
  dependsOn: string[];
  /**
   * 'action': someone (the workflow or the operator) starts it. 'automatic': the provider starts it by itself as
   * soon as its dependencies are done (a VPN connection turning available, a tunnel negotiating).
   */
  trigger: 'action' | 'automatic';
}

export interface ScheduledStep {
  id: string;
  start: number;
  finish: number;
}

/**
 * Steps of the plan, in the order the 2018 article performs them (a valid topological order):
 * Alibaba gateway; VGW; attach; AWS CGW(s); per VPN connection: create, available, static route; per Alibaba
 * connection: its customer gateways, the connection, its tunnels up; VPN route entries; VPC route entry; AWS VPC
 * routes. Dependencies encode what the clouds require:
 * - Alibaba gateway active ‖ (VGW available -> attached -> AWS VPC routes);
 * - AWS CGW(s) after the Alibaba gateway (its IPs); a VPN connection after its CGW and the VGW are available;
 * - Alibaba CGWs (instant) once the VPN connection is created (tunnel IPs/PSKs readable at once);
 * - Alibaba IPsec connections one after another on the gateway, then the VPN route entries one after another,
 *   then the VPC route entry;
 * - AWS VPN static route after the connection is available;
 * - each used tunnel up ('tunnel.negotiation') after its AWS connection is available and its Alibaba connection applied.
 */
export function stepGraph(plan: Plan): PlanStep[] {
  const steps: PlanStep[] = [];
  const add = (step: PlanStep) => steps.push(step);

  add({
    id: 'alibaba.gateway',
    label: 'Alibaba VPN gateway active',
    latencyKey: 'alibaba.vpnGateway.create',
    dependsOn: [],
    trigger: 'action',
  });
  add({
    id: 'aws.vgw',
    label: 'AWS VGW available',
    latencyKey: 'aws.vpnGateway.create',
    dependsOn: [],
    trigger: 'action',
  });
  add({
    id: 'aws.vgw.attach',
    label: 'AWS VGW attached',
    latencyKey: 'aws.vpnGateway.attach',
    dependsOn: ['aws.vgw'],
    trigger: 'action',
  });

  for (const cgw of plan.awsCustomerGateways) {
    add({
      id: `aws.${cgw.role}`,
      label: `AWS customer gateway ${cgw.role} available`,
      latencyKey: 'aws.customerGateway.create',
      dependsOn: ['alibaba.gateway'],
      trigger: 'action',
    });
  }
  for (const vpn of plan.awsVpnConnections) {
    add({
      id: `aws.${vpn.role}.create`,
      label: `AWS VPN connection ${vpn.role} created`,
      dependsOn: [`aws.${vpn.customerGateway}`, 'aws.vgw'],
      trigger: 'action',
    });
    add({
      id: `aws.${vpn.role}.available`,
      label: `AWS VPN connection ${vpn.role} available`,
      latencyKey: 'aws.vpnConnection.create',
      dependsOn: [`aws.${vpn.role}.create`],
      trigger: 'automatic',
    });
    add({
      id: `aws.${vpn.role}.route`,
      label: `AWS VPN static route on ${vpn.role}`,
      latencyKey: 'aws.vpnConnectionRoute.create',
      dependsOn: [`aws.${vpn.role}.available`],
      trigger: 'action',
    });
  }

  const aliCgwDone = new Set<string>();
  let previousOnGateway: string | undefined;
  for (const conn of plan.alibabaConnections) {
    const cgwSteps: string[] = [];
    for (const t of conn.tunnels) {
      const id = `alibaba.${t.customerGateway}`;
      cgwSteps.push(id);
      if (aliCgwDone.has(id)) continue;
      aliCgwDone.add(id);
      const cgw = plan.alibabaCustomerGateways.find((c) => c.role === t.customerGateway);
      const awsConn = cgw?.awsTunnel.connection ?? t.awsTunnel.connection;
      add({
        id,
        label: `Alibaba customer gateway ${t.customerGateway}`,
        dependsOn: [`aws.${awsConn}.create`],
        trigger: 'action',
      });
    }
    const connStep = `alibaba.${conn.role}`;
    add({
      id: connStep,
      label: `Alibaba IPsec connection ${conn.role} applied`,
      latencyKey: 'alibaba.vpnGateway.update',
      dependsOn: ['alibaba.gateway', ...cgwSteps, ...(previousOnGateway ? [previousOnGateway] : [])],
      trigger: 'action',
    });
    previousOnGateway = connStep;
    for (const t of conn.tunnels) {
      const id = tunnelId(t.awsTunnel);
      add({
        id: `tunnel.${id}`,
        label: `tunnel ${id} UP`,
        latencyKey: 'tunnel.negotiation',
        dependsOn: [`aws.${t.awsTunnel.connection}.available`, connStep],
        trigger: 'automatic',
      });
    }
  }

  let lastRoute: string | undefined;
  for (const conn of plan.alibabaConnections) {
    const id = `alibaba.vpnRoute.${conn.role}`;
    add({
      id,
      label: `Alibaba VPN route entry via ${conn.role} (weight ${conn.routeWeight})`,
      latencyKey: 'alibaba.vpnGateway.update',
      dependsOn: [...new Set([`alibaba.${conn.role}`, ...(previousOnGateway ? [previousOnGateway] : [])])],
      trigger: 'action',
    });
    previousOnGateway = id;
    lastRoute = id;
  }
  add({
    id: 'alibaba.vpcRoute',
    label: 'Alibaba VPC route entry',
    latencyKey: 'alibaba.routeEntry.create',
    dependsOn: lastRoute ? [lastRoute] : ['alibaba.gateway'],
    trigger: 'action',
  });
  add({ id: 'aws.vpcRoutes', label: 'AWS VPC routes to the VGW', dependsOn: ['aws.vgw.attach'], trigger: 'action' });

  const seen = new Set<string>();
  for (const step of steps) {
    for (const dep of step.dependsOn) {
      if (!seen.has(dep)) throw new Error(`step graph: ${step.id} depends on ${dep}, which does not come before it`);
    }
    if (seen.has(step.id)) throw new Error(`step graph: duplicate step ${step.id}`);
    seen.add(step.id);
  }
  return steps;
}

function duration(step: PlanStep, latencies: Readonly<Record<string, number>>): number {
  if (step.latencyKey === undefined) return 0;
  const value = latencies[step.latencyKey];
  if (typeof value !== 'number' || !(value >= 0)) {
    throw new Error(`latency table has no usable value for '${step.latencyKey}' (step ${step.id})`);
  }
  return value;
}

/**
 * Step times. 'parallel': every step starts as soon as its dependencies finish (the ideal the workflow can reach).
 * 'sequential': one operator does the steps strictly in the article's order, waiting for each to finish before
 * starting the next; automatic steps (a tunnel negotiating) still start when their own dependencies finish.
 */
export function scheduleSteps(
  plan: Plan,
  latencies: Readonly<Record<string, number>>,
  mode: 'parallel' | 'sequential',
): ScheduledStep[] {
  const finish = new Map<string, number>();
  const out: ScheduledStep[] = [];
  let operator = 0;
  for (const step of stepGraph(plan)) {
    const ready = Math.max(0, ...step.dependsOn.map((d) => finish.get(d) ?? 0));
    const start = mode === 'sequential' && step.trigger === 'action' ? Math.max(ready, operator) : ready;
    const end = start + duration(step, latencies);
    finish.set(step.id, end);
    operator = Math.max(operator, end);
    out.push({ id: step.id, start, finish: end });
  }
  return out;
}

/** The longest dependency chain: the lower bound on provisioning time under this latency table. */
export function criticalPathSeconds(
  plan: Plan,
  latencies: Readonly<Record<string, number>>,
): { seconds: number; path: string[] } {
  const steps = stepGraph(plan);
  const byId = new Map(steps.map((s) => [s.id, s]));
  const finish = new Map<string, number>();
  const via = new Map<string, string | undefined>();
  let last: string | undefined;
  for (const step of steps) {
    let ready = 0;
    let from: string | undefined;
    for (const dep of step.dependsOn) {
      const f = finish.get(dep) ?? 0;
      if (from === undefined || f > ready) {
        ready = f;
        from = dep;
      }
    }
    const end = ready + duration(step, latencies);
    finish.set(step.id, end);
    via.set(step.id, from);
    if (last === undefined || end > (finish.get(last) ?? 0)) last = step.id;
  }
  const path: string[] = [];
  for (let at = last; at !== undefined && byId.has(at); at = via.get(at)) path.unshift(at);
  return { seconds: last === undefined ? 0 : (finish.get(last) ?? 0), path };
}

/** The same steps done strictly one after another, as the article does them. */
export function sequentialSeconds(plan: Plan, latencies: Readonly<Record<string, number>>): number {
  return Math.max(0, ...scheduleSteps(plan, latencies, 'sequential').map((s) => s.finish));
}
