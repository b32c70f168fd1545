/**
 * The trace as one self-contained HTML page (no script, no remote resource): the SVG timeline, the
 * lockdep-style text and the steps as a table with the full state, ready to attach to a mail.
 */
import type { Trace } from '../trace';
import { escapeXml, renderSvg } from './svg';
import { headline, renderText } from './text';

const STYLE = `
:root { --kpath-sim-running: #2e7d32; --kpath-sim-spinning: #e65100; --kpath-sim-blocked: #c62828;
  --kpath-sim-sleeping: #6a1b9a; --kpath-sim-ready: #b0bec5; --kpath-sim-done: #eceff1; --kpath-sim-failed: #000;
  --kpath-sim-text: #212121; --kpath-sim-grid: #cfd8dc; --kpath-sim-pool: #1565c0; --kpath-sim-background: #fff; }
body { font-family: sans-serif; margin: 1.5em; color: #212121; }
pre { background: #f5f5f5; padding: 1em; overflow-x: auto; }
.timeline { overflow-x: auto; }
table { border-collapse: collapse; font-family: monospace; font-size: 12px; }
td, th { border: 1px solid #cfd8dc; padding: 2px 6px; text-align: left; vertical-align: top; }
`;

export function renderHtml(trace: Trace): string {
  const rows = trace.steps
    .map((s) => {
      const pools = Object.entries(s.state.pools).map(([k, v]) => `${k} ${v}/${trace.pool}`).join(', ');
      const locks = Object.entries(s.state.locks).map(([k, v]) => `${k}: T${v}`).join(', ');
      return `<tr><td>${s.step}</td><td>T${s.task}</td><td>${s.cpu === null ? '' : `CPU${s.cpu}`}</td><td>${escapeXml(s.event)}</td><td>${escapeXml(`${s.file}:${s.line}`)}</td><td>${s.state.task}</td><td>${escapeXml(pools)}</td><td>${escapeXml(locks)}</td></tr>`;
    })
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(`kpath simulate: ${trace.verdict}: ${trace.finding.file}:${trace.finding.line}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeXml(headline(trace))}</h1>
<div class="timeline">
${renderSvg(trace)}</div>
<h2>Scenario</h2>
<pre>${escapeXml(renderText(trace))}</pre>
<h2>Steps</h2>
<table>
<tr><th>step</th><th>task</th><th>cpu</th><th>event</th><th>source</th><th>task status</th><th>pools in use</th><th>locks held</th></tr>
${rows}
</table>
</body>
</html>
`;
}
