import { parseDriftRequest } from '../../src/api/drift-request';
import { apiHandler, json, jsonBody, pathName } from '../../src/api/http';
import { getConnectionService } from '../lib/deps';

// POST /connections/{name}/drift (optional body {"repair": boolean}) -> 202 + the drift-check execution.
export const handler = apiHandler('POST /connections/{name}/drift', async (event, { requestId }) => {
  const name = pathName(event);
  const { repair } = parseDriftRequest(jsonBody(event, { optional: true }));
  return json(202, await getConnectionService().submitDrift(name, { repair }), requestId);
});
