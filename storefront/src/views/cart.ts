// #/cart : the cart's lines with quantities, warranties and services under each product line,
// standalone services, stock and price-change notices, promotions with the 30-day lowest price.
import { ApiError, get, write } from '../api';
import { h, clear, uid, type Child } from '../dom';
import { act, announce, sleep } from '../ui';
import { formatMoney } from '../format';
import { noteCart } from '../cart-count';
import { focusKey, restoreFocus } from '../focus';
import type {
  AvailableServices, AvailableWarranties, CartLine, CartView, LineResponse, LineSelection, ServiceOffer,
} from '../types';
import { priceChangeNotice as sharedPriceChangeNotice } from '../price-change';
import { PRODUCTS } from '../generated/catalog';

// Accessories suggested under a product line, by the product's category (catalog sku prefixes).
const ACCESSORY_PREFIXES: Record<string, string[]> = {
  tv: ['ACC-HDMI', 'ACC-WALL', 'ACC-SB', 'ACC-REMOTE', 'ACC-CLEAN', 'ACC-PS'],
  phone: ['ACC-CHG', 'ACC-CASE', 'ACC-GLASS', 'ACC-HP', 'ACC-PB', 'ACC-USBC'],
  laptop: ['ACC-MOUSE', 'ACC-BAG', 'ACC-USBC', 'ACC-PS'],
  washing_machine: ['ACC-WM'],
  fridge: ['ACC-FR'],
  dishwasher: ['ACC-DW'],
};

interface CartData {
  cart: CartView;
  services: AvailableServices | null;
  warranties: Map<string, AvailableWarranties | 'none' | 'pending'>;
}

async function warrantiesFor(itemId: string): Promise<AvailableWarranties | 'none' | 'pending'> {
  // The Warranty learns a new line from cart-events a moment after it is added: a 404 then means
  // "not yet", so it is asked again a few times.
  for (let i = 0; i < 4; i++) {
    try {
      return await get<AvailableWarranties>(`/warranty/available?item_id=${encodeURIComponent(itemId)}`);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 404) return 'none';
      await sleep(400);
    }
  }
  return 'pending';
}

async function load(): Promise<CartData> {
  const cart = await get<CartView>('/cart');
  noteCart(cart);
  const productLines = cart.lines.filter((l) => l.type !== 'service');
  const [services, ...ws] = await Promise.all([
    get<AvailableServices>('/services/available').catch(() => null),
    ...productLines.map((l) => warrantiesFor(l.item_id)),
  ]);
  const warranties = new Map<string, AvailableWarranties | 'none' | 'pending'>();
  productLines.forEach((l, i) => warranties.set(l.item_id, ws[i] ?? 'none'));
  return { cart, services, warranties };
}

export async function renderCart(view: HTMLElement, isCurrent: () => boolean): Promise<void> {
  const body = h('div', { class: 'cart-body' }, h('p', {}, 'Wczytywanie koszyka…'));
  view.append(h('h1', {}, 'Koszyk'), body);
  let retries = 0;

  const reload = async (): Promise<void> => {
    const data = await load();
    if (!isCurrent()) return;
    const key = focusKey(body);
    clear(body);
    body.append(h('div', {}, build(data, () => void reload().catch(() => undefined))));
    restoreFocus(body, key);
    // Lines the Services or the Warranty have not seen yet: look again shortly.
    const missing =
      [...data.warranties.values()].includes('pending') ||
      data.cart.lines.some((l) => l.type !== 'service' && data.services && !data.services.items.some((i) => i.item_id === l.item_id)) ||
      data.cart.lines.some((l) => l.validation === 'not_yet_validated' || l.enrichment === 'pending');
    if (missing && retries < 6) {
      retries += 1;
      window.setTimeout(() => { if (isCurrent()) void reload().catch(() => undefined); }, 1000);
    } else if (!missing) {
      retries = 0;
    }
  };
  await reload();
}

