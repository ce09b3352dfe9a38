import { describeError, isVpnBridgeError, SpecInvalid } from '../errors';
import { redactText } from '../log';
import {
  type ConnectionSummary,
  type ConnectionView,
  type DriftAllSubmission,
  driftLines,
  type Submission,
} from '../service/connections';
import type { TunnelView } from '../service/tunnels';
import { alibabaCidrsOf, awsCidrsOf, tgwAttachOf } from '../spec/schema';
import { type ChatCommand, USAGE } from './commands';

// Chat replies as Slack mrkdwn text. Every reply passes through `finish()`: Slack's three control characters
// are escaped and every registered secret value is masked, so no PSK can leave through chat.

export type ResponseType = 'ephemeral' | 'in_channel';

export interface ChatReply {
  responseType: ResponseType;
  text: string;
}

/** Slack's escaping for message text (https://api.slack.com/reference/surfaces/formatting#escaping) */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function finish(responseType: ResponseType, lines: string[]): ChatReply {
  return { responseType, text: redactText(lines.join('\n')) };
}

/** the canonical words after `/vpn` of a command (never the raw text the user typed) */
export function commandArgs(c: ChatCommand): string {
  switch (c.verb) {
    case 'help':
    case 'list':
      return c.verb;
    case 'drift':
      return c.name ? `drift ${c.name}` : 'drift';
    case 'down':
    case 'rotate':
      return c.confirmed ? `${c.verb} ${c.name} confirm ${c.name}` : `${c.verb} ${c.name}`;
    default:
      return `${c.verb} ${c.name}`;
  }
}

/** the canonical text of a command */
export function commandText(c: ChatCommand): string {
  return `/vpn ${commandArgs(c)}`;
}

export function renderHelp(): ChatReply {
  return finish('ephemeral', ['*vpn-bridge commands*', ...USAGE.map((u) => `• ${u}`)]);
}

export function renderAck(c: ChatCommand): ChatReply {
  return finish('ephemeral', [`Working on \`${commandText(c)}\`...`]);
}

export function renderInvalid(error: string): ChatReply {
  // `error` comes from the parser, which quotes user text inertly itself
  return { responseType: 'ephemeral', text: redactText(`${error}\nTry \`/vpn help\`.`) };
}

export function renderDownConfirmation(name: string): ChatReply {
  return finish('ephemeral', [
    `:warning: \`/vpn down ${name}\` deletes both clouds' VPN gateways, customer gateways, IPsec connections and routes of *${escapeMrkdwn(name)}*.`,
    `Nothing was done. To go ahead, type \`/vpn down ${name} confirm ${name}\`.`,
  ]);
}

export function renderRotateConfirmation(name: string): ChatReply {
  return finish('ephemeral', [
    `:key: \`/vpn rotate ${name}\` gives the used tunnels of *${escapeMrkdwn(name)}* new pre-shared keys on both clouds, one tunnel at a time (the other stays UP).`,
    `Nothing was done. To go ahead, type \`/vpn rotate ${name} confirm ${name}\`.`,
  ]);
}

export function renderList(items: ConnectionSummary[]): ChatReply {
  if (items.length === 0) return finish('ephemeral', ['No managed connections.']);
  return finish('ephemeral', [
    `*${items.length} connection${items.length === 1 ? '' : 's'}*`,
    ...items.map((c) => {
      const drift = c.lastDrift ? (c.lastDrift.clean ? ', no drift' : `, ${c.lastDrift.findings} drift findings`) : '';
      const where = c.awsRegion && c.alibabaRegion ? ` ${c.awsRegion} <-> ${c.alibabaRegion}` : '';
      return escapeMrkdwn(`• ${c.name}: ${c.status}${c.topology ? ` (${c.topology})` : ''}${where}${drift}`);
    }),
  ]);
}

function tunnelLine(t: TunnelView): string {
  if (t.role === 'unused') return `• ${t.id} unused (AWS ${t.aws.status}; DOWN is expected)`;
  const ali = t.alibaba ? `, Alibaba ${t.alibaba.status}` : '';
  const why = !t.up && t.reason ? `: ${t.reason}` : '';
  return `• ${t.id} ${t.role}: ${t.up ? 'UP' : 'DOWN'} (AWS ${t.aws.status}${ali})${why}`;
}

