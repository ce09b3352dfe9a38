import type { TimelineStep } from '../src/plan/timeline';
import type { ConnectionView } from '../src/service/connections';
import { tgwAttachOf } from '../src/spec/schema';

// The status page (`serve` answers GET / with it; `vpn-bridge report <name> --html` writes it to a file): one HTML
// document with its CSS inline, no script, no build step. Per connection: the topology from VPC to VPC with each
// tunnel's role and state on both clouds, the drift rows, and the last operation as a timeline of steps on the
// clock with the critical path marked. It shows what the API shows: never a key.

export interface PageConnection {
  view: ConnectionView;
  timeline?: { steps: TimelineStep[]; seconds: number; planCriticalSeconds?: number; clock: 'simulated' | 'real' };
}

const esc = (v: unknown): string =>
  String(v ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const CSS = `
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1d2430;background:#f6f7f9}
h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:0}h3{font-size:14px;margin:18px 0 6px;color:#4a5566}
.muted{color:#6b7585}.conn{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:16px 18px;margin:16px 0}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;margin-left:8px;vertical-align:2px}
.ACTIVE,.UP,.clean{background:#dcf5e3;color:#17603a}.FAILED,.DOWN,.drift{background:#fde2e1;color:#8f1d1b}
.PROVISIONING,.DELETING{background:#fff1cc;color:#7a5200}.DELETED,.unused{background:#eceef1;color:#5d6672}
.topo{display:grid;grid-template-columns:1fr 1fr 2.4fr 1fr 1fr;gap:10px;align-items:stretch;margin-top:10px}
.box{border:1px solid #c9d1dc;border-radius:6px;padding:8px;background:#fafbfc;font-size:12px}
.box b{display:block;font-size:13px;margin-bottom:2px}.aws{border-top:3px solid #ff9900}.ali{border-top:3px solid #ff6a00}
.tun{display:grid;grid-template-columns:auto 1fr auto 1fr;gap:4px 8px;align-items:center;font-size:12px;margin:3px 0;padding:4px 6px;border-radius:4px;background:#f1f3f6}
.tun.unused{opacity:.6}.id{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:11.5px;word-break:break-all}
table{border-collapse:collapse;width:100%;font-size:12px}th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #e6e9ee;vertical-align:top}
th{color:#4a5566;font-weight:600}.tl{position:relative;height:18px;background:#f1f3f6;border-radius:3px}
.bar{position:absolute;top:3px;height:12px;border-radius:3px;background:#8aa4c8}.bar.critical{background:#d9480f}.bar.failed{background:#8f1d1b}
.crit{color:#d9480f;font-weight:600}.legend span{display:inline-block;width:12px;height:10px;border-radius:2px;margin:0 4px 0 12px;vertical-align:0}
`;

function badge(text: string, cls = text): string {
  return `<span class="badge ${esc(cls)}">${esc(text)}</span>`;
}

function topology(v: ConnectionView): string {
  const s = v.spec;
  if (!s) return '<p class="muted">no spec recorded</p>';
  const r = v.resources;
  const ips = v.gatewayIps;
  // through a transit gateway there is no VGW: the box shows the gateway and its route table
  const tgw = tgwAttachOf(s);
  const tunnels = v.tunnels.length
    ? v.tunnels
        .map((t) => {
          const aws = t.role === 'unused' ? 'unused' : t.aws.status;
          const ali = t.alibaba?.status ?? (t.role === 'unused' ? 'unused' : '-');
          const state = (x: string) => (/^UP$|established/i.test(x) ? 'UP' : x === 'unused' ? 'unused' : 'DOWN');
          return `<div class="tun ${t.role === 'unused' ? 'unused' : ''}" data-tunnel="${esc(t.id)}" data-role="${esc(t.role)}">
  <span>${badge(aws, state(aws))}</span><span><b>${esc(t.id)}</b> ${esc(t.role)}<br><span class="id">${esc(t.aws.vpnConnectionId ?? '')} ${esc(t.aws.outsideIp ?? '')}</span></span>
  <span>${badge(ali, state(ali))}</span><span>${t.alibaba ? `${esc(t.alibaba.role)}<br><span class="id">${esc(t.alibaba.tunnelId ?? t.alibaba.vpnConnectionId ?? '')}</span>` : '<span class="muted">not configured</span>'}</span>
</div>`;
        })
        .join('\n')
    : '<p class="muted">no live tunnels</p>';
  return `<div class="topo">
<div class="box aws"><b>AWS VPC</b><span class="id">${esc(s.aws.vpcId)}</span><br>${esc(s.aws.cidr)}<br>${esc(s.aws.region)}</div>
<div class="box aws" data-attach="${tgw ? 'transit-gateway' : 'vpn-gateway'}">${
    tgw
      ? `<b>Transit gateway</b><span class="id">${esc(tgw.transitGateway)}</span><br>route table <span class="id">${esc(tgw.routeTableId)}</span>`
      : `<b>VPN gateway</b><span class="id">${esc(r.aws.vpnGatewayId ?? '-')}</span>`
  }<br>${Object.values(r.aws.vpnConnections)
    .map((x) => `<span class="id">${esc(x)}</span>`)
    .join('<br>')}</div>
<div class="box"><b>Tunnels <span class="muted">(AWS state | Alibaba state)</span></b>${tunnels}</div>
<div class="box ali"><b>Alibaba VPN gateway</b><span class="id">${esc(r.alibaba.vpnGatewayId ?? '-')}</span><br>${esc(ips?.InternetIp ?? '')}${ips?.DisasterRecoveryInternetIp ? `<br>${esc(ips.DisasterRecoveryInternetIp)} (disaster recovery)` : ''}</div>
<div class="box ali"><b>Alibaba VPC</b><span class="id">${esc(s.alibaba.vpcId)}</span><br>${esc(s.alibaba.cidr)}<br>${esc(s.alibaba.region)}</div>
</div>`;
}

function drift(v: ConnectionView): string {
  const d = v.lastDrift;
  if (!d) return '<h3>Drift</h3><p class="muted">not checked yet</p>';
  if (d.clean) return `<h3>Drift ${badge('clean')}</h3><p class="muted">checked ${esc(d.at)}</p>`;
  const rows = d.rows
    .map(
      (x) =>
        `<tr class="drift-row"><td>${esc(x.cloud)}</td><td class="id">${esc(x.resource)}</td><td>${esc(x.attribute)}</td><td>${esc(x.expected)}</td><td>${esc(x.actual)}</td><td>${esc(x.kind)}</td><td>${esc(x.severity)}</td></tr>`,
    )
    .join('\n');
  return `<h3>Drift ${badge(`${d.rows.length} finding(s)`, 'drift')}</h3><p class="muted">since ${esc(d.at)}</p>
<table><tr><th>cloud</th><th>resource</th><th>attribute</th><th>expected</th><th>actual</th><th>kind</th><th>severity</th></tr>${rows}</table>`;
}

function timeline(c: PageConnection): string {
  const op = c.view.operation;
  if (!op) return '<h3>Last operation</h3><p class="muted">none</p>';
  const head = `<h3>Last operation: ${esc(op.kind)} ${op.result ? badge(op.result, op.result === 'SUCCEEDED' ? 'ACTIVE' : 'FAILED') : badge('running', 'PROVISIONING')}</h3>
<p class="muted">started ${esc(op.startedAt)}${op.finishedAt ? `, finished ${esc(op.finishedAt)}` : ''}${op.executionName ? ` · execution <span class="id">${esc(op.executionName)}</span>` : ''}</p>`;
  const t = c.timeline;
  if (!t || t.steps.length === 0) return `${head}<p class="muted">no step history available</p>`;
  const total = Math.max(t.seconds, 1);
  const critical = t.steps.filter((s) => s.critical);
  const rows = t.steps
    .map((s) => {
      const left = (s.start / total) * 100;
      const width = Math.max(((s.finish - s.start) / total) * 100, 0.4);
      const cls = `${s.critical ? 'critical' : ''} ${s.failed ? 'failed' : ''}`.trim();
      return `<tr class="step${s.critical ? ' on-critical-path' : ''}" data-state="${esc(s.state)}"><td>${s.critical ? '<span class="crit">&#9679;</span> ' : ''}${esc(s.state)}</td><td>${Math.round(s.start)}s</td><td>${Math.round(s.finish - s.start)}s</td><td style="width:55%"><div class="tl"><div class="bar ${cls}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%"></div></div></td></tr>`;
    })
    .join('\n');
  const plan =
    t.planCriticalSeconds !== undefined ? `; the plan's critical path: ${Math.round(t.planCriticalSeconds)}s` : '';
  return `${head}<p>${Math.round(t.seconds)}s on the ${t.clock} clock; critical path: <span class="crit">${critical.length} steps</span>${plan}
<span class="legend"><span style="background:#d9480f"></span>critical path<span style="background:#8aa4c8"></span>other steps<span style="background:#8f1d1b"></span>failed</span></p>
<table class="timeline"><tr><th>step</th><th>start</th><th>took</th><th>on the clock</th></tr>${rows}</table>`;
}

export function renderStatusPage(p: { title: string; source: string; connections: PageConnection[] }): string {
  const body = p.connections.length
    ? p.connections
        .map((c) => {
          const v = c.view;
          return `<section class="conn" data-connection="${esc(v.name)}">
<h2>${esc(v.name)}${badge(v.status)}${v.topology ? ` <span class="muted">${esc(v.topology)}</span>` : ''}</h2>
${v.statusReason ? `<p class="muted">${esc(v.statusReason)}</p>` : ''}
${topology(v)}
${drift(v)}
${timeline(c)}
</section>`;
        })
        .join('\n')
    : '<p class="muted">no connections</p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(p.title)}</title><meta name="viewport" content="width=device-width,initial-scale=1"><style>${CSS}</style></head>
<body><h1>${esc(p.title)}</h1><p class="muted">from ${esc(p.source)} · ${esc(new Date().toISOString())}</p>
${body}
</body></html>
`;
}
