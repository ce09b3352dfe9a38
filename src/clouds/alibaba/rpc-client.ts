import OpenApi, { $OpenApiUtil, OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';

// The Alibaba VPC API (2016-04-28) through @alicloud/openapi-core, the official runtime that
// @alicloud/vpc20160428 itself is generated on. The generated SDK carries ~400 request/response model
// classes (2.8 MB minified, ~0.4 s to import on a cold Lambda) to make the twenty-odd calls vpn-bridge
// needs; this client makes the same requests the SDK makes (RPC style, POST, query string + form body,
// ACS3-HMAC-SHA256 signing, the same endpoint resolution and errors) without the models. The simulator's
// own tests drive the full SDK, so both paths are exercised on the wire.

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

export class VpcRpcClient extends OpenApi implements AlibabaRpc {
  constructor(config: $OpenApiUtil.Config) {
    super(config);
    this._endpointRule = 'regional';
    this.checkConfig(config);
    if (!this._endpoint) {
      this._endpoint =
        ENDPOINT_MAP[this._regionId] ??
        OpenApiUtil.getEndpointRules('vpc', this._regionId, this._endpointRule, this._network, this._suffix);
    }
  }

  async call(
    action: string,
    params: Record<string, unknown>,
    bodyParams?: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    const req = new $OpenApiUtil.OpenApiRequest({
      query: OpenApiUtil.query(defined(params)),
      body: bodyParams ? OpenApiUtil.parseToMap(OpenApiUtil.query(defined(bodyParams))) : undefined,
    });
    const p = new $OpenApiUtil.Params({
      action,
      version: '2016-04-28',
      protocol: 'HTTPS',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const r = (await this.callApi(p, req, new $dara.RuntimeOptions({}))) as { body?: unknown };
    return (camelize(r.body ?? {}) ?? {}) as Record<string, unknown>;
  }
}
