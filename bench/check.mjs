// `npm run bench`: kpath check vs a parse-only pass on the kernel's mm/ (see bench/check-run.ts).
import { buildAndRun } from './kernel-bundle.mjs';
await buildAndRun('bench/check-run.ts');
