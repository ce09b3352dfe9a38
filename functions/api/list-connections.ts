import { apiHandler, json } from '../../src/api/http';
import { getConnectionService } from '../lib/deps';

// GET /connections: every managed connection (not torn down), one summary each.
export const handler = apiHandler('GET /connections', async (_event, { requestId }) =>
  json(200, { connections: await getConnectionService().listConnections() }, requestId),
);
