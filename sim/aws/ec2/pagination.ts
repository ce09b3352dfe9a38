import { SimError } from '../../core/errors';
import { bad } from './errors';
import type { Params } from './params';

// MaxResults / NextToken for the paginated Describe calls (DescribeVpcs, DescribeRouteTables, DescribeTags).
// The token is opaque to clients: base64url of {action, offset}.

export interface Page<T> {
  page: T[];
  nextToken?: string;
}

// EC2 documents InvalidPaginationToken ("The specified pagination token is not valid or is expired") for a
// token it cannot use; chosen over the moto-only InvalidNextToken.
const invalidToken = (token: string): SimError =>
  new SimError('InvalidPaginationToken', `The pagination token '${token}' is not valid or is expired.`, 400);

function decode(token: string, action: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalidToken(token);
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalidToken(token);
  const o = parsed as Record<string, unknown>;
  if (o.a !== action || typeof o.o !== 'number' || !Number.isInteger(o.o) || o.o < 0) throw invalidToken(token);
  return o.o;
}

const encode = (action: string, offset: number): string =>
  Buffer.from(JSON.stringify({ a: action, o: offset }), 'utf8').toString('base64url');

export function paginate<T>(all: T[], p: Params, action: string, min = 5, max = 1000): Page<T> {
  const maxResults = p.int('MaxResults');
  if (maxResults !== undefined && (maxResults < min || maxResults > max))
    throw bad(
      `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between ${min} and ${max}.`,
    );
  const token = p.str('NextToken');
  const offset = token ? decode(token, action) : 0;
  const size = maxResults ?? Number.POSITIVE_INFINITY;
  const page = all.slice(offset, offset + size);
  const next = offset + page.length;
  return next < all.length ? { page, nextToken: encode(action, next) } : { page };
}
