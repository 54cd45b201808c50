export async function renderCheckout(view: HTMLElement, _isCurrent: () => boolean): Promise<void> {
  view.textContent = '…';
}
