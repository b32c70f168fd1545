// `npm run bench:kernel`: kpath on the whole Linux 6.1 tree (see bench/kernel-run.ts).
import { buildAndRun } from './kernel-bundle.mjs';
await buildAndRun('bench/kernel-run.ts');
