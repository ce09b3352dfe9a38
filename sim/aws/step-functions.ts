import type { Service } from '../core/context';
import { SimError } from '../core/errors';

// PLACEHOLDER: replaced by the real implementation.
export const stepFunctionsService: Service = {
  name: 'stepfunctions',
  handle: (_ctx, req) => {
    throw new SimError('NotImplemented', `${req.action} is not simulated yet`, 501);
  },
  renderError: (err) => ({ status: err.status, body: JSON.stringify({ Code: err.code, Message: err.message }) }),
  throttle: () => new SimError('Throttling', 'Rate exceeded', 400),
  serverError: () => new SimError('InternalError', 'internal error', 500),
};