export function renderStatus(v: ConnectionView): ChatReply {
  const head = `*${escapeMrkdwn(v.name)}*: ${escapeMrkdwn(
    `${v.status}${v.topology ? ` (${v.topology})` : ''}${v.statusReason ? ` - ${v.statusReason}` : ''}`,
  )}`;
  const lines: string[] = [];
  if (v.spec)
    lines.push(
      `AWS ${v.spec.aws.region} ${awsCidrsOf(v.spec).join(', ')} <-> Alibaba ${v.spec.alibaba.region} ${alibabaCidrsOf(v.spec).join(', ')}`,
    );
  const vgw = v.resources.aws.vpnGatewayId;
  const tgw = v.spec ? tgwAttachOf(v.spec) : undefined;
  if (tgw)
    // the transit gateway and its route table are the user's: vpn-bridge adds and removes only its own routes there
    lines.push(
      `AWS attach: transit gateway ${tgw.transitGateway}, route table ${tgw.routeTableId}${tgw.vpcRoutes ? ' (VPC routes toward it)' : ''}`,
    );
  else if (vgw) {
    // a shared VGW carries several connections; an adopted one is the user's and is never deleted by vpn-bridge
    const origin = v.resources.aws.vpnGatewayOrigin === 'adopted' ? 'adopted: never deleted by vpn-bridge' : 'created';
    lines.push(`AWS attach: VPN gateway ${vgw} (${origin})`);
  }
  if (v.operation)
    lines.push(
      `last operation: ${v.operation.kind}${v.operation.result ? ` ${v.operation.result}` : ' running'} (started ${v.operation.startedAt})`,
    );
  if (v.tunnels.length > 0) {
    const used = v.tunnels.filter((t) => t.role !== 'unused');
    lines.push(`tunnels: ${used.filter((t) => t.up).length} of ${used.length} used tunnels UP`);
    lines.push(...v.tunnels.map(tunnelLine));
  } else if (v.tunnelsError) lines.push(`live tunnel status unavailable: ${v.tunnelsError}`);
  else if (v.status !== 'DELETED') lines.push('no tunnels yet');
  if (v.lastDrift)
    lines.push(
      v.lastDrift.clean
        ? `last drift check ${v.lastDrift.at}: clean`
        : `last drift check ${v.lastDrift.at}: ${v.lastDrift.rows.length} findings`,
      ...(v.lastDrift.clean ? [] : driftLines(v.lastDrift.rows, 5).map((l) => `  ${l}`)),
    );
  return finish('ephemeral', [head, ...lines.map(escapeMrkdwn)]);
}

const DOING: Record<string, string> = {
  provision: 'started provisioning of',
  teardown: 'started the teardown of',
  drift: 'started a drift check of',
  rotate: 'started a key rotation (one tunnel at a time, no downtime) of',
};

export function renderSubmission(s: Submission, userId?: string): ChatReply {
  const who = userId && /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}> ` : '';
  const again = s.duplicate ? ' (already running: same execution)' : '';
  return finish('in_channel', [
    `${who}${DOING[s.operation] ?? s.operation} *${escapeMrkdwn(s.name)}*${again}`,
    `execution \`${escapeMrkdwn(s.executionName)}\`; the result is posted when it finishes`,
  ]);
}

export function renderDriftAll(s: DriftAllSubmission, userId?: string): ChatReply {
  const who = userId && /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}> ` : '';
  return finish('in_channel', [
    `${who}started a drift check of every managed connection${s.duplicate ? ' (already running: same execution)' : ''}`,
    `execution \`${escapeMrkdwn(s.executionName)}\`; the result is posted when it finishes`,
  ]);
}

/** an error as a chat reply: our errors say what to do; anything else only its kind */
export function renderError(e: unknown): ChatReply {
  if (e instanceof SpecInvalid)
    return finish('ephemeral', [
      'The stored spec is not valid:',
      ...e.issues.map((i) => escapeMrkdwn(`• ${i.path}: ${i.message}`)),
    ]);
  if (
    isVpnBridgeError(e) &&
    ['RecordMissing', 'OperationInProgress', 'NotConfigured', 'PreflightFailed'].includes(e.name)
  )
    return finish('ephemeral', [escapeMrkdwn(e.message)]);
  return finish('ephemeral', [`Something went wrong (${escapeMrkdwn(describeError(e).name)}); see the logs.`]);
}

/** `up` / `down` by someone who is allow-listed but not an admin (ephemeral: only they see it) */
export function renderNotAdmin(verb: string): ChatReply {
  return {
    responseType: 'ephemeral',
    text: `\`/vpn ${verb}\` changes a connection and needs an admin; nothing was done. Ask an admin, or ask whoever runs vpn-bridge to add you to SLACK_ADMIN_USER_IDS.`,
  };
}
