import { DEFAULT_LATENCIES } from '../../sim/core/latencies';
import { apiHandler, json, jsonBody } from '../../src/api/http';
import { planSpec } from '../../src/service/plan';
import { cloudsDeps } from '../lib/clouds-step';

// POST /plan: a connection spec (JSON) -> what provisioning would create or adopt on each cloud, the crypto, the
// pairing and the expected duration. Reads only (preflight plus the planner); 200 even when preflight finds
// problems (they are the plan's `errors`). Durations: the typical ones the simulator's latency table holds (from
// the providers' documentation), a data table with no code.
export const handler = apiHandler('POST /plan', async (event, { requestId }) =>
  json(200, await planSpec(jsonBody(event), cloudsDeps(), DEFAULT_LATENCIES), requestId),
);
