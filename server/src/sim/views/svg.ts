/**
 * The trace as an SVG timeline: one lane per task coloured by what it is doing (running, spinning,
 * blocked, sleeping, ready, done, failed), a marker for each of its steps labelled with the source
 * line, and below the lanes the pool occupancy of each serie over time. Self-contained: no script,
 * no remote resource. Colours are CSS variables with fallbacks, so a VS Code webview can theme it
 * (`--kpath-sim-running: var(--vscode-charts-green)`), or passed in explicitly.
 */
import type { TaskStatus, Trace } from '../trace';
import { headline, machine } from './text';

export type SvgColors = Record<TaskStatus | 'text' | 'grid' | 'pool' | 'background', string>;

const FALLBACK: SvgColors = {
  running: '#2e7d32',
  spinning: '#e65100',
  blocked: '#c62828',
  sleeping: '#6a1b9a',
  ready: '#b0bec5',
  done: '#eceff1',
  failed: '#000000',
  text: '#212121',
  grid: '#cfd8dc',
  pool: '#1565c0',
  background: '#ffffff',
};

export interface SvgOptions {
  /** Explicit colours; those absent are `var(--kpath-sim-<name>, <fallback>)`. */
  colors?: Partial<SvgColors>;
  /** Lanes drawn at most (the others are summarised in a note). */
  maxLanes?: number;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function renderSvg(trace: Trace, options: SvgOptions = {}): string {
  const color = (k: keyof SvgColors) => options.colors?.[k] ?? `var(--kpath-sim-${k}, ${FALLBACK[k]})`;
  const maxLanes = options.maxLanes ?? 16;
  const lanes = trace.lanes.slice(0, maxLanes);
  const n = Math.max(trace.steps.length, 1);
  const dx = Math.max(2, Math.min(36, Math.floor(900 / n)));
  const labelled = dx >= 14;
  const left = 120;
  const top = 58 + (labelled ? 70 : 0);
  const laneH = 20;
  const poolH = 50;
  const lanesBottom = top + lanes.length * laneH;
  const poolTop = lanesBottom + 34;
  const width = Math.max(left + n * dx + 40, 720);
  const height = poolTop + trace.series.length * (poolH + 24) + 50;
  const x = (step: number) => left + step * dx;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="11" role="img" aria-label="${escapeXml(headline(trace))}">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="${color('background')}"/>`);
  out.push(`<text x="8" y="18" font-size="13" font-weight="bold" fill="${color('text')}">${escapeXml(headline(trace))}</text>`);
  out.push(`<text x="8" y="36" fill="${color('text')}">${escapeXml(`${trace.finding.rule} at ${trace.finding.file}:${trace.finding.line}: ${machine(trace)}`)}</text>`);

  // Source lines above the steps, rotated, when there is room.
  if (labelled)
    trace.steps.forEach((s, i) => {
      const cx = x(i) + dx / 2;
      out.push(`<text x="${cx}" y="${top - 6}" transform="rotate(-60 ${cx} ${top - 6})" fill="${color('text')}">${escapeXml(`${s.file}:${s.line}`)}</text>`);
    });

  lanes.forEach((lane, row) => {
    const y = top + row * laneH;
    out.push(`<text x="8" y="${y + 14}" fill="${color('text')}">${escapeXml(`T${lane.task} ${lane.program}`)}</text>`);
    lane.changes.forEach(([from, status], i) => {
      const to = i + 1 < lane.changes.length ? lane.changes[i + 1][0] : n;
      if (to <= from) return;
      out.push(`<rect x="${x(from)}" y="${y + 3}" width="${(to - from) * dx}" height="${laneH - 6}" fill="${color(status)}"><title>T${lane.task}: ${status}</title></rect>`);
    });
  });
  // A marker per step on the acting task's lane.
  trace.steps.forEach((s, i) => {
    const row = lanes.findIndex((l) => l.task === s.task);
    if (row < 0) return;
    const cy = top + row * laneH + laneH / 2;
    out.push(
      `<circle cx="${x(i) + dx / 2}" cy="${cy}" r="${Math.min(4, dx / 2)}" fill="${color('text')}" stroke="${color('background')}"><title>${escapeXml(`${s.step}. T${s.task}${s.cpu !== null ? ` CPU${s.cpu}` : ''}: ${s.event} (${s.file}:${s.line})`)}</title></circle>`,
    );
  });
  if (trace.lanes.length > lanes.length)
    out.push(`<text x="8" y="${lanesBottom + 14}" fill="${color('text')}">… ${trace.lanes.length - lanes.length} more task lanes not drawn</text>`);

  // Pool occupancy per serie: a step line of slots in use, the pool size as the top grid line.
  trace.series.forEach((serie, k) => {
    const y0 = poolTop + k * (poolH + 24);
    const yOf = (used: number) => y0 + poolH - (used / Math.max(trace.pool, 1)) * poolH;
    out.push(`<text x="8" y="${y0 + 12}" fill="${color('text')}">${escapeXml(serie)}</text>`);
    out.push(`<text x="8" y="${y0 + 26}" fill="${color('text')}">${trace.pool} slot${trace.pool === 1 ? '' : 's'}</text>`);
    out.push(`<line x1="${left}" y1="${y0}" x2="${x(n)}" y2="${y0}" stroke="${color('grid')}" stroke-dasharray="3 3"/>`);
    out.push(`<line x1="${left}" y1="${y0 + poolH}" x2="${x(n)}" y2="${y0 + poolH}" stroke="${color('grid')}"/>`);
    let used = 0;
    const pts: string[] = [`${x(0)},${yOf(0)}`];
    trace.steps.forEach((s, i) => {
      const now = s.state.pools[serie] ?? 0;
      if (now !== used) {
        pts.push(`${x(i)},${yOf(used)}`, `${x(i)},${yOf(now)}`);
        used = now;
      }
    });
    pts.push(`${x(n)},${yOf(used)}`);
    out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${color('pool')}" stroke-width="2"><title>${escapeXml(`${serie}: slots in use`)}</title></polyline>`);
  });

  // Legend.
  const ly = height - 18;
  (['running', 'spinning', 'blocked', 'sleeping', 'ready', 'done', 'failed'] as const).forEach((st, i) => {
    const lx = 8 + i * 96;
    out.push(`<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${color(st)}" stroke="${color('grid')}"/>`);
    out.push(`<text x="${lx + 16}" y="${ly}" fill="${color('text')}">${st}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
