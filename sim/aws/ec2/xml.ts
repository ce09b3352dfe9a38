import type { ServiceResponse } from '../../core/context';
import type { SimError } from '../../core/errors';

// EC2 Query response XML (docs/sources.md#aws-aws). Element order follows object key order; every text value is
// escaped. `items([...])` renders a list as `<item>` children (an empty list as `<name/>`), `undefined`
// leaves the element out.

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const CONTENT_TYPE = 'text/xml;charset=UTF-8';

export type XmlValue = string | number | boolean | undefined | XmlObject | XmlItems;
export interface XmlObject {
  [name: string]: XmlValue;
}
export class XmlItems {
  constructor(readonly values: readonly XmlValue[]) {}
}

export const items = (values: readonly XmlValue[]): XmlItems => new XmlItems(values);

// characters XML 1.0 cannot carry at all
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escapeXml(s: string): string {
  return s
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function element(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (value instanceof XmlItems) {
    if (value.values.length === 0) return `<${name}/>`;
    return `<${name}>${value.values.map((v) => element('item', v)).join('')}</${name}>`;
  }
  if (typeof value === 'object') {
    return `<${name}>${Object.entries(value)
      .map(([k, v]) => element(k, v))
      .join('')}</${name}>`;
  }
  const text = escapeXml(String(value));
  return text === '' ? `<${name}/>` : `<${name}>${text}</${name}>`;
}

export function ec2Response(action: string, requestId: string, body: XmlObject): ServiceResponse {
  const inner =
    element('requestId', requestId) +
    Object.entries(body)
      .map(([k, v]) => element(k, v))
      .join('');
  return {
    status: 200,
    headers: { 'content-type': CONTENT_TYPE },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_XMLNS}">${inner}</${action}Response>`,
  };
}

export function ec2ErrorResponse(err: SimError, requestId: string): ServiceResponse {
  const error = element('Error', { Code: err.code, Message: err.message });
  return {
    status: err.status,
    headers: { 'content-type': CONTENT_TYPE },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors>${error}</Errors>${element('RequestID', requestId)}</Response>`,
  };
}

/** ISO-8601 with milliseconds, as EC2 prints timestamps */
export const isoTime = (epochMs: number): string => new Date(epochMs).toISOString();
