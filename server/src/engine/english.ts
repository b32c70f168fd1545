/** `a timer callback`, `an interrupt handler`, `an atomic kmap`: messages are read by people. */
export function withArticle(phrase: string): string {
  return `${/^[aeiou]/i.test(phrase) ? 'an' : 'a'} ${phrase}`;
}

/**
 * `hid_hw_request() calls usbhid_request() through hdev->ll_driver->request`: a call through a
 * pointer says which pointer, as the function it reached is one of those stored there.
 */
export function callText(caller: string, callee: string, op: { indirect?: boolean; callee: string }): string {
  return `${caller}() calls ${callee}()${op.indirect ? ` through ${op.callee}` : ''}`;
}

const ATOMIC_PHRASES: Record<string, string> = {
  preempt: 'preemption is disabled',
  irq: 'interrupts are disabled',
  bh: 'bottom halves are disabled',
  rcu: 'inside an RCU read-side critical section',
  kmap_atomic: 'an atomic kmap is pinned',
  hardirq: 'in a hard-IRQ handler',
  softirq: 'in a softirq handler',
  timer: 'in a timer callback',
  tasklet: 'in a tasklet',
};

/** What holding an atomic context of `kind` means, as a clause: `interrupts are disabled`. */
export function atomicPhrase(kind: string): string {
  return ATOMIC_PHRASES[kind] ?? `in atomic context (${kind})`;
}
