export async function renderOrders(view: HTMLElement, _isCurrent: () => boolean): Promise<void> {
  view.textContent = '…';
}
export async function renderOrder(view: HTMLElement, _id: string, _isCurrent: () => boolean): Promise<void> {
  view.textContent = '…';
}
