/**
 * Keeps keyboard focus in the window when the control holding it leaves the page: a row removed, a form
 * closed, another screen shown. Focus goes to the same control on a neighbouring row (the next one, else
 * the one before), else to the screen's heading, never to the bare document, where the next Tab starts
 * again at the top. A dialog or menu gives focus back to the control that opened it itself; when that
 * control went while the dialog was open (Delete, Remove), this finds its place instead.
 */

/** A row of a list or table: what removing an item takes away. */
const ITEM = 'li, tr';
const FOCUSABLE =
  'button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), [tabindex]';

interface Removed {
  next: Node | null;
  prev: Node | null;
}

function siblingItem(from: Node | null, step: 'nextSibling' | 'previousSibling'): Element | null {
  let node = from;
  while (node && !(node instanceof Element && node.isConnected && node.matches(ITEM))) node = node[step];
  return node instanceof Element ? node : null;
}

/** In `row`, the control that does what `lost` did there (same visible label), else its first control. */
function sameControl(row: Element, lost: HTMLElement): HTMLElement | null {
  const controls = [...row.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.tabIndex >= 0);
  const label = lost.textContent.trim();
  return (
    controls.find((el) => el.tagName === lost.tagName && el.textContent.trim() === label) ??
    controls[0] ??
    null
  );
}

function heading(main: HTMLElement): HTMLElement | null {
  const h = main.querySelector<HTMLElement>('h2');
  if (h && !h.hasAttribute('tabindex')) h.setAttribute('tabindex', '-1');
  return h;
}

/** Starts keeping focus inside `main`; returns the function that stops it. */
export function keepFocus(main: HTMLElement): () => void {
  /** The last control focused inside `main` (focus inside a dialog's portal leaves it as it is). */
  let last: HTMLElement | null = null;
  const removed = new WeakMap<Element, Removed>();

  const onFocusIn = (e: FocusEvent) => {
    if (e.target instanceof HTMLElement && main.contains(e.target)) last = e.target;
  };
  // A click in the screen puts focus where the user chose, even nowhere: that is not focus lost.
  const onPointerDown = (e: PointerEvent) => {
    if (e.target instanceof Node && main.contains(e.target)) last = null;
  };

  const rescue = () => {
    const active = document.activeElement;
    if (!last || last.isConnected || (active && active !== document.body)) return;
    const item = last.closest(ITEM);
    const around = item ? removed.get(item) : undefined;
    const row = around
      ? (siblingItem(around.next, 'nextSibling') ?? siblingItem(around.prev, 'previousSibling'))
      : null;
    const target = (row && sameControl(row, last)) ?? heading(main);
    // No heading yet (the next screen is still coming): the next change tries again.
    if (!target) return;
    last = target;
    target.focus({ preventScroll: !row });
  };

  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (!main.contains(r.target)) continue;
      for (const node of r.removedNodes)
        if (node instanceof Element && node.matches(ITEM))
          removed.set(node, { next: r.nextSibling, prev: r.previousSibling });
    }
    rescue();
  });
  // The whole document: a dialog closing (in its portal) is when focus falls back, after its opener went.
  observer.observe(document.body, { childList: true, subtree: true });
  document.addEventListener('focusin', onFocusIn);
  document.addEventListener('pointerdown', onPointerDown, true);
  return () => {
    observer.disconnect();
    document.removeEventListener('focusin', onFocusIn);
    document.removeEventListener('pointerdown', onPointerDown, true);
  };
}