function build(data: CartData, reload: () => void): Child[] {
  const { cart } = data;
  if (cart.lines.length === 0) {
    return [
      h('p', {}, 'Twój koszyk jest pusty.'),
      notices(cart),
      h('p', {}, h('a', { href: '#/' }, 'Przejdź do produktów')),
    ];
  }
  const byId = new Map(cart.lines.map((l) => [l.item_id, l]));
  const top = cart.lines.filter((l) => l.parent_item_id === null || !byId.has(l.parent_item_id));
  const standalone = top.filter((l) => l.type === 'service');
  const products = top.filter((l) => l.type !== 'service');
  return [
    notices(cart),
    h('ul', { class: 'cart-lines' }, products.map((l) => lineItem(l, data, reload))),
    standaloneServices(data, standalone, reload),
    h('p', { class: 'subtotal' }, 'Wartość produktów i usług: ',
      h('strong', { class: 'money', testid: 'cart-subtotal', 'data-grosze': cart.subtotal.amount }, formatMoney(cart.subtotal.amount))),
    h('p', { class: 'hint' }, 'Gwarancje, dostawa i rabaty są doliczane w podsumowaniu zamówienia.'),
    h('p', {}, h('a', { href: '#/checkout', class: 'button-link' }, 'Przejdź do dostawy i płatności')),
  ];
}

function notices(cart: CartView): Node | null {
  if (cart.notices.length === 0) return null;
  return h('div', { class: 'notice', testid: 'cart-notices' },
    h('p', {}, 'Usunęliśmy z koszyka usługi, których nie można zamówić:'),
    h('ul', {}, cart.notices.map((n) => h('li', {}, `${n.name}: ${n.reason.message}`))));
}

function stockNotice(line: CartLine): Node | null {
  if (line.stock_status === 'out_of_stock') {
    return h('p', { class: 'notice', testid: 'stock-notice' }, 'Tego produktu nie ma teraz w magazynie: zamówienie nie przejdzie, dopóki go nie usuniesz lub nie wróci do sprzedaży.');
  }
  if (line.stock_status === 'low_stock') {
    return h('p', { class: 'notice', testid: 'stock-notice' }, 'Zostało już niewiele sztuk tego produktu.');
  }
  return null;
}

function priceChangeNotice(line: CartLine, reload: () => void): Node | null {
  return line.price_change ? sharedPriceChangeNotice(line.item_id, null, line.price_change, reload) : null;
}

function linePromotions(line: CartLine): Node | null {
  if (line.promotions.length === 0) return null;
  const discount = line.promotions.reduce((s, p) => s + p.discount.amount, 0);
  return h('div', { class: 'line-promotions' },
    h('p', {}, 'Po rabatach: ',
      h('strong', { class: 'money' }, formatMoney(line.line_total.amount - discount)), ' ',
      h('span', { class: 'money old' }, formatMoney(line.line_total.amount))),
    h('ul', {}, line.promotions.map((p) => h('li', {},
      `${p.name}: `, h('span', { class: 'money' }, `-${formatMoney(p.discount.amount)}`),
      p.lowest_price_30d
        ? h('span', { class: 'hint' }, ' · Najniższa cena z 30 dni przed obniżką: ',
          h('span', { class: 'money', testid: 'lowest-30-days', 'data-grosze': p.lowest_price_30d.amount }, formatMoney(p.lowest_price_30d.amount)))
        : null))));
}

function lineItem(line: CartLine, data: CartData, reload: () => void): HTMLElement {
  const qtyId = uid('qty');
  const qty = h('input', {
    id: qtyId, type: 'number', min: 1, max: 99, step: 1, value: line.quantity, inputmode: 'numeric', testid: 'line-quantity',
    'data-item-id': line.item_id,
  });
  qty.addEventListener('change', () => {
    const n = Number(qty.value);
    if (n === line.quantity) return;
    void act(null, async () => {
      const answer = await write<LineResponse>('cart', 'PATCH', `/cart/items/${encodeURIComponent(line.item_id)}`,
        { quantity: Number.isInteger(n) ? n : qty.value }, (a) => a.cart_version);
      announce(`Ilość: ${answer.line.quantity}. Razem ${formatMoney(answer.line.line_total.amount)}.`);
      reload();
    }).then((ok) => { if (!ok) qty.value = String(line.quantity); });
  });
  const remove = h('button', { type: 'button', class: 'secondary', testid: 'line-remove', 'data-item-id': line.item_id }, 'Usuń');
  remove.addEventListener('click', () => void act(remove, async () => {
    const cart = await write<CartView>('cart', 'DELETE', `/cart/items/${encodeURIComponent(line.item_id)}`, undefined, (c) => c.version);
    noteCart(cart);
    announce(`Usunięto z koszyka: ${line.name}`);
    reload();
  }));
  const titleId = uid('line');
  const children = data.cart.lines.filter((l) => l.parent_item_id === line.item_id);
  return h('li', { class: 'cart-line', testid: 'cart-line', 'data-item-id': line.item_id, 'data-sku': line.sku, 'aria-labelledby': titleId },
    h('div', { class: 'cart-line-head' },
      h('h2', { id: titleId }, line.name),
      h('span', {}, 'Cena: ', h('span', { class: 'money' }, formatMoney(line.unit_price.amount))),
      h('span', { class: 'qty' }, h('label', { for: qtyId }, 'Ilość '), qty),
      h('span', {}, 'Razem: ', h('strong', { class: 'money', testid: 'line-total', 'data-grosze': line.line_total.amount }, formatMoney(line.line_total.amount))),
      remove),
    stockNotice(line),
    priceChangeNotice(line, reload),
    linePromotions(line),
    children.length > 0
      ? h('ul', { class: 'children', 'aria-label': `Dodane do: ${line.name}` }, children.map((c) => h('li', {},
        `${c.name} × ${c.quantity}: `, h('span', { class: 'money' }, formatMoney(c.line_total.amount)),
        c.validation === 'not_yet_validated' ? h('span', { class: 'hint' }, ' (czeka na potwierdzenie; cena może się zmienić)') : null,
        c.type === 'accessory' ? [' ', removeChild(c, reload)] : null,
        priceChangeNotice(c, reload))))
      : null,
    accessorySuggestions(line, children, reload),
    warrantyFieldset(line, data.warranties.get(line.item_id), reload),
    serviceFieldset(line, data, reload),
  );
}

