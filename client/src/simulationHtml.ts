/**
 * The simulation view's HTML, built from a `SimulateResult`. Free of the vscode API: the panel
 * passes in the webview's CSP source, a fresh nonce and the URIs of the two media files.
 *
 * Security: everything from the server is escaped text, except the SVG timeline, which is inlined
 * after removing what could run or load anything (scripts, event handlers, foreignObject, external
 * references). The CSP allows only our nonce'd script and styles, and nothing remote.
 */
import type { SimulateResult } from '../../server/src/shared/protocol';
import { readTrace, type TraceSummary } from './trace';
import { plural } from './format';

export interface ViewResources {
  cspSource: string;
  nonce: string;
  scriptUri: string;
  styleUri: string;
}

const VERDICTS: Record<string, string> = {
  deadlock: 'no task can run and not all have finished',
  lockup: 'every CPU spins on a lock whose holder cannot run',
  'sleep-in-atomic': 'a task is scheduled out while holding a spinlock or an atomic kmap ("scheduling while atomic")',
  safe: 'every interleaving was explored and none fails',
  bounded: 'the exploration budget ran out before a verdict',
};

export function simulationHtml(result: SimulateResult, res: ViewResources, fileLabel: (uri: string) => string): string {
  const trace = readTrace(result.trace);
  const f = result.finding;
  const csp = [
    "default-src 'none'",
    `img-src ${res.cspSource} data:`,
    `style-src ${res.cspSource} 'nonce-${res.nonce}'`,
    `script-src 'nonce-${res.nonce}'`,
    `font-src ${res.cspSource}`,
  ].join('; ');
  const verdictClass = /^[a-z-]+$/.test(result.verdict) ? result.verdict : 'unknown';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(res.styleUri)}" nonce="${res.nonce}">
<title>kpath simulation</title>
</head>
<body data-render="${escapeHtml(res.nonce)}">
<header>
<h1 class="verdict verdict-${verdictClass}">Verdict: <span id="verdict">${escapeHtml(result.verdict)}</span></h1>
<p class="verdict-meaning">${escapeHtml(VERDICTS[result.verdict] ?? '')}</p>
<p class="finding"><code>${escapeHtml(f.rule)}</code> ${escapeHtml(f.message)}
<span class="where">in ${escapeHtml(f.function)}(), ${escapeHtml(fileLabel(f.uri))}:${f.range.start.line + 1}</span></p>
<p class="parameters">${escapeHtml(parametersLine(trace))}</p>
${searchLines(trace)}
</header>
<section class="timeline" aria-label="Timeline">${sanitizeSvg(result.svg, res.nonce)}</section>
<nav class="stepper" aria-label="Steps">
<button id="prev" title="Previous step (Up / k)">&#9664; Previous</button>
<span id="position" aria-live="polite"></span>
<button id="next" title="Next step (Down / j)">Next &#9654;</button>
</nav>
${stepsList(trace)}
<details class="as-text"><summary>As text</summary><pre>${escapeHtml(result.text)}</pre></details>
<script nonce="${res.nonce}" src="${escapeHtml(res.scriptUri)}"></script>
</body>
</html>`;
}

function parametersLine(t: TraceSummary): string {
  const parts: string[] = [];
  if (t.tasks !== undefined) parts.push(plural(t.tasks, 'task'));
  if (t.cpus !== undefined) parts.push(plural(t.cpus, 'CPU'));
  if (t.pool !== undefined) parts.push(`pool of ${t.pool}`);
  if (t.preempt !== undefined) parts.push(t.preempt ? 'preemptible' : 'no preemption');
  if (t.states !== undefined) parts.push(`${plural(t.states, 'state')} explored${t.ms !== undefined ? ` in ${t.ms} ms` : ''}`);
  return parts.join(' · ');
}

/** What a --min-tasks search found, and where an ordering violation's counterpart path came from. */
function searchLines(t: TraceSummary): string {
  const lines: string[] = [];
  if (t.minTasks) {
    const tried = t.minTasks.tried.map((r) => `${r.tasks}: ${r.verdict}`).join(', ');
    lines.push(
      t.minTasks.smallest !== undefined
        ? `Smallest number of tasks that fails: ${t.minTasks.smallest} (tried ${tried}).`
        : `No number of tasks up to ${t.minTasks.bound} fails (tried ${tried}).`,
    );
  }
  if (t.counterpart) {
    const c = t.counterpart;
    lines.push(
      c.source === 'engine'
        ? `The other task takes ${c.outer} first, then ${c.inner}, as the path to ${basename(c.file)}:${c.line} does.`
        : `The other task runs the flagged path mirrored (${c.outer} first, then ${c.inner}): no path taking the series in that order was found in the analysed files.`,
    );
  }
  return lines.map((l) => `<p class="search">${escapeHtml(l)}</p>`).join('\n');
}

function stepsList(t: TraceSummary): string {
  if (t.steps.length === 0) return '<p class="no-steps">The trace has no steps.</p>';
  const rows = t.steps.map((s) => {
    const where = s.file !== undefined && s.line !== undefined ? `${basename(s.file)}:${s.line}` : '';
    // T0 on CPU1, as the simulator's text and SVG name them.
    const who = [s.task && numbered('T', s.task), s.cpu && numbered('CPU', s.cpu)].filter(Boolean).join(' on ');
    return `<li class="step${where ? ' has-source' : ''}" data-step="${s.index}" tabindex="-1">` +
      `<span class="step-no">${s.index + 1}</span>` +
      `<span class="step-who">${escapeHtml(who)}</span>` +
      `<span class="step-where">${escapeHtml(where)}</span>` +
      `<span class="step-event">${escapeHtml(s.event)}</span>` +
      (s.state ? `<span class="step-state">${escapeHtml(s.state)}</span>` : '') +
      '</li>';
  });
  return `<ol id="steps" role="listbox" aria-label="Trace steps">\n${rows.join('\n')}\n</ol>`;
}

/** Keeps an SVG's drawing and drops anything that can execute or fetch; gives its <style> our nonce. */
export function sanitizeSvg(svg: string, nonce: string): string {
  const start = svg.indexOf('<svg');
  if (start < 0) return '';
  return svg
    .slice(start)
    .replace(/<script[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<foreignObject[\s\S]*?<\/foreignObject\s*>/gi, '')
    .replace(/\son[a-z]+\s*=\s*("[^"]*"|'[^']*')/gi, '')
    .replace(/\s(?:xlink:)?href\s*=\s*("(?!#)[^"]*"|'(?!#)[^']*')/gi, '')
    .replace(/<style(?=[\s>])/gi, `<style nonce="${nonce}"`);
}

function numbered(prefix: string, id: string): string {
  return /^\d+$/.test(id) ? `${prefix}${id}` : id;
}

function basename(file: string): string {
  return file.slice(file.replace(/\\/g, '/').lastIndexOf('/') + 1);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
