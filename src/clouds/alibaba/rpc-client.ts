import { type AccessKey, acsDate, canonicalQuery, flatten, nonce, percentEncode, sign } from './acs3';

// The Alibaba VPC API (2016-04-28), RPC style, the way the official SDK sends it: POST, parameters in the query
// string (nested objects and lists flattened to `Tags.1.Key`), TunnelOptionsSpecification in an
// x-www-form-urlencoded body, V3 signature (ACS3-HMAC-SHA256, acs3.ts), JSON answers. Written here rather than
// taken from @alicloud/openapi-core, the SDK's runtime: that runtime brings lodash, moment, xmlbuilder, ws and
// more into every Alibaba function (0.6 MB, ~130 ms of cold-start import) for one signing routine and one POST.
// test/unit/alibaba-rpc-client.test.ts pins the signature to the runtime's; the simulator's own tests drive the
// full SDK, so both paths are exercised on the wire. Errors carry what the runtime's errors carry (`code`,
// `statusCode`, `data` with RequestId and Message), so errors.ts maps both alike.

export interface AlibabaRpc {
  /**
   * `params` become the query string (nested objects/arrays flatten to `Tags.1.Key`); `bodyParams` go in an
   * x-www-form-urlencoded body (the SDK sends TunnelOptionsSpecification that way). Returns the JSON body
   * with its keys camel-cased like the SDK's models (`VpnGateways.VpnGateway` -> `vpnGateways.vpnGateway`).
   */
  call(
    action: string,
    params: Record<string, unknown>,
    bodyParams?: Record<string, unknown>,
  ): Promise<Record<string, unknown>>;
}

/** the SDK's fixed endpoints for some regions (copied from @alicloud/vpc20160428 7.3.2's client); others are regional */
const ENDPOINT_MAP: Record<string, string> = {
  'cn-hangzhou': 'vpc.aliyuncs.com',
  'cn-shanghai-finance-1': 'vpc.aliyuncs.com',
  'cn-shenzhen-finance-1': 'vpc.aliyuncs.com',
  'cn-north-2-gov-1': 'vpc.aliyuncs.com',
  'ap-northeast-2-pop': 'vpc.aliyuncs.com',
  'cn-beijing-finance-pop': 'vpc.aliyuncs.com',
  'cn-beijing-gov-1': 'vpc.aliyuncs.com',
  'cn-beijing-nu16-b01': 'vpc.aliyuncs.com',
  'cn-edge-1': 'vpc-nebula.cn-qingdao-nebula.aliyuncs.com',
  'cn-fujian': 'vpc.aliyuncs.com',
  'cn-haidian-cm12-c01': 'vpc.aliyuncs.com',
  'cn-hangzhou-bj-b01': 'vpc.aliyuncs.com',
  'cn-hangzhou-finance': 'vpc.aliyuncs.com',
  'cn-hangzhou-internal-prod-1': 'vpc.aliyuncs.com',
  'cn-hangzhou-internal-test-1': 'vpc-pre.cn-hangzhou.aliyuncs.com',
  'cn-hangzhou-internal-test-2': 'vpc-inner-pre.cn-hangzhou.aliyuncs.com',
  'cn-hangzhou-internal-test-3': 'vpc-pre.cn-hangzhou.aliyuncs.com',
  'cn-hangzhou-test-306': 'vpc-pre.cn-hangzhou.aliyuncs.com',
  'cn-hongkong-finance-pop': 'vpc.aliyuncs.com',
  'cn-huhehaote-nebula-1': 'vpc-nebula.cn-qingdao-nebula.aliyuncs.com',
  'cn-qingdao-nebula': 'vpc-nebula.cn-qingdao-nebula.aliyuncs.com',
  'cn-shanghai-et15-b01': 'vpc-pre.cn-hangzhou.aliyuncs.com',
  'cn-shanghai-et2-b01': 'vpc.aliyuncs.com',
  'cn-shanghai-inner': 'vpc.aliyuncs.com',
  'cn-shanghai-internal-test-1': 'vpc-pre.cn-hangzhou.aliyuncs.com',
  'cn-shenzhen-inner': 'vpc.aliyuncs.com',
  'cn-shenzhen-st4-d01': 'vpc.aliyuncs.com',
  'cn-shenzhen-su18-b01': 'vpc.aliyuncs.com',
  'cn-wuhan': 'vpc.aliyuncs.com',
  'cn-yushanfang': 'vpc.aliyuncs.com',
  'cn-zhangbei': 'vpc.aliyuncs.com',
  'cn-zhangbei-na61-b01': 'vpc.aliyuncs.com',
  'cn-zhangjiakou-na62-a01': 'vpc.cn-zhangjiakou.aliyuncs.com',
  'cn-zhengzhou-nebula-1': 'vpc-nebula.cn-qingdao-nebula.aliyuncs.com',
  'eu-west-1-oxs': 'vpc-nebula.cn-shenzhen-cloudstone.aliyuncs.com',
  'rus-west-1-pop': 'vpc.aliyuncs.com',
};

