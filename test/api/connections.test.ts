import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { handler as createConnection } from '../../functions/api/create-connection';
import { handler as deleteConnection } from '../../functions/api/delete-connection';
import { handler as getConnection } from '../../functions/api/get-connection';
import { handler as listConnections } from '../../functions/api/list-connections';
import { handler as startDrift } from '../../functions/api/start-drift';
import { operatorDeps } from '../../local/operator';
import { awaitExecution } from '../../sim/aws/step-functions';
import { newRecord } from '../../src/registry/record';
import type { ConnectionView, Submission } from '../../src/service/connections';
import { parseSpec } from '../../src/spec';
import { allPsks, inventory, leaks } from '../helpers/workflow';
import { apiEvent, articleSpec, executionsOf, freshWorld, parse, settle, useApiWorld } from './world';

// The HTTP API handlers, called with synthetic API Gateway events, against the simulator whose Step
// Functions service runs the real state machines.

const world = useApiWorld();

const post = (json: unknown) =>
  createConnection(apiEvent({ method: 'POST', route: '/connections', path: '/connections', json }));
const get = (name: string) =>
  getConnection(
    apiEvent({ method: 'GET', route: '/connections/{name}', path: `/connections/${name}`, pathParameters: { name } }),
  );
const del = (name: string) =>
  deleteConnection(
    apiEvent({
      method: 'DELETE',
      route: '/connections/{name}',
      path: `/connections/${name}`,
      pathParameters: { name },
    }),
  );
const drift = (name: string, json?: unknown) =>
  startDrift(
    apiEvent({
      method: 'POST',
      route: '/connections/{name}/drift',
      path: `/connections/${name}/drift`,
      pathParameters: { name },
      json,
    }),
  );

interface ErrorBody {
  error: { code: string; message: string; fields?: Array<{ path: string; message: string }>; executionArn?: string };
}

