import { apiHandler, json, pathName } from '../../src/api/http';
import { ConnectionService, machinesFromEnv } from '../../src/service/connections';
import { recordDeps } from '../lib/clients/registry';
import { cloudsDeps } from '../lib/clouds-step';

// GET /connections/{name}: the record (no keys) plus live per-tunnel status with roles.
const service = () => new ConnectionService({ deps: recordDeps(), clouds: cloudsDeps(), machines: machinesFromEnv() });
export const handler = apiHandler('GET /connections/{name}', async (event, { requestId }) =>
  json(200, await service().getConnection(pathName(event)), requestId),
);
