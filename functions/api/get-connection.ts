import { apiHandler, json, pathName } from '../../src/api/http';
import { getConnectionService } from '../lib/deps';

// GET /connections/{name}: the record (no keys) plus live per-tunnel status with roles.
export const handler = apiHandler('GET /connections/{name}', async (event, { requestId }) =>
  json(200, await getConnectionService().getConnection(pathName(event)), requestId),
);
