// A line's price change: the notice with the old and new unit price, and its acknowledgement,
// told to the Cart (which marks the line) and to the Checkout (which holds the order back until
// the customer saw the new price). Either may have nothing to acknowledge any more (422): only
// when both refuse is it an error.
import { ApiError, write } from './api';
import { h } from './dom';
import { act, announce } from './ui';
import { formatMoney } from './format';
import { refreshSummary } from './summary-store';
import type { Money } from './types';

export async function acknowledgePrice(itemId: string): Promise<void> {
  const body = { item_ids: [itemId] };
  let refused: ApiError | null = null;
  let done = 0;
  for (const [component, path] of [['cart', '/cart/price-changes/acknowledge'], ['checkout', '/checkout/price-changes/acknowledge']] as const) {
    try {
      await write(component, 'POST', path, body, () => undefined);
      done += 1;
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) refused = e;
      else throw e;
    }
  }
  if (done === 0 && refused) throw refused;
  refreshSummary();
  announce('Nowa cena zaakceptowana.');
}

export function priceChangeNotice(
  itemId: string, name: string | null, change: { old_unit_price: Money; new_unit_price: Money }, after: () => void,
): HTMLElement {
  const ack = h('button', { type: 'button', testid: 'price-change-ack', 'data-item-id': itemId }, 'Rozumiem, akceptuję nową cenę');
  ack.addEventListener('click', () => void act(ack, async () => {
    await acknowledgePrice(itemId);
    after();
  }));
  return h('div', { class: 'notice', testid: 'price-change-notice', 'data-item-id': itemId, role: 'note' },
    h('p', {}, name ? `Cena produktu „${name}” zmieniła się: było ` : 'Cena tego produktu zmieniła się: było ',
      h('span', { class: 'money old', testid: 'old-price' }, formatMoney(change.old_unit_price.amount)),
      ', jest ',
      h('strong', { class: 'money', testid: 'new-price' }, formatMoney(change.new_unit_price.amount)),
      ' za sztukę.'),
    ack);
}
