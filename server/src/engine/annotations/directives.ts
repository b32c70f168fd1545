/**
 * kpath's own comment annotations, `kpath: <directive> ...` at the start of a comment line:
 *
 *   kpath: holds <lock>[ (<class>)][, ...]     locks held on entry and exit
 *   kpath: acquires <lock>[, ...]              taken and held at return
 *   kpath: releases <lock>[, ...]              held on entry, released
 *   kpath: atomic [<kind>]                     always runs in atomic context (default kind: preempt)
 *   kpath: may-sleep [<why>]                   a wrapper that may sleep
 *   kpath: never-sleeps                        overrides the body and the tables
 *   kpath: maps <SERIE|atomic|local|nowait> [released-by <fn>[, <fn>]] [key result|arg <n>]
 *   kpath: unmaps [<kind>[, <kind>]] [arg <n>]
 *   kpath: ignore <rule>[, <rule>]: <reason>    a suppression; the reason is required
 *
 * Parsing is separate from use: `parseDirectives` returns every directive of a comment with its
 * line, or a problem; function annotations and suppressions each take the ones they need.
 */
import { RULE_IDS, type RuleId } from '../finding';
import { ATOMIC_KINDS, LOCK_CLASSES, MAP_KINDS } from '../kernel/config';
import type { ApiIndex } from '../kernel/index';
import type { AtomicKind, LockClass, MapKind, MapSemantics, UnmapSemantics } from '../kernel/semantics';
import { commentLines } from './commentText';
import { normaliseLock } from './locks';

export type Directive =
  | { kind: 'holds' | 'acquires' | 'releases'; locks: { lock: string; class?: LockClass }[]; text: string }
  | { kind: 'atomic'; atomic: AtomicKind; text: string }
  | { kind: 'may-sleep'; why: string; text: string }
  | { kind: 'never-sleeps'; text: string }
  | { kind: 'maps'; map: MapSemantics; text: string }
  | { kind: 'unmaps'; unmap: UnmapSemantics; text: string }
  | { kind: 'ignore'; rules: RuleId[]; reason: string; text: string };

export const DIRECTIVE_NAMES = ['holds', 'acquires', 'releases', 'atomic', 'may-sleep', 'never-sleeps', 'maps', 'unmaps', 'ignore'] as const;

export interface ParsedDirective {
  /** Line (1-based, in the file) of the `kpath:` line; `firstLine` is the comment's first line. */
  line: number;
  directive?: Directive;
  /** Why the directive was not understood; it is then not honoured. */
  problem?: string;
}

const LOCK_EXPR = /^[A-Za-z_]\w*(?:(?:->|\.)[A-Za-z_]\w*|\[[^\]]*\])*$/;

export function parseDirectives(comment: string, firstLine: number, api: ApiIndex): ParsedDirective[] {
  const out: ParsedDirective[] = [];
  if (!comment.includes('kpath:')) return out;
  commentLines(comment).forEach((content, i) => {
    const m = /^kpath:\s*(.*)$/.exec(content);
    if (!m) return;
    const line = firstLine + i;
    const body = m[1]!.trim();
    const result = parseOne(body, api);
    out.push(typeof result === 'string' ? { line, problem: result } : { line, directive: result });
  });
  return out;
}

function parseOne(body: string, api: ApiIndex): Directive | string {
  const text = `kpath: ${body}`;
  const m = /^([A-Za-z-]+)\s*(.*)$/.exec(body);
  if (!m) return `expected an annotation after 'kpath:' (known: ${DIRECTIVE_NAMES.join(', ')})`;
  const name = m[1]!;
  const rest = m[2]!.trim();
  switch (name) {
    case 'holds':
    case 'acquires':
    case 'releases':
      return locksDirective(name, rest, text);
    case 'atomic': {
      if (rest === '') return { kind: 'atomic', atomic: 'preempt', text };
      if (!(ATOMIC_KINDS as readonly string[]).includes(rest)) {
        return `kpath: atomic: unknown atomic context "${rest}" (known: ${ATOMIC_KINDS.join(', ')})`;
      }
      return { kind: 'atomic', atomic: rest as AtomicKind, text };
    }
    case 'may-sleep':
      return { kind: 'may-sleep', why: rest === '' ? 'annotated kpath: may-sleep' : rest, text };
    case 'never-sleeps':
      if (rest !== '') return `kpath: never-sleeps takes nothing after it (found "${rest}")`;
      return { kind: 'never-sleeps', text };
    case 'maps':
      return mapsDirective(rest, text, api);
    case 'unmaps':
      return unmapsDirective(rest, text);
    case 'ignore':
      return ignoreDirective(rest, text);
    default:
      return `kpath: unknown annotation "${name}" (known: ${DIRECTIVE_NAMES.join(', ')})`;
  }
}

