/**
 * `npm run bench:lower`: parse vs lower time on the kernel's mm/ (Debian's linux-source-6.1, or a
 * directory of .c files given as argument). Two rounds over every file; the second (warm JIT) is
 * reported, as CPU time of this process so that other load on the machine disturbs it less.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lowerFile } from '../../server/src/engine/lower';
import { createCParser } from '../../server/src/engine/syntax/parser';
import { readGrammarBinaries } from '../../server/src/host/grammars';

const TARBALL = '/usr/src/linux-source-6.1.tar.xz';

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

async function main(): Promise<void> {
  let dir = process.argv[2];
  let temp: string | undefined;
  if (!dir) {
    if (!existsSync(TARBALL)) throw new Error(`give a directory of .c files, or install linux-source-6.1 (${TARBALL})`);
    temp = mkdtempSync(join(tmpdir(), 'kpath-bench-lower-'));
    execFileSync('tar', ['-xJf', TARBALL, '-C', temp, '--wildcards', 'linux-source-6.1/mm/*.c']);
    dir = join(temp, 'linux-source-6.1', 'mm');
  }
  try {
    const parser = await createCParser(readGrammarBinaries(join(__dirname, '..', '..', 'server', 'src', 'host')));
    const files = readdirSync(dir).filter((f) => f.endsWith('.c')).sort();
    const sources = files.map((f) => readFileSync(join(dir!, f), 'utf8'));
    let parse = 0;
    let lower = 0;
    let functions = 0;
    const perFile: { file: string; parse: number; lower: number }[] = [];
    for (let round = 0; round < 2; round++) {
      parse = lower = functions = 0;
      perFile.length = 0;
      sources.forEach((src, i) => {
        let t = process.cpuUsage();
        const tree = parser.parse(src);
        const p = cpuMs(t);
        t = process.cpuUsage();
        functions += lowerFile(tree, files[i]).functions.length;
        const l = cpuMs(t);
        tree.delete();
        parse += p;
        lower += l;
        perFile.push({ file: files[i], parse: p, lower: l });
      });
    }
    const lines = sources.reduce((n, s) => n + s.split('\n').length, 0);
    console.log(`${files.length} files, ${lines} lines, ${functions} functions (CPU ms, second round)`);
    console.log(`  parse ${parse.toFixed(0)}   lower ${lower.toFixed(0)}   lower/parse ${(lower / parse).toFixed(2)}`);
    const big = perFile.find((f) => f.file === 'memory.c');
    if (big) console.log(`  memory.c: parse ${big.parse.toFixed(1)}   lower ${big.lower.toFixed(1)}`);
    perFile.sort((a, b) => b.lower - a.lower);
    console.log('  slowest to lower: ' + perFile.slice(0, 5).map((f) => `${f.file} ${f.lower.toFixed(1)}`).join(', '));
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
