import { apiHandler, json, jsonBody } from '../../src/api/http';
import { ConnectionService, machinesFromEnv } from '../../src/service/connections';
import { executions } from '../lib/clients/executions';
import { recordDeps } from '../lib/clients/registry';
import { cloudsDeps } from '../lib/clouds-step';

// POST /connections: a connection spec (JSON) -> preflight against both clouds (400 with field errors) -> the
// connection's record, PROVISIONING -> 202 + the provisioning execution.
const service = () =>
  new ConnectionService({
    deps: recordDeps(),
    clouds: cloudsDeps(),
    executions: executions(),
    machines: machinesFromEnv(),
  });
export const handler = apiHandler('POST /connections', async (event, { requestId }) => {
  const submitted = await service().submitProvision(jsonBody(event));
  return json(202, submitted, requestId, { location: `/connections/${submitted.name}` });
});
