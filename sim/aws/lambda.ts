import type { Service, ServiceRequest, ServiceResponse, SimContext } from '../core/context';
import { SimError } from '../core/errors';

// Lambda's Invoke (REST-JSON, `POST /2015-03-31/functions/{FunctionName}/invocations`), the one Lambda call the
// product makes: the Slack endpoint hands a chat command to the worker function with InvocationType=Event
// (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html). The simulator does not run code: whoever starts
// it injects an invoker (like the Step Functions runner) that knows the functions. Event: 202 at once and the
// function runs after the answer; RequestResponse: 200 with the function's result, or its error with the
// X-Amz-Function-Error header; DryRun: 204. Errors carry their code in x-amzn-ErrorType.

export interface LambdaInvoker {
  /** does this function (name or ARN) exist? */
  has(functionName: string): boolean;
  invoke(functionName: string, payload: unknown): Promise<unknown>;
}

const PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

/** the function name of an Invoke request path, or undefined for any other path */
export function invokePath(pathname: string): string | undefined {
  const m = PATH.exec(pathname);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

function nameOf(functionName: string): string {
  // a full ARN `arn:aws:lambda:region:acct:function:name[:qualifier]`, or the name
  const parts = functionName.split(':');
  return parts.length >= 7 ? (parts[6] ?? functionName) : functionName;
}

export function functionArn(ctx: SimContext, region: string, functionName: string): string {
  return functionName.startsWith('arn:')
    ? functionName
    : `arn:aws:lambda:${region}:${ctx.state.aws.accountId}:function:${functionName}`;
}

function errorResponse(err: SimError): ServiceResponse {
  return {
    status: err.status,
    body: JSON.stringify({ Type: err.status >= 500 ? 'Service' : 'User', message: err.message }),
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code },
  };
}

export const lambdaService: Service = {
  name: 'lambda',
  async handle(ctx: SimContext, req: ServiceRequest): Promise<ServiceResponse> {
    if (req.action !== 'Invoke') throw new SimError('UnknownOperationException', `${req.action} is not supported`, 400);
    const fn = req.params.FunctionName ?? '';
    const invoker = ctx.lambdaInvoker;
    if (!invoker?.has(nameOf(fn)))
      throw new SimError('ResourceNotFoundException', `Function not found: ${functionArn(ctx, req.region, fn)}`, 404);
    const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    if (type === 'DryRun') return { status: 204, body: '' };
    if (type === 'Event') {
      // queued: the function runs after the answer; its failure is the function's (logged), not the caller's
      setImmediate(() => {
        invoker
          .invoke(nameOf(fn), req.json)
          .catch((e: unknown) => ctx.log?.(`[sim] lambda ${fn} failed: ${String(e)}`));
      });
      return { status: 202, body: '' };
    }
    if (type !== 'RequestResponse')
      throw new SimError('InvalidParameterValueException', `InvocationType ${type} is not valid`, 400);
    try {
      const out = await invoker.invoke(nameOf(fn), req.json);
      return {
        status: 200,
        body: out === undefined ? 'null' : JSON.stringify(out),
        headers: { 'content-type': 'application/json' },
      };
    } catch (e) {
      const err = e as { name?: string; message?: string };
      return {
        status: 200,
        body: JSON.stringify({ errorType: err.name ?? 'Error', errorMessage: err.message ?? String(e) }),
        headers: { 'content-type': 'application/json', 'x-amz-function-error': 'Unhandled' },
      };
    }
  },
  renderError: errorResponse,
  throttle: () => new SimError('TooManyRequestsException', 'Rate Exceeded.', 429),
  serverError: () => new SimError('ServiceException', 'The Lambda service encountered an internal error.', 500),
};
