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
