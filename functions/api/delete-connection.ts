import { apiHandler, json, pathName } from '../../src/api/http';
import { getConnectionService } from '../lib/deps';

// DELETE /connections/{name}: start the teardown -> 202; 404 unknown or already torn down; 409 busy.
export const handler = apiHandler('DELETE /connections/{name}', async (event, { requestId }) =>
  json(202, await getConnectionService().submitTeardown(pathName(event)), requestId),
);
