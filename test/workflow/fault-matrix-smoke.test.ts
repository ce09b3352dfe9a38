import { DEFAULT_LAG } from '../../sim';
import {
  budgetOf,
  CELL_TIMEOUT_MS,
  conflictScenario,
  enumerate,
  expectEnumerated,
  findCall,
  type MatrixEnv,
  notFoundScenario,
  recordedResults,
  renderTable,
  runCell,
  scenarioFor,
} from '../helpers/fault-matrix';
import { useLocalWorld } from '../helpers/workflow';

// A representative slice of the fault-injection matrix (the full one is test/fidelity/fault-matrix-*.test.ts):
// the budget arithmetic is exact at its edge on both retry layers, lost responses are absorbed however many,
// a failure past the budget ends cleanly on both workflows, and the extra cells (conflicts, consistency) hold.

const world = useLocalWorld(1000);
const env: MatrixEnv = {};

beforeAll(async () => {
  env['dual-tunnel'] = await enumerate(world(), 'dual-tunnel');
  env['single-tunnel'] = await enumerate(world(), 'single-tunnel');
}, CELL_TIMEOUT_MS);

afterAll(() => {
  process.stdout.write(`\n${renderTable(recordedResults(), 'fault matrix (smoke subset)')}\n`);
});

describe.each(['dual-tunnel', 'single-tunnel'] as const)('the calls under test on a %s connection', (topology) => {
  it('are exactly the mutating calls a clean provision makes', () => {
    expectEnumerated(env, topology, 'provision');
  });

  it('are exactly the mutating calls a clean teardown makes', () => {
    expectEnumerated(env, topology, 'teardown');
  });
});

describe('the budget of an SDK-retried EC2 call (3 SDK attempts x 7 state attempts)', () => {
  const route = findCall('provision', 'ec2:CreateRoute');
  const n = budgetOf('provision', route, '5xx').absorbed;

  it('is 20 failures', () => {
    expect(n).toBe(20);
  });

  it(
    'absorbs exactly N 5xx answers to CreateRoute: ACTIVE with the resources of a clean run',
    () => runCell(world(), env, scenarioFor('provision', 'dual-tunnel', route, '5xx', n)),
    CELL_TIMEOUT_MS,
  );

  it(
    'fails on N+1 5xx answers naming CreateRoute, and the rollback leaves nothing',
    () => runCell(world(), env, scenarioFor('provision', 'dual-tunnel', route, '5xx', n + 1)),
    CELL_TIMEOUT_MS,
  );
});

describe('the budget of an Alibaba call (the SDK never retries: 1 x 7)', () => {
  const vpnRoute = findCall('provision', 'alibaba-vpc:CreateVpnRouteEntry');
  const n = budgetOf('provision', vpnRoute, '5xx').absorbed;

  it('is 6 failures', () => {
    expect(n).toBe(6);
  });

  it(
    'absorbs exactly N 5xx answers to CreateVpnRouteEntry on the single-tunnel topology',
    () => runCell(world(), env, scenarioFor('provision', 'single-tunnel', vpnRoute, '5xx', n)),
    CELL_TIMEOUT_MS,
  );

  it(
    'fails on N+1 and the rollback leaves nothing',
    () => runCell(world(), env, scenarioFor('provision', 'single-tunnel', vpnRoute, '5xx', n + 1)),
    CELL_TIMEOUT_MS,
  );
});

describe('lost responses, however many', () => {
  it(
    'on every CreateCustomerGateway still end ACTIVE with exactly one customer gateway per role',
    () =>
      runCell(
        world(),
        env,
        scenarioFor('provision', 'dual-tunnel', findCall('provision', 'ec2:CreateCustomerGateway'), 'lost', 0),
      ),
    CELL_TIMEOUT_MS,
  );

  it(
    'on every EC2 CreateVpnGateway (no ClientToken) under a 30 s list lag still end ACTIVE with exactly one VGW',
    () => {
      const sc = scenarioFor('provision', 'dual-tunnel', findCall('provision', 'ec2:CreateVpnGateway'), 'lost', 0);
      sc.column = 'lost ×∞, list lag 30 s';
      sc.prepare = async (w) => {
        w.sim.configure({ lag: { 'ec2.list': 30, 'alibaba-vpc.list': 30 } });
        return () => w.sim.configure({ lag: { ...DEFAULT_LAG } });
      };
      return runCell(world(), env, sc);
    },
    CELL_TIMEOUT_MS,
  );

  it(
    'on every Alibaba DeleteVpnGateway still end DELETED once the gateway is really gone',
    () =>
      runCell(
        world(),
        env,
        scenarioFor('teardown', 'dual-tunnel', findCall('teardown', 'alibaba-vpc:DeleteVpnGateway'), 'lost', 0),
      ),
    CELL_TIMEOUT_MS,
  );
});

describe('past the budget', () => {
  it(
    'a record that cannot be written (PutSecretValue always 5xx) still rolls back every cloud resource',
    () =>
      runCell(
        world(),
        env,
        scenarioFor('provision', 'dual-tunnel', findCall('provision', 'secretsmanager:PutSecretValue'), '5xx', 0),
      ),
    CELL_TIMEOUT_MS,
  );

  it(
    'a teardown whose DeleteVpnConnection always fails ends FAILED naming it, and a second run finishes',
    () =>
      runCell(
        world(),
        env,
        scenarioFor('teardown', 'dual-tunnel', findCall('teardown', 'ec2:DeleteVpnConnection'), '5xx', 0),
      ),
    CELL_TIMEOUT_MS,
  );
});

describe('the SDK layer alone', () => {
  it(
    'absorbs one throttled record write without a state retry',
    () =>
      runCell(
        world(),
        env,
        scenarioFor('provision', 'dual-tunnel', findCall('provision', 'secretsmanager:PutSecretValue'), 'throttle', 1),
      ),
    CELL_TIMEOUT_MS,
  );
});

describe('extra cells', () => {
  it(
    'an Alibaba gateway that is still configuring (3 times) delays the IPsec connection but ends ACTIVE',
    () =>
      runCell(
        world(),
        env,
        conflictScenario(
          'provision',
          'dual-tunnel',
          findCall('provision', 'alibaba-vpc:CreateVpnConnection'),
          'VpnGateway.Configuring',
          3,
        ),
      ),
    CELL_TIMEOUT_MS,
  );

  it(
    'an AWS VGW that is not visible right after its create is waited for, not treated as missing',
    () =>
      runCell(
        world(),
        env,
        notFoundScenario('dual-tunnel', 'DescribeVpnGateways', 'InvalidVpnGatewayID.NotFound', 'vpnGateways'),
      ),
    CELL_TIMEOUT_MS,
  );
});
