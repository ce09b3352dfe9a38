import { parseDriftRequest } from '../../src/api/drift-request';
import { apiHandler, json, jsonBody, pathName } from '../../src/api/http';
import { ConnectionService, machinesFromEnv } from '../../src/service/connections';
import { executions } from '../lib/clients/executions';
import { recordDeps } from '../lib/clients/registry';

// POST /connections/{name}/drift (optional body {"repair": boolean}) -> 202 + the drift-check execution.
const service = () =>
  new ConnectionService({ deps: recordDeps(), executions: executions(), machines: machinesFromEnv() });
export const handler = apiHandler('POST /connections/{name}/drift', async (event, { requestId }) => {
  const name = pathName(event);
  const { repair } = parseDriftRequest(jsonBody(event, { optional: true }));
  return json(202, await service().submitDrift(name, { repair }), requestId);
});
