/**
 * A JSON Schema (draft-07) checker for the subset schemas/kpath.schema.json uses, so that the
 * schema can be tested without a dependency. It answers only "valid or not"; an unsupported
 * keyword throws, so the schema cannot quietly grow past what this checks.
 */
type Schema = Record<string, unknown>;

const SUPPORTED = new Set([
  '$schema', '$id', 'title', 'description', 'definitions', '$ref', 'type', 'properties', 'additionalProperties',
  'required', 'enum', 'const', 'items', 'oneOf', 'anyOf', 'not', 'if', 'then', 'else', 'minimum', 'maximum',
  'minLength', 'minItems', 'pattern', 'propertyNames', 'uniqueItems', 'dependencies',
]);

export function validates(root: Schema, value: unknown): boolean {
  const check = (s: Schema, v: unknown): boolean => {
    for (const k of Object.keys(s)) if (!SUPPORTED.has(k)) throw new Error(`schema keyword not supported by the test walker: ${k}`);
    if (typeof s.$ref === 'string') {
      const name = s.$ref.replace('#/definitions/', '');
      return check((root.definitions as Record<string, Schema>)[name]!, v);
    }
    if (s.type !== undefined && !hasType(v, s.type as string)) return false;
    if (s.enum !== undefined && !(s.enum as unknown[]).some((e) => e === v)) return false;
    if ('const' in s && s.const !== v) return false;
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && v < s.minimum) return false;
      if (typeof s.maximum === 'number' && v > s.maximum) return false;
    }
    if (typeof v === 'string') {
      if (typeof s.minLength === 'number' && v.length < s.minLength) return false;
      if (typeof s.pattern === 'string' && !new RegExp(s.pattern).test(v)) return false;
    }
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems) return false;
      if (s.items !== undefined && !v.every((x) => check(s.items as Schema, x))) return false;
      if (s.uniqueItems === true && new Set(v.map((x) => JSON.stringify(x))).size !== v.length) return false;
    }
    if (isObject(v)) {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const r of (s.required ?? []) as string[]) if (!(r in v)) return false;
      for (const [k, x] of Object.entries(v)) {
        if (s.propertyNames !== undefined && !check(s.propertyNames as Schema, k)) return false;
        if (k in props) {
          if (!check(props[k]!, x)) return false;
        } else if (s.additionalProperties === false) return false;
        else if (isObject(s.additionalProperties) && !check(s.additionalProperties, x)) return false;
      }
      for (const [k, deps] of Object.entries((s.dependencies ?? {}) as Record<string, string[]>)) {
        if (k in v && !deps.every((d) => d in v)) return false;
      }
    }
    if (s.oneOf !== undefined && (s.oneOf as Schema[]).filter((x) => check(x, v)).length !== 1) return false;
    if (s.anyOf !== undefined && !(s.anyOf as Schema[]).some((x) => check(x, v))) return false;
    if (s.not !== undefined && check(s.not as Schema, v)) return false;
    if (s.if !== undefined) {
      const branch = check(s.if as Schema, v) ? s.then : s.else;
      if (branch !== undefined && !check(branch as Schema, v)) return false;
    }
    return true;
  };
  return check(root, value);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function hasType(v: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return isObject(v);
    case 'array':
      return Array.isArray(v);
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    default:
      throw new Error(`type not supported by the test walker: ${type}`);
  }
}
