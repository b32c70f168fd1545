import { describe, expect, it } from 'vitest';
import { sanitizeSvg, simulationHtml } from '../../client/src/simulationHtml';
import type { SimulateResult } from '../../server/src/shared/protocol';

const result: SimulateResult = {
  finding: {
    uri: 'file:///ws/mm.c',
    id: 'x',
    rule: 'kmap-serie-reentry',
    severity: 'warning',
    message: 'second PAGETABLE kmap while one is pinned <here>',
    function: 'move_one_page',
    range: { start: { line: 22, character: 7 }, end: { line: 22, character: 30 } },
    pathLength: 2,
  },
  verdict: 'deadlock',
  trace: {
    tasks: 2,
    cpus: 2,
    pool: 2,
    preempt: false,
    steps: [
      { step: 1, task: 0, cpu: 0, event: 'kmap PAGETABLE', file: '/ws/mm.c', line: 22 },
      { step: 2, task: 1, cpu: 1, event: 'kmap PAGETABLE', file: '/ws/mm.c', line: 22 },
    ],
    stats: { states: 9, ms: 1 },
  },
  svg: '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><style>.lane{}</style><script>alert(1)</script><rect onclick="x()" data-step="0"/></svg>',
  text: 'Possible deadlock: <2 tasks>',
};
const res = { cspSource: 'vscode-webview://abc', nonce: 'N0nce', scriptUri: 'vscode-webview://abc/media/simulation.js', styleUri: 'vscode-webview://abc/media/simulation.css' };

describe('simulation view HTML', () => {
  const html = simulationHtml(result, res, (uri) => uri.replace('file:///ws/', ''));

  it('has a strict content security policy: nonce for scripts, nothing remote', () => {
    expect(html).toContain(
      `content="default-src 'none'; img-src vscode-webview://abc data:; style-src vscode-webview://abc 'nonce-N0nce'; script-src 'nonce-N0nce'; font-src vscode-webview://abc"`,
    );
    expect(html).toContain('<script nonce="N0nce" src="vscode-webview://abc/media/simulation.js"></script>');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('shows the verdict, the finding and the parameters, escaped', () => {
    expect(html).toContain('Verdict: <span id="verdict">deadlock</span>');
    expect(html).toContain('second PAGETABLE kmap while one is pinned &#60;here&#62;');
    expect(html).toContain('in move_one_page(), mm.c:23');
    expect(html).toContain('2 tasks · 2 CPUs · pool of 2 · no preemption · 9 states explored in 1 ms');
    expect(html).toContain('<pre>Possible deadlock: &#60;2 tasks&#62;</pre>');
  });

  it('lists one selectable row per step with its source line', () => {
    expect(html).toContain(
      '<li class="step has-source" data-step="1" tabindex="-1"><span class="step-no">2</span><span class="step-who">T1 on CPU1</span><span class="step-where">mm.c:22</span><span class="step-event">kmap PAGETABLE</span></li>',
    );
  });

  it('inlines the SVG without scripts or handlers, its style carrying the nonce', () => {
    expect(sanitizeSvg(result.svg, 'N0nce')).toBe(
      '<svg xmlns="http://www.w3.org/2000/svg"><style nonce="N0nce">.lane{}</style><rect data-step="0"/></svg>',
    );
    expect(sanitizeSvg('<svg><image href="https://x/y.png"/><use href="#a"/></svg>', 'n')).toBe('<svg><image/><use href="#a"/></svg>');
    expect(sanitizeSvg('not an svg', 'n')).toBe('');
  });
});

describe('simulation view HTML for searches and ordering violations', () => {
  const label = (uri: string) => uri;
  it('says what a --min-tasks search found', () => {
    const trace = { ...(result.trace as object), minTasks: { bound: 8, smallest: 2, tried: [{ tasks: 1, verdict: 'safe' }, { tasks: 2, verdict: 'deadlock' }] } };
    expect(simulationHtml({ ...result, trace }, res, label)).toContain(
      '<p class="search">Smallest number of tasks that fails: 2 (tried 1: safe, 2: deadlock).</p>',
    );
    const none = { ...(result.trace as object), minTasks: { bound: 8, tried: [{ tasks: 8, verdict: 'safe' }] } };
    expect(simulationHtml({ ...result, trace: none }, res, label)).toContain('<p class="search">No number of tasks up to 8 fails (tried 8: safe).</p>');
  });

  it('says where the counterpart path of an ordering violation came from', () => {
    const found = { ...(result.trace as object), counterpart: { source: 'engine', outer: 'DEFAULT', inner: 'PAGETABLE', file: '/ws/mm/filemap.c', line: 120 } };
    expect(simulationHtml({ ...result, trace: found }, res, label)).toContain(
      '<p class="search">The other task takes DEFAULT first, then PAGETABLE, as the path to filemap.c:120 does.</p>',
    );
    const mirrored = { ...(result.trace as object), counterpart: { source: 'mirrored', outer: 'DEFAULT', inner: 'PAGETABLE', file: '/ws/mm.c', line: 5 } };
    expect(simulationHtml({ ...result, trace: mirrored }, res, label)).toContain(
      '<p class="search">The other task runs the flagged path mirrored (DEFAULT first, then PAGETABLE): no path taking the series in that order was found in the analysed files.</p>',
    );
  });
});
