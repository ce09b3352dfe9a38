import { apiHandler, json, jsonBody } from '../../src/api/http';
import { ConnectionService, machinesFromEnv } from '../../src/service/connections';
import { executions } from '../lib/clients/executions';
import { recordDeps } from '../lib/clients/registry';

// POST /connections: a connection spec (JSON) -> 202 + the provisioning execution; 400 with field errors.
const service = () =>
  new ConnectionService({ deps: recordDeps(), executions: executions(), machines: machinesFromEnv() });
export const handler = apiHandler('POST /connections', async (event, { requestId }) => {
  const submitted = await service().submitProvision(jsonBody(event));
  return json(202, submitted, requestId, { location: `/connections/${submitted.name}` });
});
