// Focus for the step-up dialog (App.tsx): what the person was using when it opened, and putting
// focus back there once it is gone. Kept from focus events rather than read when the dialog opens,
// because by then the button that sent the refused request is disabled while busy, and the browser
// may have moved focus off it.

let lastFocused: Element | null = null;
document.addEventListener('focusin', (event) => {
  const target = event.target as Element | null;
  if (target && !target.closest('dialog')) lastFocused = target;
});

/** The element focused last outside a dialog. */
export const lastFocusedOutsideDialogs = (): Element | null => lastFocused;

/**
 * Focus back on `element` as soon as it can take it (a busy button is disabled until its request,
 * sent again, is answered), unless the person has moved on meanwhile.
 */
export function restoreFocus(element: Element | null): void {
  if (!(element instanceof HTMLElement)) return;
  const tryFocus = (): boolean => {
    if (!element.isConnected) return true;
    if ((element as HTMLButtonElement).disabled) return false;
    const active = document.activeElement;
    if (active && active !== document.body && !active.closest('dialog')) return true;
    element.focus();
    return true;
  };
  if (tryFocus()) return;
  const watch = new MutationObserver(() => {
    if (tryFocus()) watch.disconnect();
  });
  watch.observe(element, { attributes: true, attributeFilter: ['disabled'] });
  setTimeout(() => watch.disconnect(), 120_000);
}
