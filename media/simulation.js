// The simulation view's script: step through the trace (buttons, arrow keys, clicks); each selection
// is highlighted here and in the SVG timeline (elements with a matching data-step), and posted to the
// extension, which reveals the step's source line. The selection survives the panel being hidden.
// @ts-check
(function () {
  // @ts-ignore acquireVsCodeApi is provided by the webview host
  const vscode = acquireVsCodeApi();
  const list = document.getElementById('steps');
  const items = list ? Array.from(list.querySelectorAll('li.step')) : [];
  const position = document.getElementById('position');
  const prev = /** @type {HTMLButtonElement | null} */ (document.getElementById('prev'));
  const next = /** @type {HTMLButtonElement | null} */ (document.getElementById('next'));
  // Each render has its own id: a new trace starts at its first step, the same one shown again
  // (the panel was hidden) returns to where it was.
  const render = document.body.dataset.render;
  const saved = vscode.getState();
  let current = -1;

  /** @param {number} index @param {boolean} byUser: scroll to the step and tell the extension */
  function select(index, byUser) {
    if (items.length === 0) return;
    current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach((item, i) => {
      item.classList.toggle('selected', i === current);
      item.setAttribute('aria-selected', String(i === current));
    });
    document.querySelectorAll('.timeline [data-step]').forEach((el) => {
      el.classList.toggle('selected', el.getAttribute('data-step') === String(current));
    });
    const item = /** @type {HTMLElement} */ (items[current]);
    if (byUser) item.scrollIntoView({ block: 'nearest' });
    if (position) position.textContent = `Step ${current + 1} of ${items.length}`;
    if (prev) prev.disabled = current === 0;
    if (next) next.disabled = current === items.length - 1;
    vscode.setState({ render, step: current });
    if (byUser) vscode.postMessage({ type: 'select', step: current });
  }

  items.forEach((item, i) => item.addEventListener('click', () => select(i, true)));
  document.querySelectorAll('.timeline [data-step]').forEach((el) => {
    el.addEventListener('click', () => select(Number(el.getAttribute('data-step')), true));
  });
  prev?.addEventListener('click', () => select(current - 1, true));
  next?.addEventListener('click', () => select(current + 1, true));
  document.addEventListener('keydown', (event) => {
    if (event.target instanceof HTMLElement && event.target.closest('details')) return;
    if (event.key === 'ArrowDown' || event.key === 'j') select(current + 1, true);
    else if (event.key === 'ArrowUp' || event.key === 'k') select(current - 1, true);
    else if (event.key === 'Home') select(0, true);
    else if (event.key === 'End') select(items.length - 1, true);
    else return;
    event.preventDefault();
  });

  if (items.length === 0) {
    if (prev) prev.disabled = true;
    if (next) next.disabled = true;
  } else {
    select(saved && saved.render === render && typeof saved.step === 'number' ? saved.step : 0, false);
  }
})();