function warrantyFieldset(line: CartLine, w: AvailableWarranties | 'none' | 'pending' | undefined, reload: () => void): Node | null {
  if (w === undefined || w === 'none') return null;
  if (w === 'pending') return h('p', { class: 'hint' }, 'Wczytujemy oferty gwarancji…');
  if (w.offers.length === 0 && w.unavailable.length === 0) return null;
  const name = `warranty-${line.item_id}`;
  const selectedIds = new Set(w.selected.map((s) => s.warranty_id));
  const choose = async (warrantyId: string) => {
    if (warrantyId === 'none') {
      await write<LineSelection>('warranty', 'DELETE', `/warranty/${encodeURIComponent(line.item_id)}`, undefined, (a) => a.version);
      announce('Bez gwarancji dodatkowej.');
    } else {
      const answer = await write<LineSelection>('warranty', 'POST', '/warranty/select',
        { item_id: line.item_id, warranty_id: warrantyId }, (a) => a.version);
      // One protection plan per line on this page: plans of other kinds go.
      for (const other of answer.selected.filter((s) => s.warranty_id !== warrantyId)) {
        await write<LineSelection>('warranty', 'DELETE',
          `/warranty/${encodeURIComponent(line.item_id)}?warranty_id=${encodeURIComponent(other.warranty_id)}`, undefined, (a) => a.version);
      }
      announce('Gwarancja wybrana.');
    }
    reload();
  };
  const radio = (id: string, label: Child[], checked: boolean, disabled: boolean, reason: string | null) => {
    const inputId = uid('w');
    const reasonId = reason ? uid('wr') : null;
    const input = h('input', {
      type: 'radio', id: inputId, name, value: id, checked, disabled, testid: 'warranty-option', 'data-warranty-id': id,
      'data-item-id': line.item_id, 'aria-describedby': reasonId,
    });
    input.addEventListener('change', () => { if (input.checked) void act(input, () => choose(id)); });
    return h('div', { class: `option ${disabled ? 'unavailable' : ''}` },
      input, h('label', { for: inputId }, ...label),
      reason ? h('span', { class: 'reason', id: reasonId }, reason) : null);
  };
  return h('fieldset', { class: 'warranties' },
    h('legend', {}, `Gwarancja dodatkowa (gwarancja producenta: ${w.manufacturer_warranty_months} mies.)`),
    radio('none', ['Bez gwarancji dodatkowej'], selectedIds.size === 0, false, null),
    w.offers.map((o) => radio(o.warranty_id, [`${o.name} – `, h('span', { class: 'money' }, formatMoney(o.price.amount))],
      selectedIds.has(o.warranty_id), false, null)),
    w.unavailable.map((u) => radio(u.warranty_id, [u.name], false, true, u.reason.message)),
  );
}