function camel(key: string): string {
  return key.length > 0 ? key[0]?.toLowerCase() + key.slice(1) : key;
}

export function camelize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelize);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [camel(k), camelize(v)]),
    );
  return value;
}

/** drop undefined values (the SDK never sends absent parameters) */
function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** an error answer of the API (or a transport failure), shaped like the SDK runtime's errors */
export class AlibabaApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly statusCode?: number,
    readonly data?: { RequestId?: string; Message?: string; [k: string]: unknown },
  ) {
    super(message);
    this.name = 'AlibabaApiError';
  }
}

export interface RpcOptions {
  /** the API version (the VPC API: 2016-04-28; STS: 2015-04-01) */
  version: string;
  /** the product's endpoint host for the region, when `endpoint` is not given */
  defaultEndpoint: string;
  regionId: string;
  /** the AccessKey to sign with, asked for on every call (a RAM role's session changes over time) */
  credentials: () => Promise<AccessKey>;
  /** host[:port]; default: the region's public endpoint, as the SDK resolves it */
  endpoint?: string;
  protocol?: 'http' | 'https';
  /** per request (default 30 s) */
  timeoutMs?: number;
}

/** the SDK's VPC endpoint for a region: a fixed one for some regions, else `vpc.<region>.aliyuncs.com` */
export function vpcEndpoint(regionId: string): string {
  return ENDPOINT_MAP[regionId] ?? `vpc.${regionId}.aliyuncs.com`;
}

/** an RPC-style Alibaba Cloud API */
export class RpcClient implements AlibabaRpc {
  private readonly host: string;
  private readonly protocol: string;

  constructor(private readonly o: RpcOptions) {
    this.host = o.endpoint || o.defaultEndpoint;
    this.protocol = o.protocol ?? 'https';
  }

  async call(
    action: string,
    params: Record<string, unknown>,
    bodyParams?: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const query = flatten(defined(params));
    const body = bodyParams
      ? Object.entries(flatten(defined(bodyParams)))
          .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
          .join('&')
      : '';
    const headers: Record<string, string> = {
      host: this.host,
      'x-acs-action': action,
      'x-acs-version': this.o.version,
      'x-acs-date': acsDate(new Date()),
      'x-acs-signature-nonce': nonce(),
      accept: 'application/json',
      ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    };
    Object.assign(
      headers,
      sign({ method: 'POST', host: this.host, pathname: '/', query, headers, body, key: await this.o.credentials() }),
    );
    const qs = canonicalQuery(query);
    let res: Response;
    try {
      res = await fetch(`${this.protocol}://${this.host}/${qs ? `?${qs}` : ''}`, {
        method: 'POST',
        headers,
        body: body || undefined,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 30_000),
      });
    } catch (e) {
      // undici: TypeError('fetch failed') whose cause has the system error code (or an AggregateError of them)
      const cause = (e as { cause?: { code?: string; errors?: Array<{ code?: string }> } }).cause;
      const code =
        (e as Error).name === 'TimeoutError'
          ? 'ReadTimeout'
          : (cause?.code ?? cause?.errors?.[0]?.code ?? 'NetworkError');
      throw new AlibabaApiError(code, `${action}: ${(e as Error).message}`);
    }
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      if (res.ok) throw new AlibabaApiError('InvalidResponse', `${action}: the answer is not JSON`, res.status);
    }
    if (!res.ok) {
      const code = String(json.Code ?? json.code ?? `Http${res.status}`);
      const message = String(json.Message ?? json.message ?? text.slice(0, 200));
      throw new AlibabaApiError(
        code,
        `code: ${res.status}, ${message} request id: ${String(json.RequestId ?? '')}`,
        res.status,
        {
          ...json,
          RequestId: json.RequestId === undefined ? undefined : String(json.RequestId),
          Message: message,
        },
      );
    }
    return (camelize(json) ?? {}) as Record<string, unknown>;
  }
}

/** the VPC API (2016-04-28) of a region */
export function vpcRpcClient(o: Omit<RpcOptions, 'version' | 'defaultEndpoint'>): RpcClient {
  return new RpcClient({ ...o, version: '2016-04-28', defaultEndpoint: vpcEndpoint(o.regionId) });
}
