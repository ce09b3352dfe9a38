import { apiHandler, json, jsonBody } from '../../src/api/http';
import { getConnectionService } from '../lib/deps';

// POST /connections: a connection spec (JSON) -> 202 + the provisioning execution; 400 with field errors.
export const handler = apiHandler('POST /connections', async (event, { requestId }) => {
  const submitted = await getConnectionService().submitProvision(jsonBody(event));
  return json(202, submitted, requestId, { location: `/connections/${submitted.name}` });
});
