// Promotions: those applied (with the product's lowest price of the 30 days before the
// reduction), those that almost apply, the opt-in ones, and the discount code field with the
// service's reason when a code is refused.
import { ApiError, get, write } from '../../api';
import { h, clear, uid } from '../../dom';
import { act, announce } from '../../ui';
import { formatMoney } from '../../format';
import { focusKey, restoreFocus } from '../../focus';
import type { AvailablePromotions } from '../../types';
import { currentSummary } from '../../summary-store';
import { drafts, type CheckoutContext } from './context';

let refused: string | null = null;

export async function mountPromotions(section: HTMLElement, ctx: CheckoutContext): Promise<void> {
  const body = h('div', {}, h('p', {}, 'Wczytywanie promocji…'));
  section.append(h('h2', {}, '3. Promocje i kody rabatowe'), body);
  const reload = async () => {
    const promos = await get<AvailablePromotions>('/promotions/available');
    if (!ctx.isCurrent()) return;
    const key = focusKey(body);
    clear(body);
    body.append(h('div', {}, build(promos, ctx, () => void reload().catch(() => undefined))));
    restoreFocus(body, key);
  };
  ctx.on('cart', () => void reload().catch(() => undefined));
  ctx.on('shipping', () => void reload().catch(() => undefined));
  await reload();
}

function skuName(itemId: string): string {
  return currentSummary().summary?.lines.find((l) => l.item_id === itemId)?.name ?? '';
}

function build(p: AvailablePromotions, ctx: CheckoutContext, reload: () => void): Node[] {
  const out: Node[] = [];
  if (p.applied.length > 0) {
    out.push(h('ul', { class: 'promotions', 'aria-label': 'Naliczone promocje' }, p.applied.map((a) => {
      const remove = a.code
        ? h('button', { type: 'button', class: 'link-button', testid: 'promo-remove', 'data-promotion-id': a.promotion_id }, `Usuń kod ${a.code}`)
        : null;
      remove?.addEventListener('click', () => void act(remove, async () => {
        await write<AvailablePromotions>('promotion', 'DELETE', `/promotions/${encodeURIComponent(a.promotion_id)}`, undefined, (x) => x.version);
        announce(`Usunięto kod ${a.code ?? ''}`);
        reload();
        ctx.changed('promotion');
      }));
      return h('li', { testid: 'promotion', 'data-promotion-id': a.promotion_id },
        h('strong', {}, a.name), a.discount.amount > 0 ? [': ', h('span', { class: 'money' }, `-${formatMoney(a.discount.amount)}`)] : null,
        a.free_delivery ? ' (darmowa dostawa)' : null, ' ', remove,
        a.allocations.some((x) => x.lowest_price_30d)
          ? h('ul', {}, a.allocations.filter((x) => x.lowest_price_30d).map((x) => h('li', { class: 'hint' },
            `${skuName(x.item_id) || x.sku || ''}: najniższa cena z 30 dni przed obniżką `,
            h('span', { class: 'money', testid: 'lowest-30-days', 'data-grosze': x.lowest_price_30d?.amount ?? 0 },
              formatMoney(x.lowest_price_30d?.amount ?? 0)))))
          : null);
    })));
  } else {
    out.push(h('p', { class: 'hint' }, 'Żadna promocja nie obejmuje jeszcze twojego koszyka.'));
  }
  for (const n of p.near_misses) out.push(h('p', { class: 'hint' }, n.reason.message));
  if (p.opt_in.length > 0) {
    out.push(h('fieldset', {}, h('legend', {}, 'Promocje do wyboru'), p.opt_in.map((o) => {
      const id = uid('optin');
      const input = h('input', { type: 'checkbox', id, checked: o.chosen, testid: 'promo-opt-in', 'data-promotion-id': o.promotion_id });
      input.addEventListener('change', () => void act(input, async () => {
        if (input.checked) await write<AvailablePromotions>('promotion', 'POST', '/promotions/apply', { promotion_id: o.promotion_id }, (x) => x.version);
        else await write<AvailablePromotions>('promotion', 'DELETE', `/promotions/${encodeURIComponent(o.promotion_id)}`, undefined, (x) => x.version);
        reload();
        ctx.changed('promotion');
      }).then((ok) => { if (!ok) reload(); }));
      return h('div', { class: 'option' }, input, h('label', { for: id }, o.name));
    })));
  }
  const codeId = uid('code');
  const refusedId = uid('refused');
  const code = h('input', { id: codeId, testid: 'promo-code', autocomplete: 'off', value: drafts['promo-code'] ?? '', 'aria-describedby': refusedId });
  code.addEventListener('input', () => { drafts['promo-code'] = code.value; });
  const apply = h('button', { type: 'submit', testid: 'promo-apply' }, 'Zastosuj kod');
  const serverRefused = currentSummary().summary?.promotions.refused_code;
  const refusedText = refused ?? (serverRefused ? serverRefused.message : null);
  const form = h('form', { class: 'promo-form' },
    h('div', { class: 'field' }, h('label', { for: codeId }, 'Kod rabatowy'),
      h('div', {}, code, ' ', apply),
      h('span', { class: 'field-error', id: refusedId, testid: 'promo-refused', hidden: !refusedText }, refusedText ?? '')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const typed = code.value.trim();
    if (!typed) { code.focus(); return; }
    void act(apply, async () => {
      try {
        await write<AvailablePromotions>('promotion', 'POST', '/promotions/apply-code', { code: typed }, (x) => x.version);
        refused = null;
        drafts['promo-code'] = '';
        announce(`Kod ${typed.toUpperCase()} został naliczony.`);
      } catch (e) {
        if (e instanceof ApiError && e.status === 422 && e.code.startsWith('code_')) {
          refused = e.message;
          // The reason is shown at the field (promo-refused); the alert says it too.
        }
        throw e;
      } finally {
        reload();
        ctx.changed('promotion');
      }
    });
  });
  out.push(form);
  return out;
}
