// Checks the packaged .vsix against the .vscodeignore allow-list: what must ship is there and nothing
// else is. Reads the zip's central directory itself (no unzip on a bare machine).
import { readFileSync } from 'node:fs';

/** Entry names of a zip file, from its central directory. */
export function zipEntries(path) {
  const zip = readFileSync(path);
  // End of central directory record: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 65_557); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${path} is not a zip file`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const names = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${path}: bad central directory entry ${n}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    names.push(zip.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

const REQUIRED = [
  'extension/package.json',
  'extension/LICENSE.txt',
  'extension/readme.md',
  'extension/dist/client.js',
  'extension/dist/server.js',
  'extension/dist/worker.js',
  'extension/grammars/tree-sitter.wasm',
  'extension/grammars/tree-sitter-c.wasm',
  'extension/media/icon.png',
  'extension/media/simulation.js',
  'extension/media/simulation.css',
  'extension/schemas/kpath.schema.json',
  'extension/docs/rules/sleep-in-atomic.md',
];
const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/(package\.json|LICENSE\.txt|readme\.md)$/,
  /^extension\/dist\/[^/]+\.js$/,
  /^extension\/grammars\/[^/]+\.wasm$/,
  /^extension\/(media|schemas|docs\/rules)\//,
];

/** Throws unless the vsix holds every required file and only allowed ones; returns the entry names. */
export function checkVsix(path) {
  const names = zipEntries(path);
  const missing = REQUIRED.filter((r) => !names.includes(r));
  const extra = names.filter((n) => !ALLOWED.some((a) => a.test(n)));
  if (missing.length || extra.length) {
    throw new Error(`${path}: missing ${JSON.stringify(missing)}, not allowed ${JSON.stringify(extra)}`);
  }
  return names;
}
