// Payment: the methods the session can use (with their fee) and the others with the reason; the
// BLIK code field when BLIK is typed on this page.
import { get, write } from '../../api';
import { h, clear, uid } from '../../dom';
import { act, announce } from '../../ui';
import { formatMoney } from '../../format';
import { focusKey, restoreFocus } from '../../focus';
import type { AvailablePayment, PaymentChoice, PaymentMethod } from '../../types';
import { payState, type CheckoutContext } from './context';

export async function mountPayment(section: HTMLElement, ctx: CheckoutContext): Promise<void> {
  const body = h('div', {}, h('p', {}, 'Wczytywanie sposobów płatności…'));
  section.append(h('h2', {}, '2. Płatność'), body);
  const reload = async () => {
    const available = await get<AvailablePayment>('/payment/available');
    if (!ctx.isCurrent()) return;
    const key = focusKey(body);
    clear(body);
    body.append(build(available, ctx, () => void reload().catch(() => undefined)));
    restoreFocus(body, key);
  };
  ctx.on('cart', () => void reload().catch(() => undefined));
  ctx.on('shipping', () => void reload().catch(() => undefined));
  await reload();
}

function build(available: AvailablePayment, ctx: CheckoutContext, reload: () => void): HTMLElement {
  const chosen = available.selected?.id ?? null;
  payState.blikChosen = Boolean(available.selected?.blik_code);
  const option = (m: PaymentMethod, enabled: boolean) => {
    const id = uid('pm');
    const reasonId = !enabled && m.reason ? uid('pmr') : null;
    const input = h('input', {
      type: 'radio', name: 'payment-method', id, value: m.id, checked: m.id === chosen, disabled: !enabled,
      testid: 'payment-method', 'data-method-id': m.id, 'aria-describedby': reasonId,
    });
    input.addEventListener('change', () => {
      if (!input.checked) return;
      void act(input, async () => {
        await write<PaymentChoice>('payment', 'POST', '/payment/select', { method: m.id }, (a) => a.version);
        announce(`Wybrano płatność: ${m.name}`);
        reload();
        ctx.changed('payment');
      }).then((ok) => { if (!ok) reload(); });
    });
    const fee = m.fee && m.fee.amount > 0 ? [' – opłata ', h('span', { class: 'money' }, formatMoney(m.fee.amount))] : null;
    return h('div', { class: `option ${enabled ? '' : 'unavailable'}` },
      input, h('label', { for: id }, h('strong', {}, m.name), fee),
      reasonId && m.reason ? h('span', { class: 'reason', id: reasonId, testid: 'payment-unavailable-reason' }, m.reason.message) : null);
  };
  const fieldset = h('fieldset', {},
    h('legend', {}, 'Sposób płatności'),
    available.methods.map((m) => option(m, true)),
    available.unavailable.map((m) => option(m, false)));
  if (available.selected?.blik_code) {
    const id = uid('blik');
    const input = h('input', {
      id, testid: 'blik-code', inputmode: 'numeric', autocomplete: 'one-time-code', maxlength: 6, pattern: '[0-9]{6}',
      value: payState.blikCode, 'aria-describedby': `${id}-hint`,
    });
    input.addEventListener('input', () => { payState.blikCode = input.value.replace(/\s/g, ''); });
    fieldset.append(h('div', { class: 'field' },
      h('label', { for: id }, 'Kod BLIK'),
      input,
      h('span', { class: 'hint', id: `${id}-hint` }, 'Sześć cyfr z aplikacji banku; płatność potwierdzisz w aplikacji po złożeniu zamówienia.')));
  }
  return fieldset;
}