function serviceCheckbox(offer: ServiceOffer, parent: CartLine | null, data: CartData, reload: () => void): HTMLElement {
  const existing = data.cart.lines.find((l) => l.type === 'service' && l.sku === offer.sku &&
    l.parent_item_id === (parent ? parent.item_id : null));
  const inputId = uid('s');
  const reasonId = !offer.available && offer.reason ? uid('sr') : null;
  const input = h('input', {
    type: 'checkbox', id: inputId, checked: Boolean(existing), disabled: !offer.available && !existing,
    testid: 'service-option', 'data-sku': offer.sku, 'aria-describedby': reasonId,
    'data-item-id': parent ? parent.item_id : null,
  });
  input.addEventListener('change', () => void act(input, async () => {
    if (input.checked) {
      await write<LineResponse>('cart', 'POST', '/cart/items',
        { type: 'service', sku: offer.sku, quantity: 1, parent_item_id: parent ? parent.item_id : null }, (a) => a.cart_version);
      announce(`Dodano usługę: ${offer.name}`);
    } else if (existing) {
      await write<CartView>('cart', 'DELETE', `/cart/items/${encodeURIComponent(existing.item_id)}`, undefined, (c) => c.version);
      announce(`Usunięto usługę: ${offer.name}`);
    }
    reload();
  }).then((ok) => { if (!ok) input.checked = !input.checked; }));
  return h('div', { class: `option ${!offer.available && !existing ? 'unavailable' : ''}` },
    input,
    h('label', { for: inputId }, `${offer.name} – `, h('span', { class: 'money' }, offer.price.amount === 0 ? 'bezpłatnie' : formatMoney(offer.price.amount))),
    reasonId && offer.reason ? h('span', { class: 'reason', id: reasonId }, offer.reason.message) : null);
}

function serviceFieldset(line: CartLine, data: CartData, reload: () => void): Node | null {
  const item = data.services?.items.find((i) => i.item_id === line.item_id);
  if (!item) return data.services ? h('p', { class: 'hint' }, 'Wczytujemy dostępne usługi…') : null;
  if (item.services.length === 0) return null;
  return h('fieldset', { class: 'services' },
    h('legend', {}, 'Usługi do tego produktu'),
    item.services.map((s) => serviceCheckbox(s, line, data, reload)));
}

function standaloneServices(data: CartData, lines: CartLine[], reload: () => void): Node | null {
  const offers = data.services?.standalone ?? [];
  if (offers.length === 0 && lines.length === 0) return null;
  return h('fieldset', { class: 'services', testid: 'standalone-services' },
    h('legend', {}, 'Usługi do całego zamówienia'),
    offers.map((s) => serviceCheckbox(s, null, data, reload)),
    lines.filter((l) => !offers.some((o) => o.sku === l.sku)).map((l) => h('p', {}, `${l.name} × ${l.quantity}`)));
}

function removeChild(c: CartLine, reload: () => void): HTMLElement {
  const b = h('button', { type: 'button', class: 'link-button', testid: 'child-remove', 'data-item-id': c.item_id, 'aria-label': `Usuń: ${c.name}` }, 'Usuń');
  b.addEventListener('click', () => void act(b, async () => {
    const cart = await write<CartView>('cart', 'DELETE', `/cart/items/${encodeURIComponent(c.item_id)}`, undefined, (x) => x.version);
    noteCart(cart);
    announce(`Usunięto z koszyka: ${c.name}`);
    reload();
  }));
  return b;
}

function accessorySuggestions(line: CartLine, children: CartLine[], reload: () => void): Node | null {
  const prefixes = ACCESSORY_PREFIXES[line.category];
  if (!prefixes || line.type !== 'offer') return null;
  const have = new Set(children.map((c) => c.sku));
  const offers = PRODUCTS.filter((p) => p.category === 'accessory' && p.stock > 0 && !have.has(p.sku) &&
    prefixes.some((x) => p.sku.startsWith(`${x}-`))).slice(0, 4);
  if (offers.length === 0) return null;
  return h('details', { class: 'accessories' },
    h('summary', {}, 'Akcesoria pasujące do tego produktu'),
    h('ul', {}, offers.map((p) => {
      const b = h('button', { type: 'button', class: 'secondary', testid: 'accessory-add', 'data-sku': p.sku, 'aria-label': `Dodaj: ${p.name}` }, 'Dodaj');
      b.addEventListener('click', () => void act(b, async () => {
        await write<LineResponse>('cart', 'POST', '/cart/items',
          { type: 'accessory', sku: p.sku, quantity: 1, parent_item_id: line.item_id }, (a) => a.cart_version);
        announce(`Dodano do koszyka: ${p.name}`);
        reload();
      }));
      return h('li', {}, `${p.name} – `, h('span', { class: 'money' }, formatMoney(p.price)), ' ', b);
    })));
}
