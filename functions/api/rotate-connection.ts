import { apiHandler, json, pathName } from '../../src/api/http';
import { ConnectionService, machinesFromEnv } from '../../src/service/connections';
import { executions } from '../lib/clients/executions';
import { recordDeps } from '../lib/clients/registry';

// POST /connections/{name}/rotate: start a key rotation -> 202; 404 unknown or torn down; 409 busy or not ACTIVE.
const service = () =>
  new ConnectionService({ deps: recordDeps(), executions: executions(), machines: machinesFromEnv() });
export const handler = apiHandler('POST /connections/{name}/rotate', async (event, { requestId }) =>
  json(202, await service().submitRotation(pathName(event)), requestId),
);
