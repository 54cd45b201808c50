export async function renderCart(view: HTMLElement, _isCurrent: () => boolean): Promise<void> {
  view.textContent = '…';
}