describe('a connection through the HTTP API', () => {
  const name = 'api-one';
  const bodies: string[] = [];
  let executionArn = '';

  beforeAll(async () => {
    await freshWorld(world());
  });

  it('starts one provisioning execution for two concurrent identical POSTs, answering 202 to both', async () => {
    // Prepare
    const w = world();
    const spec = await articleSpec(w, name);

    // Act
    const [a, b] = (await Promise.all([post(spec), post(spec)])).map((r) => parse<Submission>(r));

    // Assert
    expect(a?.status).toBe(202);
    expect(b?.status).toBe(202);
    expect(a?.body.status).toBe('PROVISIONING');
    expect(a?.body.executionArn).toMatch(/:execution:vpn-bridge-provision-local:api-one-provision-0-[0-9a-f]{6}$/);
    expect(b?.body.executionArn).toBe(a?.body.executionArn);
    expect(a?.headers['content-type']).toContain('application/json');
    expect(a?.headers['x-request-id']).toBeTruthy();
    expect(a?.headers.location).toBe('/connections/api-one');
    const runs = (await executionsOf(w, 'provision')).filter((x) => x.name.startsWith(`${name}-`));
    expect(runs).toHaveLength(1);
    executionArn = a?.body.executionArn ?? '';
    bodies.push(a?.text ?? '', b?.text ?? '');
  });

  it('returns the same execution for the identical POST while it runs, and 409 for a different spec', async () => {
    // Prepare
    const w = world();
    const spec = await articleSpec(w, name);
    const changed = { ...spec, alibaba: { ...spec.alibaba, bandwidthMbps: 100 } };

    // Act
    const same = parse<Submission>(await post(spec));
    const other = parse<ErrorBody>(await post(changed));

    // Assert
    expect(same.status).toBe(202);
    expect(same.body.executionArn).toBe(executionArn);
    expect(same.body.duplicate).toBe(true);
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('OperationInProgress');
    expect(other.body.error.executionArn).toBe(executionArn);
    expect((await executionsOf(w, 'provision')).filter((x) => x.name.startsWith(`${name}-`))).toHaveLength(1);
  });

  it('shows the connection ACTIVE with live tunnels and their roles once provisioning finished', async () => {
    // Prepare
    const w = world();
    const done = await awaitExecution(w.sim.ctx, executionArn);

    // Act
    const r = parse<ConnectionView>(await get(name));

    // Assert
    expect(done.status).toBe('SUCCEEDED');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ACTIVE');
    expect(r.body.topology).toBe('dual-tunnel');
    const used = r.body.tunnels.filter((t) => t.role !== 'unused');
    expect(used.map((t) => t.role).sort()).toEqual(['active', 'standby']);
    for (const t of used) {
      expect(t.up).toBe(true);
      expect(t.aws.status).toBe('UP');
      expect(t.alibaba?.status).toBe('ipsec_sa_established');
    }
    expect(r.body.tunnels.filter((t) => t.role === 'unused')).toHaveLength(2);
    expect(r.body.resources.aws.vpnGatewayId).toMatch(/^vgw-/);
    expect(Object.keys(r.body.tunnelEndpoints).length).toBeGreaterThanOrEqual(2);
    bodies.push(r.text);
  });

  it('lists the connection with its status', async () => {
    // Act
    const r = parse<{ connections: Array<{ name: string; status: string; topology: string }> }>(
      await listConnections(apiEvent({ method: 'GET', route: '/connections', path: '/connections' })),
    );

    // Assert
    expect(r.status).toBe(200);
    expect(r.body.connections).toEqual([expect.objectContaining({ name, status: 'ACTIVE', topology: 'dual-tunnel' })]);
    bodies.push(r.text);
  });

  it('starts a drift check with 202 and refuses a malformed drift body with 400', async () => {
    // Prepare
    const w = world();
    if (!w.machines.drift) throw new Error('the drift-check state machine is not available');

    // Act
    const ok = parse<Submission>(await drift(name, { repair: false }));
    const bad = parse<ErrorBody>(await drift(name, { repair: 'yes', extra: 1 }));

    // Assert
    expect(ok.status).toBe(202);
    expect(ok.body.operation).toBe('drift');
    const described = await w.sfn.send(new DescribeExecutionCommand({ executionArn: ok.body.executionArn }));
    expect(JSON.parse(described.input ?? '{}')).toEqual({ names: [name], repair: false });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.map((f) => f.path).sort()).toEqual(['extra', 'repair']);
    await settle(w);
  });

  it('tears the connection down: 202, 409 for a POST meanwhile, then DELETED, and 404 for a second DELETE', async () => {
    // Prepare
    const w = world();
    const spec = await articleSpec(w, name);

    // Act
    const accepted = parse<Submission>(await del(name));
    const during = parse<ErrorBody>(await post(spec));
    const done = await awaitExecution(w.sim.ctx, accepted.body.executionArn);
    const after = parse<ConnectionView>(await get(name));
    const again = parse<ErrorBody>(await del(name));

    // Assert
    expect(accepted.status).toBe(202);
    expect(accepted.body.status).toBe('DELETING');
    expect(during.status).toBe(409);
    expect(during.body.error.message).toContain('teardown');
    expect(done.status).toBe('SUCCEEDED');
    expect(after.status).toBe(200);
    expect(after.body.status).toBe('DELETED');
    expect(after.body.tunnels).toEqual([]);
    expect(again.status).toBe(404);
    expect(again.body.error.message).toContain('torn down');
    expect(inventory(w.sim).awsVpnConnections).toBe(0);
    bodies.push(accepted.text, after.text);
  });

  it('provisions a connection created again under the same name in a fresh execution', async () => {
    // Prepare: the first life's executions are closed
    const w = world();
    const spec = await articleSpec(w, name);

    // Act
    const again = parse<Submission>(await post(spec));
    const done = await awaitExecution(w.sim.ctx, again.body.executionArn);
    const view = parse<ConnectionView>(await get(name));

    // Assert
    expect(again.status).toBe(202);
    expect(again.body.executionName).toMatch(/^api-one-provision-0-[0-9a-f]{6}$/);
    expect(again.body.executionArn).not.toBe(executionArn);
    expect(again.body.duplicate).toBe(false);
    expect(done.status).toBe('SUCCEEDED');
    expect(view.body.status).toBe('ACTIVE');
    bodies.push(again.text, view.text);
  });

  it('never puts a pre-shared key in a response or a log line', () => {
    // Prepare
    const w = world();
    const psks = allPsks(w.sim);

    // Assert
    expect(psks.length).toBeGreaterThanOrEqual(2);
    expect(leaks(psks, bodies.join('\n'))).toEqual([]);
    expect(leaks(psks, w.logs.join('\n'))).toEqual([]);
  });
});

