/**
 * Hand-written finding paths shaped like the engine's (see server/src/engine/finding.ts), for the
 * simulator's tests. Each helper builds one PathEvent; `finding` wraps a path.
 */
import type { Finding, PathEvent, RuleId } from '../../server/src/engine/finding';

type Extra = Partial<PathEvent>;

export function ev(kind: PathEvent['kind'], file: string, line: number, extra: Extra = {}): PathEvent {
  return { kind, file, line, column: 3, endLine: line, endColumn: 20, message: `${kind} at ${file}:${line}`, function: extra.function ?? 'f', ...extra };
}

export const kmap = (file: string, line: number, serie: string, callee = 'pte_offset'): PathEvent =>
  ev('kmap', file, line, { serie, mapKind: 'persistent', callee });
export const kunmap = (file: string, line: number, serie?: string): PathEvent =>
  ev('kunmap', file, line, { serie, mapKind: serie ? 'persistent' : undefined, callee: 'pte_kunmap' });
export const kmapAtomic = (file: string, line: number, callee = 'pte_offset_atomic'): PathEvent =>
  ev('kmap', file, line, { mapKind: 'atomic', callee });
export const lock = (file: string, line: number, name: string): PathEvent => ev('lock', file, line, { lock: name, callee: 'spin_lock' });
export const unlock = (file: string, line: number, name: string): PathEvent => ev('unlock', file, line, { lock: name, callee: 'spin_unlock' });
export const blockingKmap = (file: string, line: number, serie: string, callee = 'pte_offset'): PathEvent =>
  ev('sleep', file, line, { blocksOnSerie: serie, callee });
export const sleep = (file: string, line: number, callee = 'msleep'): PathEvent => ev('sleep', file, line, { callee });

export function finding(rule: RuleId, path: PathEvent[]): Finding {
  const last = path[path.length - 1];
  return { ...last, rule, severity: 'error', message: `${rule} at ${last.file}:${last.line}`, function: last.function, path, fixes: [] };
}

/** mremap's move_one_page in pte-highmem-5: two PAGETABLE kmaps in a row. */
export const mremap = finding('kmap-serie-reentry', [
  kmap('mremap.c', 10, 'PAGETABLE', 'pte_offset'),
  kmap('mremap.c', 12, 'PAGETABLE', 'pte_alloc'),
]);

/** copy_page_range under dup_mmap's dst->page_table_lock: pte_offset2 may block. */
export const pteOffsetUnderLock = finding('sleep-in-atomic', [
  ev('entry', 'fork.c', 20, { lock: 'dst->page_table_lock', function: 'copy_page_range' }),
  blockingKmap('memory.c', 31, 'PAGETABLE2', 'pte_offset2'),
]);

/** The quick fix: pte_offset_atomic2 instead. */
export const pteOffsetAtomicUnderLock = finding('sleep-in-atomic', [
  ev('entry', 'fork.c', 20, { lock: 'dst->page_table_lock', function: 'copy_page_range' }),
  kmapAtomic('memory.c', 31, 'pte_offset_atomic2'),
]);

/** fork done right: PAGETABLE2 first, PAGETABLE second. */
export const rightOrder = finding('kmap-serie-order', [kmap('memory.c', 40, 'PAGETABLE2', 'pte_offset2'), kmap('memory.c', 41, 'PAGETABLE', 'pte_alloc')]);

/** Hugh's case: DEFAULT pinned while PAGETABLE is acquired. */
export const wrongOrder = finding('kmap-serie-order', [kmap('filemap.c', 50, 'DEFAULT', 'kmap'), kmap('filemap.c', 52, 'PAGETABLE', 'pte_offset')]);

/** msleep under a global spinlock. */
export const msleepUnderLock = finding('sleep-in-atomic', [lock('drv.c', 5, 'dev_lock'), sleep('drv.c', 7, 'msleep')]);
