import {
  CELL_TIMEOUT_MS,
  defineConflicts,
  defineConsistency,
  defineMatrix,
  defineTunnelDown,
  enumerate,
  type MatrixEnv,
  publishAfterAll,
} from '../helpers/fault-matrix';
import { useLocalWorld } from '../helpers/workflow';

// Fault-injection matrix, part 1 of 4 (provision on a dual-tunnel connection, Alibaba eu-central-1): every mutating
// call x {throttle, 5xx, lost response} x {once, up to the budget, always}, plus Alibaba gateway conflicts on the
// Alibaba calls, AWS eventual consistency and a tunnel that never comes up.
// The cells, the budget arithmetic and the table are in test/helpers/fault-matrix.ts; the table goes to
// .bench/fault-matrix.md. The other parts are test/fidelity/fault-matrix-*.test.ts.

const world = useLocalWorld(1000);
const env: MatrixEnv = {};

beforeAll(async () => {
  env['dual-tunnel'] = await enumerate(world(), 'dual-tunnel');
}, CELL_TIMEOUT_MS);

publishAfterAll('1-provision-dual-tunnel', 'Provisioning · dual-tunnel (Alibaba eu-central-1)');

defineMatrix(world, env, 'provision', 'dual-tunnel');
defineConflicts(world, env, 'provision', 'dual-tunnel');
defineConsistency(world, env, 'dual-tunnel');
defineTunnelDown(world, env, 'dual-tunnel');