function locksDirective(kind: 'holds' | 'acquires' | 'releases', rest: string, text: string): Directive | string {
  if (rest === '') return `kpath: ${kind} needs a lock expression`;
  const locks: { lock: string; class?: LockClass }[] = [];
  for (const part of rest.split(',')) {
    const m = /^(.*?)\s*(?:\(\s*([\w]+)\s*\))?$/.exec(part.trim())!;
    const lock = normaliseLock(m[1]!);
    if (/\w\s+\w/.test(m[1]!) || !LOCK_EXPR.test(lock)) return `kpath: ${kind}: "${part.trim()}" is not a lock expression`;
    if (m[2] === undefined) {
      locks.push({ lock });
      continue;
    }
    if (!(LOCK_CLASSES as readonly string[]).includes(m[2])) {
      return `kpath: ${kind}: unknown lock class "${m[2]}" (known: ${LOCK_CLASSES.join(', ')})`;
    }
    locks.push({ lock, class: m[2] as LockClass });
  }
  return { kind, locks, text };
}

function mapsDirective(rest: string, text: string, api: ApiIndex): Directive | string {
  const m = /^(\S+)(?:\s+released-by\s+([\w\s,]+?))?(?:\s+key\s+(result|arg\s+\d+))?$/.exec(rest);
  if (!m) return 'kpath: maps: expected "kpath: maps <SERIE|atomic|local|nowait> [released-by <fn>] [key result|arg <n>]"';
  const what = m[1]!;
  const releasedBy = m[2] ? m[2].split(/[\s,]+/).filter((f) => f.length > 0) : [];
  const key: MapSemantics['key'] = m[3] && m[3] !== 'result' ? { arg: Number(m[3].replace(/^arg\s+/, '')) } : 'result';
  if (what === 'persistent' || what === 'none') return `kpath: maps: name the serie of a persistent map (known: ${api.api.serieOrder.join(', ')})`;
  if ((MAP_KINDS as readonly string[]).includes(what)) {
    return { kind: 'maps', map: { kind: what as MapKind, blocks: false, key, releasedBy }, text };
  }
  if (!api.api.serieOrder.includes(what)) {
    return `kpath: maps: unknown serie "${what}" (known: ${api.api.serieOrder.join(', ')}, or atomic, local, nowait)`;
  }
  return { kind: 'maps', map: { kind: 'persistent', serie: what, blocks: true, key, releasedBy }, text };
}

const UNMAP_KINDS: MapKind[] = ['persistent', 'atomic', 'local', 'nowait'];

function unmapsDirective(rest: string, text: string): Directive | string {
  const m = /^([\w\s,]*?)\s*(?:\barg\s+(\d+))?$/.exec(rest);
  if (!m) return 'kpath: unmaps: expected "kpath: unmaps [<kind>[, <kind>]] [arg <n>]"';
  const words = m[1]!.split(/[\s,]+/).filter((w) => w.length > 0);
  for (const w of words) {
    if (!(UNMAP_KINDS as string[]).includes(w)) return `kpath: unmaps: unknown map kind "${w}" (known: ${UNMAP_KINDS.join(', ')})`;
  }
  const kinds = words.length > 0 ? (words as MapKind[]) : [...UNMAP_KINDS];
  return { kind: 'unmaps', unmap: { kinds, keyArg: m[2] ? Number(m[2]) : 0 }, text };
}

function ignoreDirective(rest: string, text: string): Directive | string {
  const colon = rest.indexOf(':');
  const ruleText = (colon < 0 ? rest : rest.slice(0, colon)).trim();
  const reason = colon < 0 ? '' : rest.slice(colon + 1).trim();
  const rules = ruleText.split(/[\s,]+/).filter((r) => r.length > 0);
  if (rules.length === 0) return `kpath: ignore needs a rule id and a reason: "kpath: ignore <rule>: <reason>"; not honoured`;
  for (const r of rules) {
    if (!(RULE_IDS as readonly string[]).includes(r)) {
      return `kpath: ignore: unknown rule id "${r}" (known: ${RULE_IDS.join(', ')}); not honoured`;
    }
  }
  if (reason === '') return `kpath: ignore ${rules.join(', ')}: a suppression needs a reason after ':'; not honoured`;
  return { kind: 'ignore', rules: rules as RuleId[], reason, text };
}
