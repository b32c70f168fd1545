/**
 * The kernel's own comment idioms for a function's entry context: "Called with X held",
 * "X is held on entry and exit", "Caller must hold X", "must be called with X held",
 * "Called with X locked", "called under X". Only what clearly names a lock expression is taken:
 * `mm->page_table_lock`, `&foo->lock`, `tasklist_lock`, "the page_table_lock" (field-only);
 * "called with interrupts disabled", "with the page locked", "with the lock held" name no lock.
 */
import type { ApiIndex } from '../kernel/index';
import type { LockClass } from '../kernel/semantics';
import { commentProse } from './commentText';
import { lockRefFor, normaliseLock } from './locks';
import type { LockAnnotation } from './types';

/** Words after a lock name that say its class ("the zone->lock spinlock held"). */
const CLASS_NOUNS: [RegExp, LockClass | undefined][] = [
  [/^spin ?lock$/i, 'spin'],
  [/^rwlock$/i, 'rwlock'],
  [/^mutex$/i, 'mutex'],
  [/^(?:rw)?sem(?:aphore)?$/i, 'rwsem'],
  [/^lock$/i, undefined],
];

/** Words that are not a lock's name on their own ("with the lock held" says which lock? none). */
const GENERIC = /^(?:locks?|spin_?locks?|mutex(?:es)?|semaphores?|sems?|rwsems?|rwlocks?|seqlocks?)$/i;
const LOCKISH_NAME = /(?:lock|mutex|mtx|sem|ptl)$/;
const LVALUE = /^[A-Za-z_]\w*(?:(?:->|\.)[A-Za-z_]\w*|\[[^\]\s]*\])*$/;

const HELD = '(?:held|locked|taken|acquired)';
const LIST = "([^;:]{1,120}?)";
/** Each pattern's group 1 is a list of lock phrases. */
const ENTRY_PATTERNS: RegExp[] = [
  // "Called with X held", "must be called with X and Y held", "Enter with X locked"
  new RegExp(`\\b(?:called|invoked|entered|enter|runs?|run)\\s+with\\s+${LIST}\\s+${HELD}\\b`, 'gi'),
  // "X is held on entry (and exit)", "X must be held", "X should be held by the caller"
  new RegExp(`(?:^|[\\s(])((?:the\\s+)?\\S+(?:\\s+(?:spin ?lock|mutex|semaphore|rwsem|lock))?)\\s+(?:(?:must|should)\\s+(?:have\\s+)?been\\s+held\\s+on\\s+entry|(?:must|should)\\s+be\\s+held|is\\s+held\\s+(?:on\\s+entry|by\\s+the\\s+caller|when\\s+called))`, 'gi'),
  // "Expects mapping->invalidate_lock to be held"
  new RegExp(`\\bexpects\\s+((?:the\\s+)?\\S+(?:\\s+(?:spin ?lock|mutex|semaphore|rwsem|lock))?)\\s+to\\s+be\\s+held\\b`, 'gi'),
  // "Caller must hold X", "the caller holds X"
  new RegExp(`\\bcaller\\s+(?:must|should|needs\\s+to|has\\s+to)?\\s*(?:hold|holds)\\s+((?:the\\s+)?\\S+(?:\\s+and\\s+(?:the\\s+)?\\S+)?)`, 'gi'),
  // "called under X"
  new RegExp(`\\bcalled\\s+under\\s+((?:the\\s+)?\\S+)`, 'gi'),
];

export function commentEntryLocks(comment: string, params: readonly (string | null)[], api: ApiIndex): LockAnnotation[] {
  const out: LockAnnotation[] = [];
  // Most comments say nothing of locks: skip the patterns for them.
  if (!/held|hold|locked|taken|acquired|under/i.test(comment)) return out;
  const prose = commentProse(comment);
  for (const pattern of ENTRY_PATTERNS) {
    for (const m of prose.matchAll(pattern)) {
      const list = m[1]!;
      // A list that runs past the end of a sentence is not one phrase.
      if (/\.\s/.test(list)) continue;
      if (aboutSomethingElse(prose, m.index!)) continue;
      // "rcu read lock or files_lock must be held", "with A or B held": neither is required.
      if (/\bor\b/i.test(list) || /\b(?:or|either)\s*$/i.test(prose.slice(Math.max(0, m.index! - 12), m.index! + 1))) continue;
      for (const phrase of list.split(/\s*,\s*|\s+and\s+/i)) {
        const found = lockPhrase(phrase, api);
        if (!found || out.some((a) => a.lock === found.lock)) continue;
        const a: LockAnnotation = { lock: found.lock, text: m[0].trim(), source: 'comment' };
        const cls = found.class ?? api.lockClassByName(found.lock);
        if (cls) a.class = cls;
        const ref = lockRefFor(found.lock, params);
        if (ref) a.ref = ref;
        out.push(a);
      }
    }
  }
  return out;
}

/** "the mm->page_table_lock spinlock" -> { lock: 'mm->page_table_lock', class: 'spin' }; undefined if it names no lock. */
export function lockPhrase(phrase: string, api: ApiIndex): { lock: string; class?: LockClass } | undefined {
  let words = phrase.trim().split(/\s+/).filter((w) => w.length > 0);
  while (words.length > 0 && /^(?:the|both|its|their)$/i.test(words[0]!)) words = words.slice(1);
  let cls: LockClass | undefined;
  if (words.length === 2 || (words.length === 3 && /^spin$/i.test(words[1]!))) {
    const noun = words.slice(1).join(' ');
    const hit = CLASS_NOUNS.find(([re]) => re.test(noun));
    if (!hit) return undefined;
    cls = hit[1];
    words = words.slice(0, 1);
  }
  if (words.length !== 1) return undefined;
  const token = words[0]!.replace(/^[('"`]+/, '').replace(/[)'"`,.;:!?]+$/, '');
  if (token.endsWith('()')) return undefined;
  // "Lru_lock must be held": a capital that only starts the sentence.
  const lock = normaliseLock(/^[A-Z][a-z0-9_]*$/.test(token) ? token[0]!.toLowerCase() + token.slice(1) : token);
  if (!LVALUE.test(lock) || GENERIC.test(lock)) return undefined;
  const pathLike = /->|\./.test(lock);
  if (!pathLike && !LOCKISH_NAME.test(lock)) return undefined;
  // rcu_read_lock, spin_lock, ...: a function, not a lock.
  if (api.call(lock)) return undefined;
  return cls ? { lock, class: cls } : { lock };
}

/**
 * Whether the sentence holding the phrase at `at` is about something other than the function:
 * "The @enter() callbacks are called with d_lock held" describes a parameter, not the entry; so
 * does a sentence whose subject is a pronoun after such a sentence ("The @match function must
 * take i_lock. It also must not sleep, since it is called with the inode_hash_lock spinlock held":
 * find_inode_nowait()'s comment).
 */
function aboutSomethingElse(prose: string, at: number): boolean {
  const start = sentenceStart(prose, at);
  if (OTHER_SUBJECT.test(prose.slice(start, at))) return true;
  if (start === 0 || !/^[.:]?\s*(it|they|this|these)\b/i.test(prose.slice(start, at))) return false;
  const before = sentenceStart(prose, start - 1);
  return OTHER_SUBJECT.test(prose.slice(before, start));
}

const OTHER_SUBJECT = /@\w|\bcallbacks?\b|\bhandlers?\b|\bhooks?\b/i;

function sentenceStart(prose: string, at: number): number {
  return Math.max(prose.lastIndexOf('. ', at), prose.lastIndexOf(': ', at), 0);
}
