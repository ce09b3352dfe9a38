import { ApiError } from './http';

/** the optional body of POST /connections/{name}/drift: `{ "repair": boolean }` */
export function parseDriftRequest(body: unknown): { repair: boolean } {
  if (body === undefined || body === null) return { repair: false };
  if (typeof body !== 'object' || Array.isArray(body))
    throw new ApiError(400, 'BadRequest', 'the body must be a JSON object', [
      { path: '(body)', message: 'must be an object like {"repair": false}' },
    ]);
  const fields = Object.entries(body as Record<string, unknown>).flatMap(([k, v]) => {
    if (k !== 'repair') return [{ path: k, message: `unknown field '${k}' (expected: repair)` }];
    if (typeof v !== 'boolean') return [{ path: 'repair', message: 'must be true or false' }];
    return [];
  });
  if (fields.length > 0) throw new ApiError(400, 'BadRequest', 'invalid drift request', fields);
  return { repair: (body as { repair?: boolean }).repair === true };
}
