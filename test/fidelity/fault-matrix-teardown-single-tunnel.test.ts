import {
  CELL_TIMEOUT_MS,
  defineConflicts,
  defineMatrix,
  enumerate,
  type MatrixEnv,
  publishAfterAll,
} from '../helpers/fault-matrix';
import { useLocalWorld } from '../helpers/workflow';

// Fault-injection matrix, part 4 of 4 (teardown on a single-tunnel connection, Alibaba me-east-1): every mutating call
// x {throttle, 5xx, lost response} x {once, up to the budget, always}, plus Alibaba gateway conflicts on the Alibaba
// calls.
// The cells, the budget arithmetic and the table are in test/helpers/fault-matrix.ts; the table goes to
// .bench/fault-matrix.md. The other parts are test/fidelity/fault-matrix-*.test.ts.

const world = useLocalWorld(1000);
const env: MatrixEnv = {};

beforeAll(async () => {
  env['single-tunnel'] = await enumerate(world(), 'single-tunnel');
}, CELL_TIMEOUT_MS);

publishAfterAll('4-teardown-single-tunnel', 'Teardown · single-tunnel (Alibaba me-east-1)');

defineMatrix(world, env, 'teardown', 'single-tunnel');
defineConflicts(world, env, 'teardown', 'single-tunnel');
