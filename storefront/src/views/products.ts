// #/ : the shop's products (the catalog generated at build time), with search and categories.
import { PRODUCTS } from '../generated/catalog';
import type { Product } from '../catalog-types';
import { h, clear } from '../dom';
import { write } from '../api';
import { act, announce } from '../ui';
import { CATEGORY_NAMES, formatMoney, plural } from '../format';
import { refreshCartCount } from '../cart-count';
import type { LineResponse } from '../types';

const SHOWN = PRODUCTS.filter((p) => p.category !== 'service');
const CATEGORIES = [...new Set(SHOWN.map((p) => p.category))];

let lastQuery = '';
let lastCategory = '';

function normalize(s: string): string {
  return s.toLocaleLowerCase('pl').normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/ł/g, 'l');
}

export async function renderProducts(view: HTMLElement, _isCurrent: () => boolean): Promise<void> {
  const search = h('input', { id: 'search', type: 'search', testid: 'search', value: lastQuery, autocomplete: 'off' });
  const category = h('select', { id: 'category', testid: 'category' },
    h('option', { value: '' }, 'Wszystkie kategorie'),
    CATEGORIES.map((c) => h('option', { value: c, selected: c === lastCategory }, CATEGORY_NAMES[c] ?? c)),
  );
  const count = h('p', { class: 'result-count', role: 'status' });
  const list = h('ul', { class: 'products' });

  const update = () => {
    lastQuery = search.value;
    lastCategory = category.value;
    const words = normalize(search.value).split(/\s+/).filter(Boolean);
    const shown = SHOWN.filter((p) =>
      (category.value === '' || p.category === category.value) &&
      words.every((w) => normalize(`${p.name} ${p.sku}`).includes(w)));
    clear(list);
    for (const p of shown) list.append(productCard(p));
    count.textContent = `${shown.length} ${plural(shown.length, 'produkt', 'produkty', 'produktów')}`;
  };
  search.addEventListener('input', update);
  category.addEventListener('change', update);

  view.append(
    h('h1', {}, 'Produkty'),
    h('form', { class: 'filters', role: 'search', onsubmit: (e: Event) => e.preventDefault() },
      h('div', { class: 'field' }, h('label', { for: 'search' }, 'Szukaj produktu'), search),
      h('div', { class: 'field' }, h('label', { for: 'category' }, 'Kategoria'), category),
    ),
    count,
    list,
  );
  update();
}

function stockText(p: Product): string {
  if (p.stock <= 0) return 'Chwilowo niedostępny';
  if (p.stock === 1) return 'Ostatnia sztuka';
  if (p.stock <= 3) return `Ostatnie sztuki (${p.stock})`;
  return 'Dostępny';
}

function productCard(p: Product): HTMLElement {
  const titleId = `p-${p.sku}`;
  const button = h('button', { type: 'button', testid: 'add-to-cart', 'aria-describedby': titleId }, 'Dodaj do koszyka');
  button.addEventListener('click', () => {
    void act(button, async () => {
      const answer = await write<LineResponse>('cart', 'POST', '/cart/items',
        { type: p.category === 'accessory' ? 'accessory' : 'offer', sku: p.sku, quantity: 1 },
        (a) => a.cart_version);
      refreshCartCount();
      announce(`Dodano do koszyka: ${answer.line.name}`);
    });
  });
  return h('li', { class: 'product', testid: 'product', 'data-sku': p.sku },
    h('h2', { class: 'product-name', id: titleId }, p.name),
    h('p', { class: 'category-name' }, CATEGORY_NAMES[p.category] ?? p.category),
    h('p', { class: 'price' }, h('span', { class: 'money', testid: 'product-price' }, formatMoney(p.price))),
    h('p', { class: `stock ${p.stock <= 3 ? 'stock-low' : ''}` }, stockText(p)),
    button,
  );
}
