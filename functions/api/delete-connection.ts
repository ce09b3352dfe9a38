import { apiHandler, json, pathName } from '../../src/api/http';
import { ConnectionService, machinesFromEnv } from '../../src/service/connections';
import { executions } from '../lib/clients/executions';
import { recordDeps } from '../lib/clients/registry';

// DELETE /connections/{name}: start the teardown -> 202; 404 unknown or already torn down; 409 busy.
const service = () =>
  new ConnectionService({ deps: recordDeps(), executions: executions(), machines: machinesFromEnv() });
export const handler = apiHandler('DELETE /connections/{name}', async (event, { requestId }) =>
  json(202, await service().submitTeardown(pathName(event)), requestId),
);
