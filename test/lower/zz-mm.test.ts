import { test } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { getParser } from './helpers';
import { lowerFile } from '../../server/src/engine/lower';
test('mm', async () => {
  const p = await getParser();
  const dir = '/tmp/lw/linux-source-6.1/mm/';
  let parseMs = 0, lowerMs = 0, fns = 0, defs = 0;
  const bad: string[] = [];
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.c')).sort()) {
    const src = readFileSync(dir + f, 'utf8');
    let t0 = performance.now();
    const tree = p.parse(src);
    parseMs += performance.now() - t0;
    const nDefs = tree.rootNode.descendantsOfType('function_definition').filter((d) => !(d!.namedChildren.some((c) => c!.type === 'parenthesized_declarator') && !d!.namedChildren.some((c) => c!.type === 'function_declarator' || c!.type === 'pointer_declarator') && (() => { for (let u = d!.parent; u; u = u.parent) { if (u.type === 'compound_statement') return true; } return false; })())).length;
    t0 = performance.now();
    let ir;
    try { ir = lowerFile(tree, f); } catch (e) { bad.push(f + ': ' + (e as Error).stack); tree.delete(); continue; }
    const dt = performance.now() - t0;
    lowerMs += dt;
    if (f === 'memory.c') console.log('memory.c lower', dt.toFixed(1));
    const n = ir.functions.filter((x) => true).length;
    fns += n; defs += nDefs;
    if (n < nDefs) bad.push(`${f}: ${n} < ${nDefs}`);
    tree.delete();
  }
  console.log({ parseMs, lowerMs, fns, defs });
  console.log(bad.join('\n'));
});
