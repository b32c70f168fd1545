import { test } from 'vitest';
import { readFileSync } from 'node:fs';
import { lower } from './helpers';
import { renderCfg } from './render';
test('x', async () => {
  const ir = await lower(readFileSync(process.env.SRC!, 'utf8'));
  for (const f of ir.functions) console.log(`== ${f.name}\n${renderCfg(f)}`);
  if (process.env.META) console.log(JSON.stringify({ ...ir, functions: ir.functions.map((f) => ({ ...f, blocks: undefined })) }, null, 1));
});
