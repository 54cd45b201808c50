// #/orders : the customer's orders; #/orders/<id> : one order with its status and history, paying
// again with another method after a failed payment, refreshed every 2 s while awaiting payment.
import { ApiError, get, newIdempotencyKey, sendWithRetries, write } from '../api';
import { h, clear, uid } from '../dom';
import { act } from '../ui';
import { formatDateTime, formatMoney, ORDER_STATUS_NAMES } from '../format';
import { focusKey, restoreFocus } from '../focus';
import type { Attempt, AvailablePayment, Order, OrderBrief, PaymentMethod } from '../types';

export async function renderOrders(view: HTMLElement, _isCurrent: () => boolean): Promise<void> {
  view.append(h('h1', {}, 'Moje zamówienia'));
  const { orders } = await get<{ orders: OrderBrief[] }>('/checkout/orders?limit=50');
  if (orders.length === 0) {
    view.append(h('p', {}, 'Nie masz jeszcze zamówień.'));
    return;
  }
  view.append(h('table', {},
    h('caption', { class: 'visually-hidden' }, 'Zamówienia, od najnowszego'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Numer'), h('th', { scope: 'col' }, 'Złożone'),
      h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Kwota'))),
    h('tbody', {}, orders.map((o) => h('tr', { testid: 'order-row', 'data-order-id': o.order_id },
      h('td', {}, h('a', { href: `#/orders/${encodeURIComponent(o.order_id)}` }, o.order_number)),
      h('td', {}, formatDateTime(o.created_at)),
      h('td', { 'data-status': o.status }, ORDER_STATUS_NAMES[o.status] ?? o.status),
      h('td', {}, h('span', { class: 'money' }, formatMoney(o.grand_total.amount))))))));
}

// The Checkout writes each history entry's cause in English ("payment initialized (txn …)"):
// the customer reads it in Polish; a cause not known here is shown as it is.
const CAUSES: [RegExp, string][] = [
  [/^order placed/, 'zamówienie złożone'],
  [/^payment initialized too late/, 'płatność rozpoczęta po terminie'],
  [/^payment initialized/, 'płatność rozpoczęta'],
  [/^payment pending/, 'płatność w toku'],
  [/^payment succeeded again/, 'płatność przyjęta ponownie'],
  [/^payment succeeded/, 'płatność przyjęta'],
  [/^payment failed/, 'płatność nieudana'],
  [/^payment refunded/, 'zwrot płatności'],
  [/^(hold expired|hold lapsed)/, 'minął czas na płatność'],
  [/^cancelled by (the )?customer/, 'anulowane przez ciebie'],
  [/^confirmed/, 'potwierdzone'],
  [/^paid/, 'opłacone'],
  [/^cancelled/, 'anulowane'],
];

function causeText(cause: string): string {
  const found = CAUSES.find(([re]) => re.test(cause));
  return found ? found[1] : cause;
}

function historyText(e: Order['history'][number]): string {
  const to = ORDER_STATUS_NAMES[e.to] ?? e.to;
  const from = e.from && e.from !== e.to ? `${ORDER_STATUS_NAMES[e.from] ?? e.from} → ` : '';
  return `${formatDateTime(e.at)}: ${from}${to} – ${causeText(e.cause)}`;
}

export async function renderOrder(view: HTMLElement, orderId: string, isCurrent: () => boolean): Promise<void> {
  const body = h('div', {}, h('p', {}, 'Wczytywanie zamówienia…'));
  view.append(h('h1', {}, 'Zamówienie'), body);
  let methods: PaymentMethod[] | null = null;
  const reload = async (): Promise<void> => {
    let order: Order;
    try {
      order = await get<Order>(`/checkout/orders/${encodeURIComponent(orderId)}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        clear(body);
        body.append(h('p', {}, 'Nie znaleźliśmy takiego zamówienia.'), h('p', {}, h('a', { href: '#/orders' }, 'Moje zamówienia')));
        return;
      }
      throw e;
    }
    const payable = order.payment.online && (order.status === 'awaiting_payment' || order.status === 'payment_failed');
    if (payable && methods === null) {
      // The session is closed: every method is listed as unavailable for it; the online ones can pay an order.
      const av = await get<AvailablePayment>('/payment/available').catch(() => null);
      methods = av ? [...av.methods, ...av.unavailable].filter((m) => m.kind === 'online' && !m.blik_code) : [];
    }
    if (!isCurrent()) return;
    const key = focusKey(body);
    clear(body);
    body.append(build(order, payable ? methods ?? [] : []));
    restoreFocus(body, key);
    if (order.status === 'awaiting_payment') {
      window.setTimeout(() => { if (isCurrent()) void reload().catch(() => undefined); }, 2000);
    }
  };
  await reload();
}

function build(order: Order, methods: PaymentMethod[]): HTMLElement {
  const status = ORDER_STATUS_NAMES[order.status] ?? order.status;
  const parts: (Node | null)[] = [
    h('p', {}, 'Numer zamówienia: ', h('strong', { testid: 'order-number' }, order.order_number)),
    h('p', {}, 'Status: ', h('span', { class: 'status', testid: 'order-status', 'data-status': order.status, role: 'status' }, status)),
    h('p', {}, 'Kwota: ', h('strong', { class: 'money', testid: 'order-total', 'data-grosze': order.grand_total.amount }, formatMoney(order.grand_total.amount))),
    order.created_at ? h('p', {}, `Złożone: ${formatDateTime(order.created_at)}`) : null,
    order.status === 'awaiting_payment' && order.hold_until
      ? h('p', { class: 'hint' }, `Czekamy na płatność do: ${formatDateTime(order.hold_until)}. Później zamówienie zostanie anulowane.`)
      : null,
    order.status === 'awaiting_payment' && order.payment.redirect_url
      ? h('p', {}, h('a', { href: order.payment.redirect_url, testid: 'pay-link' }, 'Przejdź do płatności'))
      : null,
  ];
  const wrap = h('div', {}, parts);
  wrap.append(h('h2', {}, 'Historia'),
    h('ol', { testid: 'order-history' }, order.history.map((e) => h('li', { 'data-status': e.to }, historyText(e)))));
  if (methods.length > 0) wrap.append(payAgain(order, methods));
  if (order.status === 'awaiting_payment' || order.status === 'payment_failed') wrap.append(cancelButton(order));
  wrap.append(h('p', {}, h('a', { href: '#/orders' }, 'Wszystkie zamówienia'), ' · ', h('a', { href: '#/' }, 'Wróć do zakupów')));
  return wrap;
}

function payAgain(order: Order, methods: PaymentMethod[]): HTMLElement {
  let chosen = methods.find((m) => m.id !== order.payment.method_id)?.id ?? methods[0]?.id ?? '';
  const button = h('button', { type: 'submit', testid: 'pay-again' }, 'Zapłać');
  const form = h('form', {},
    h('fieldset', {},
      h('legend', {}, order.status === 'payment_failed' ? 'Płatność się nie udała – zapłać inną metodą' : 'Zapłać inną metodą'),
      methods.map((m) => {
        const id = uid('pa');
        const input = h('input', { type: 'radio', name: 'pay-again-method', id, value: m.id, checked: m.id === chosen, testid: 'pay-again-method', 'data-method-id': m.id });
        input.addEventListener('change', () => { if (input.checked) chosen = m.id; });
        return h('div', { class: 'option' }, input, h('label', { for: id }, m.name));
      }),
      button));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const key = newIdempotencyKey();
    void act(button, async () => {
      const attempt = await sendWithRetries<Attempt>('POST', '/payment/initialize', { order_id: order.order_id, method: chosen }, key);
      if (attempt.redirect_url) location.assign(attempt.redirect_url);
    });
  });
  return form;
}

function cancelButton(order: Order): HTMLElement {
  const b = h('button', { type: 'button', class: 'secondary', testid: 'order-cancel' }, 'Anuluj zamówienie');
  b.addEventListener('click', () => {
    void act(b, async () => {
      await write<Order>('checkout', 'POST', `/checkout/orders/${encodeURIComponent(order.order_id)}/cancel`, {}, () => undefined);
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
  });
  return h('p', {}, b);
}
