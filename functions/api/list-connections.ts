import { apiHandler, json } from '../../src/api/http';
import { ConnectionService, machinesFromEnv } from '../../src/service/connections';
import { recordDeps } from '../lib/clients/registry';

// GET /connections: every managed connection (not torn down), one summary each.
const service = () => new ConnectionService({ deps: recordDeps(), machines: machinesFromEnv() });
export const handler = apiHandler('GET /connections', async (_event, { requestId }) =>
  json(200, { connections: await service().listConnections() }, requestId),
);
