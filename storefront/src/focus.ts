// Keeps keyboard focus across a re-render: the focused control is found again by its test id
// and data attributes (item, sku, plan, method, date...).
const KEYS = ['data-testid', 'data-item-id', 'data-sku', 'data-warranty-id', 'data-method-id', 'data-date', 'data-addon-id', 'data-consent-id', 'data-order-id'];

export function focusKey(root: Element): string | null {
  const el = document.activeElement;
  if (!el || !root.contains(el) || !el.getAttribute('data-testid')) return null;
  return KEYS.filter((k) => el.hasAttribute(k))
    .map((k) => `[${k}="${CSS.escape(el.getAttribute(k) ?? '')}"]`)
    .join('');
}

export function restoreFocus(root: Element, key: string | null): void {
  if (!key) return;
  const el = root.querySelector<HTMLElement>(key);
  if (el && !(el as HTMLInputElement).disabled) el.focus();
}
