// The summary: totals updated live from the Checkout's stream, never older than the customer's
// own last change (then "przeliczanie…"), what still holds the order back, and finalize.
import { ApiError, get, newIdempotencyKey, sendWithRetries, write } from '../../api';
import { h, clear } from '../../dom';
import { act, announce, showError, sleep } from '../../ui';
import { formatMoney } from '../../format';
import type { Attempt, OrderBrief, Summary } from '../../types';
import { subscribeSummary, refreshSummary, type SummaryState } from '../../summary-store';
import { resetVersions } from '../../versions';
import { setCartCount } from '../../cart-count';
import { priceChangeNotice } from '../../price-change';
import { payState, type CheckoutContext } from './context';

export function mountSummary(aside: HTMLElement, ctx: CheckoutContext): void {
  const status = h('p', { class: 'recalc', testid: 'summary-recalculating', hidden: true }, 'przeliczanie…');
  const totals = h('dl', {});
  const lines = h('ul', { class: 'summary-lines' });
  const changes = h('div', { class: 'price-changes' });
  const readiness = h('ul', { testid: 'readiness', 'aria-label': 'Co jeszcze zostało' });
  const live = h('p', { class: 'visually-hidden', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const finalize = h('button', { type: 'button', testid: 'finalize', disabled: true }, 'Zamawiam i płacę');
  let current: Summary | null = null;
  let lastGrand: number | null = null;

  aside.append(
    h('h2', { id: 'summary-title' }, 'Podsumowanie'),
    changes, lines, status, totals, live,
    h('h3', {}, 'Zanim zamówisz'), readiness,
    finalize);

  const row = (testid: string, label: string, grosze: number, sign = '') =>
    [h('dt', {}, label), h('dd', {}, sign ? h('span', { 'aria-hidden': 'true' }, sign) : null,
      h('span', { class: 'money', testid, 'data-grosze': grosze }, formatMoney(grosze)))];

  const render = (st: SummaryState) => {
    status.hidden = !st.stale;
    aside.classList.toggle('stale', st.stale);
    aside.setAttribute('aria-busy', st.stale ? 'true' : 'false');
    if (!st.summary) return;
    // A summary older than the customer's own last change: the totals shown stay the last
    // current ones, marked "przeliczanie…".
    if (st.stale && current) { finalize.disabled = true; return; }
    const s = st.summary;
    current = s;
    // A price change not yet acknowledged holds the order back: shown here too, with its button.
    const keyChanges = s.lines.filter((l) => l.price_change).map((l) => `${l.item_id}:${l.price_change?.new_unit_price.amount}`).join(',');
    if (changes.dataset.key !== keyChanges) {
      changes.dataset.key = keyChanges;
      clear(changes);
      for (const l of s.lines) if (l.price_change) changes.append(priceChangeNotice(l.item_id, l.name, l.price_change, () => undefined));
    }
    clear(lines);
    for (const l of s.lines.filter((x) => x.parent_item_id === null || x.type === 'service')) {
      lines.append(h('li', {}, `${l.name} × ${l.quantity} `, h('span', { class: 'money' }, formatMoney(l.line_total.amount)),
        l.warranties.map((w) => h('div', { class: 'hint' }, `+ ${w.name} `, h('span', { class: 'money' }, formatMoney(w.price.amount))))));
    }
    const t = s.totals;
    clear(totals);
    totals.append(
      ...row('total-lines', 'Produkty i usługi', t.lines_total.amount),
      ...row('total-warranties', 'Gwarancje', t.warranties_total.amount),
      ...row('total-shipping', s.delivery.free_delivery ? 'Dostawa (darmowa)' : 'Dostawa', t.shipping_total.amount),
      ...row('total-payment-fee', 'Opłata za płatność', t.payment_fee.amount),
      ...row('total-discount', 'Rabaty', t.discount_total.amount, t.discount_total.amount > 0 ? '−' : ''),
      h('dt', { class: 'grand' }, 'Do zapłaty'),
      h('dd', { class: 'grand' }, h('span', { class: 'money', testid: 'total-grand', 'data-grosze': t.grand_total.amount }, formatMoney(t.grand_total.amount))),
    );
    if (t.vat.length > 0) {
      totals.append(h('dt', { class: 'hint' }, 'w tym VAT'),
        h('dd', { class: 'hint' }, t.vat.map((v) => h('div', {}, `${v.rate}: `, h('span', { class: 'money' }, formatMoney(v.vat.amount))))));
    }
    if (lastGrand !== t.grand_total.amount) {
      live.textContent = `Do zapłaty: ${formatMoney(t.grand_total.amount)}`;
      lastGrand = t.grand_total.amount;
    }
    clear(readiness);
    for (const b of s.readiness) {
      const where = b.code === 'price_change_not_seen' || b.code === 'line_not_validated' ? '#/cart' : null;
      readiness.append(h('li', {}, b.message, where ? [' ', h('a', { href: where }, 'Zobacz w koszyku')] : null));
    }
    if (s.ready) readiness.append(h('li', { class: 'ok' }, 'Wszystko gotowe – możesz złożyć zamówienie.'));
    finalize.disabled = !s.ready || s.lines.length === 0;
  };
  const unsubscribe = subscribeSummary((st) => {
    if (!ctx.isCurrent()) { unsubscribe(); return; }
    render(st);
  });
  refreshSummary();

  finalize.addEventListener('click', () => void act(finalize, async () => {
    if (payState.blikChosen && !/^\d{6}$/.test(payState.blikCode)) {
      throw new Error('Wpisz sześciocyfrowy kod BLIK z aplikacji banku.');
    }
    // One key for this click's retries: a retried request finds the order the first one placed.
    const key = newIdempotencyKey();
    const order = await sendWithRetries<OrderBrief>('POST', `/checkout/finalize?wait_ms=${payState.blikChosen ? 0 : 5000}`, {}, key);
    resetVersions();
    setCartCount(0);
    announce(`Zamówienie ${order.order_number} złożone.`);
    await afterOrder(order);
  }).then(() => { if (current) finalize.disabled = !current.ready; }));
}

/** Where the customer goes once the order exists: the gateway's page, BLIK on the page, or the order. */
async function afterOrder(order: OrderBrief): Promise<void> {
  const toOrder = () => { location.hash = `#/orders/${encodeURIComponent(order.order_id)}`; };
  if (!order.payment.online) { toOrder(); return; }
  if (payState.blikChosen) {
    const key = newIdempotencyKey();
    const body = { order_id: order.order_id, blik_code: payState.blikCode };
    // The order's page shows its status meanwhile; the code goes to the Payment from here.
    toOrder();
    // The Payment learns the order from OrderCreated a moment later: "not found" means "not yet".
    for (let i = 0; ; i++) {
      try {
        await write<Attempt>('payment', 'POST', '/payment/initialize', body, () => undefined, { idempotencyKey: key });
        break;
      } catch (e) {
        if (e instanceof ApiError && (e.code === 'order_not_found' || e.code === 'payment_registering') && i < 60) {
          if (i === 4) announce('Czekamy, aż system płatności przyjmie zamówienie…');
          await sleep(500);
          continue;
        }
        showError(e);
        break;
      }
    }
    payState.blikCode = '';
    announce('Potwierdź płatność w aplikacji banku.');
    return;
  }
  let redirect = order.payment.redirect_url;
  for (let i = 0; !redirect && i < 20; i++) {
    await sleep(500);
    const o = await get<OrderBrief>(`/checkout/orders/${encodeURIComponent(order.order_id)}`).catch(() => null);
    redirect = o?.payment.redirect_url ?? null;
  }
  if (redirect) location.assign(redirect);
  else toOrder();
}
