// #/checkout : delivery, payment, promotions, customer data, consents, and the live summary.
import { h } from '../dom';
import { showError } from '../ui';
import { makeContext } from './checkout/context';
import { mountDelivery } from './checkout/delivery';
import { mountPayment } from './checkout/payment';
import { mountPromotions } from './checkout/promotions';
import { mountCustomer } from './checkout/customer';
import { mountConsents } from './checkout/consents';
import { mountSummary } from './checkout/summary';
import { get } from '../api';
import type { CartView, Summary } from '../types';

export async function renderCheckout(view: HTMLElement, isCurrent: () => boolean): Promise<void> {
  const ctx = makeContext(isCurrent);
  const cart = await get<CartView>('/cart');
  view.append(h('h1', {}, 'Dostawa, płatność i podsumowanie'));
  if (cart.lines.length === 0) {
    view.append(h('p', {}, 'Twój koszyk jest pusty.'), h('p', {}, h('a', { href: '#/' }, 'Przejdź do produktów')));
    const last = await get<Summary>('/checkout/summary').catch(() => null);
    if (last?.order && isCurrent()) {
      view.append(h('p', {}, 'Ostatnie zamówienie: ',
        h('a', { href: `#/orders/${encodeURIComponent(last.order.order_id)}` }, last.order.order_number)));
    }
    return;
  }
  const delivery = h('section', { class: 'step', id: 'delivery' });
  const payment = h('section', { class: 'step', id: 'payment' });
  const promotions = h('section', { class: 'step', id: 'promotions' });
  const customer = h('section', { class: 'step', id: 'customer' });
  const consents = h('section', { class: 'step', id: 'consents' });
  const summary = h('aside', { class: 'summary', testid: 'summary', 'aria-labelledby': 'summary-title' });
  view.append(h('div', { class: 'checkout-grid' },
    h('div', { class: 'checkout-sections' }, delivery, payment, promotions, customer, consents),
    summary));
  mountSummary(summary, ctx);
  const results = await Promise.allSettled([
    mountDelivery(delivery, ctx),
    mountPayment(payment, ctx),
    mountPromotions(promotions, ctx),
    mountCustomer(customer, ctx),
    mountConsents(consents, ctx),
  ]);
  for (const r of results) if (r.status === 'rejected' && isCurrent()) showError(r.reason);
}
