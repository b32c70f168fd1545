/**
 * One report per cause. The sleeps reached under one atomic context through one call out of the
 * code that holds it are one bug, fixed at that call or by not holding the lock there: a timer
 * callback that calls into the USB reset path reaches 89 sleeping calls in Linux 6.1, and
 * reporting each sends the reader to 89 places in the USB core where nothing is wrong. So are the
 * takes of a lock a caller holds reached through one call out of it: mpi3mr's event ack calls the
 * soft reset handler holding `init_cmds.mutex`, and eight functions of the reset path take it
 * again. The cause of such a finding is the first event of its path (where the lock was taken or
 * the callback registered) and the first call after it (the call out of the holding function); of
 * the findings with one cause the one with the shortest call chain is reported, with the number of
 * the others in `more`, and the others are not.
 */
import type { Finding, PathEvent } from './finding';

const at = (e: PathEvent) => `${e.file}:${e.line}:${e.column}`;

/** What a cause reaches, said of `more` of them: sleeping calls, or takes of a lock already held (the path's last event). */
function reached(f: Finding): { one: string; many: string } | undefined {
  if (f.rule === 'sleep-in-atomic') return { one: 'sleeping call', many: 'sleeping calls' };
  if (f.rule === 'lock-imbalance' && f.path.at(-1)?.kind === 'lock') return { one: 'take of the lock', many: 'takes of the lock' };
  return undefined;
}

/** The call out of the code that holds the context, or undefined for a finding that stands alone (another rule or kind, one in the holding function itself). */
function callOut(f: Finding): PathEvent | undefined {
  return reached(f) ? f.path.slice(1).find((e) => e.kind === 'call') : undefined;
}

const depth = (f: Finding) => f.path.reduce((n, e) => n + (e.kind === 'call' ? 1 : 0), 0);

/**
 * `findings` (one per location, sorted) with each cause's findings reduced to one, in the order
 * given; and each report that stands for others, with all of them (itself as found included).
 */
export function oneReportPerCause(findings: readonly Finding[]): { list: Finding[]; standsFor: Map<Finding, Finding[]> } {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const out = callOut(f);
    if (out === undefined) continue;
    const cause = `${f.rule}:${at(f.path[0]!)}>${at(out)}`;
    const group = groups.get(cause);
    if (group) group.push(f);
    else groups.set(cause, [f]);
  }
  const report = new Map<Finding, Finding>();
  const standsFor = new Map<Finding, Finding[]>();
  const dropped = new Set<Finding>();
  for (const group of groups.values()) {
    if (group.length === 1) continue;
    // The first of the shallowest: `findings` come sorted by location, so the choice is stable.
    const shallowest = group.reduce((best, f) => (depth(f) < depth(best) ? f : best));
    const more = group.length - 1;
    const out = callOut(shallowest)!;
    const call = out.callee ? `the call to ${out.callee}() at ${out.file}:${out.line}` : `the call at ${out.file}:${out.line}`;
    const what = reached(shallowest)!;
    const r: Finding = { ...shallowest, message: `${shallowest.message}; ${call} reaches ${more} more ${more === 1 ? what.one : what.many}, not reported apart`, more };
    report.set(shallowest, r);
    standsFor.set(r, group);
    for (const f of group) if (f !== shallowest) dropped.add(f);
  }
  return { list: findings.filter((f) => !dropped.has(f)).map((f) => report.get(f) ?? f), standsFor };
}