describe('refusals', () => {
  beforeAll(async () => {
    await freshWorld(world());
  });

  it('answers 400 naming the field for a bad spec, and creates nothing', async () => {
    // Prepare
    const w = world();
    const spec = await articleSpec(w, 'api-bad');
    const bad = { ...spec, aws: { ...spec.aws, cidr: '10.0.0.0/33' }, tunnels: { profile: 'strongest' } };
    const before = JSON.stringify({
      inv: inventory(w.sim),
      ex: w.sim.ctx.state.aws.executions,
      sec: w.sim.ctx.state.aws.secrets,
    });

    // Act
    const r = parse<ErrorBody>(await post(bad));

    // Assert
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('SpecInvalid');
    expect(r.body.error.fields?.map((f) => f.path)).toEqual(expect.arrayContaining(['aws.cidr', 'tunnels.profile']));
    const after = JSON.stringify({
      inv: inventory(w.sim),
      ex: w.sim.ctx.state.aws.executions,
      sec: w.sim.ctx.state.aws.secrets,
    });
    expect(after).toBe(before);
  });

  it('answers 404 for an unknown connection and 400 for a name that cannot be one', async () => {
    // Act
    const unknown = parse<ErrorBody>(await get('no-such-thing'));
    const invalid = parse<ErrorBody>(await get('Bad_Name'));
    const teardown = parse<ErrorBody>(await del('no-such-thing'));

    // Assert
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NotFound');
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.fields?.[0]?.path).toBe('name');
    expect(teardown.status).toBe(404);
  });

  it('answers a status request for a half-built connection without failing', async () => {
    // Prepare: a validated record whose resources were never created, and one pointing at a region nobody serves
    const deps = operatorDeps();
    const parsed = parseSpec(await articleSpec(world(), 'half-built'));
    if (!parsed.ok) throw new Error('spec invalid');
    const half = newRecord(parsed.spec, deps.registry.stage, 'g1', new Date().toISOString());
    half.topology = 'dual-tunnel';
    half.resolved = { awsRouteTableIds: [], alibabaVSwitchIds: [], alibabaRouteTableId: 'vtb-x' };
    await deps.registry.put(half);
    const lost = newRecord(
      { ...parsed.spec, name: 'lost-region', alibaba: { ...parsed.spec.alibaba, region: 'xx-nowhere-9' } },
      deps.registry.stage,
      'g2',
      new Date().toISOString(),
    );
    lost.topology = 'dual-tunnel';
    lost.resolved = half.resolved;
    await deps.registry.put(lost);

    // Act
    const a = parse<ConnectionView>(await get('half-built'));
    const b = parse<ConnectionView>(await get('lost-region'));

    // Assert
    expect(a.status).toBe(200);
    expect(a.body.status).toBe('PROVISIONING');
    expect(a.body.tunnels.length).toBeGreaterThan(0);
    expect(a.body.tunnels.every((t) => t.aws.status === 'MISSING')).toBe(true);
    expect(b.status).toBe(200);
    expect(b.body.tunnels).toEqual([]);
    expect(b.body.tunnelsError).toBeTruthy();
  });
});
