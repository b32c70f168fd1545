/**
 * A strict JSON parser that says where it failed ("line 3, column 5: expected ',' or '}'") in the
 * same words on every Node version, so `.kpath.json` problems read the same in the CLI, the editor
 * and the tests. Values are what JSON.parse returns; duplicate keys are reported, the last one wins.
 */

export class JsonSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly problem: string,
  ) {
    super(`line ${line}, column ${column}: ${problem}`);
  }
}

export interface ParsedJson {
  value: unknown;
  /** Keys given twice in one object, as key paths (`rules.kmap-leak`). */
  duplicateKeys: string[];
}

export function parseJson(text: string): ParsedJson {
  let pos = 0;
  const duplicateKeys: string[] = [];

  const fail = (problem: string, at = pos): never => {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < text.length; i++) {
      if (text[i] === '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    throw new JsonSyntaxError(line, at - lineStart + 1, problem);
  };
  const describe = (): string => (pos >= text.length ? 'end of file' : `'${text[pos]}'`);
  const skipSpace = () => {
    while (pos < text.length && ' \t\n\r'.includes(text[pos]!)) pos++;
  };
  const expect = (ch: string, what: string) => {
    skipSpace();
    if (text[pos] !== ch) fail(`expected ${what}, found ${describe()}`);
    pos++;
  };

  const parseString = (): string => {
    const start = pos;
    pos++; // opening quote
    let out = '';
    while (pos < text.length) {
      const ch = text[pos]!;
      if (ch === '"') {
        pos++;
        return out;
      }
      if (ch === '\\') {
        const esc = text[pos + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (esc !== undefined && esc in simple) {
          out += simple[esc];
          pos += 2;
        } else if (esc === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6))) {
          out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
          pos += 6;
        } else {
          fail('invalid escape in string');
        }
        continue;
      }
      if (ch < ' ') fail('control character in string');
      out += ch;
      pos++;
    }
    return fail('unterminated string', start);
  };

  const parseValue = (path: string): unknown => {
    skipSpace();
    const ch = text[pos];
    if (ch === '{') {
      pos++;
      const obj: Record<string, unknown> = {};
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return obj;
      }
      for (;;) {
        skipSpace();
        if (text[pos] !== '"') fail(`expected a double-quoted key, found ${describe()}`);
        const key = parseString();
        const keyPath = path ? `${path}.${key}` : key;
        if (Object.prototype.hasOwnProperty.call(obj, key)) duplicateKeys.push(keyPath);
        expect(':', "':'");
        obj[key] = parseValue(keyPath);
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return obj;
        }
        fail(`expected ',' or '}', found ${describe()}`);
      }
    }
    if (ch === '[') {
      pos++;
      const arr: unknown[] = [];
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return arr;
      }
      for (;;) {
        arr.push(parseValue(`${path}[${arr.length}]`));
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return arr;
        }
        fail(`expected ',' or ']', found ${describe()}`);
      }
    }
    if (ch === '"') return parseString();
    const lit = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(pos, pos + 64));
    if (lit) {
      pos += lit[0].length;
      return JSON.parse(lit[0]);
    }
    return fail(`expected a value, found ${describe()}`);
  };

  const value = parseValue('');
  skipSpace();
  if (pos < text.length) fail(`unexpected ${describe()} after the value`);
  return { value, duplicateKeys };
}
