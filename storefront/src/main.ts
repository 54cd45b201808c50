// The page: header (who is shopping, sign-in, navigation, the cart's count), the router over the
// URL fragment (#/, #/cart, #/checkout, #/orders, #/orders/<id>) and the return from a payment
// gateway (/?payment=<transaction_id>).
import './style.css';
import { ApiError, currentIdentity, ensureIdentity, get, onIdentityChange, signIn, signOut } from './api';
import { h, clear } from './dom';
import { act, mountMessages, showError, clearError } from './ui';
import { startSummaryStream } from './summary-store';
import { onCartCount, refreshCartCount } from './cart-count';
import type { Attempt, OrderBrief } from './types';
import { renderProducts } from './views/products';
import { renderCart } from './views/cart';
import { renderCheckout } from './views/checkout';
import { renderOrders, renderOrder } from './views/orders';

const header = document.getElementById('header') as HTMLElement;
const main = document.getElementById('main') as HTMLElement;
const messages = document.getElementById('messages') as HTMLElement;

function buildMessages(): void {
  const dismiss = h('button', { type: 'button', class: 'link-button', onclick: () => clearError() }, 'Zamknij');
  const error = h('div', { class: 'error', role: 'alert', testid: 'error', hidden: true },
    h('span', { class: 'error-text' }), ' ', dismiss);
  const status = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  messages.append(error, status);
  mountMessages(error, status);
}

function buildHeader(): void {
  clear(header);
  const id = currentIdentity();
  const nameInput = h('input', { id: 'signin-name', name: 'user', testid: 'signin-name', autocomplete: 'username', required: true });
  const signinForm = h('form', { class: 'signin', onsubmit: (ev: Event) => {
    ev.preventDefault();
    const name = nameInput.value.trim();
    if (!name) { nameInput.focus(); return; }
    void act(submit, async () => { await signIn(name); });
  } },
    h('label', { for: 'signin-name' }, 'Zaloguj się (nazwa)'), ' ', nameInput, ' ',
  );
  const submit = h('button', { type: 'submit', testid: 'signin-submit' }, 'Zaloguj');
  signinForm.append(submit);
  const signout = id && !id.guest
    ? h('button', { type: 'button', class: 'link-button', onclick: (ev: Event) => void act(ev.currentTarget as HTMLElement, async () => { await signOut(); }) }, 'Wyloguj')
    : null;
  const count = h('span', { class: 'cart-count', testid: 'cart-count' }, '0');
  onCartCount((n) => { count.textContent = String(n); });
  header.append(
    h('div', { class: 'brand' }, h('a', { href: '#/' }, 'Sklep RTV AGD')),
    h('nav', { 'aria-label': 'Główna' },
      h('ul', {},
        h('li', {}, h('a', { href: '#/', testid: 'nav-products' }, 'Produkty')),
        h('li', {}, h('a', { href: '#/cart', testid: 'nav-cart' }, 'Koszyk ', h('span', { class: 'visually-hidden' }, '– sztuk: '), count)),
        h('li', {}, h('a', { href: '#/checkout', testid: 'nav-checkout' }, 'Zamówienie')),
        h('li', {}, h('a', { href: '#/orders', testid: 'nav-orders' }, 'Moje zamówienia')),
      ),
    ),
    h('div', { class: 'who' },
      h('span', {}, 'Kupujesz jako: ', h('strong', { testid: 'current-user' }, id && !id.guest ? (id.name ?? id.userId) : 'Gość')),
      ' ', signout,
      id?.guest !== false ? signinForm : null,
    ),
  );
}

let renderSeq = 0;
let navigated = false;
async function route(): Promise<void> {
  const seq = ++renderSeq;
  const hash = location.hash.replace(/^#/, '') || '/';
  clear(main);
  const view = h('div', { class: 'view' });
  main.append(view);
  const isCurrent = () => seq === renderSeq;
  const orderMatch = /^\/orders\/(.+)$/.exec(hash);
  try {
    if (hash === '/' || hash === '') await renderProducts(view, isCurrent);
    else if (hash === '/cart') await renderCart(view, isCurrent);
    else if (hash === '/checkout') await renderCheckout(view, isCurrent);
    else if (hash === '/orders') await renderOrders(view, isCurrent);
    else if (orderMatch) await renderOrder(view, decodeURIComponent(orderMatch[1] ?? ''), isCurrent);
    else view.append(h('h1', {}, 'Nie ma takiej strony'), h('p', {}, h('a', { href: '#/' }, 'Wróć do produktów')));
  } catch (e) {
    if (isCurrent()) showError(e);
  }
  if (isCurrent()) {
    const h1 = view.querySelector('h1');
    document.title = `${h1?.textContent ?? 'Sklep'} – Sklep RTV AGD`;
    // After a navigation, screen readers start at the new view.
    if (navigated) main.focus({ preventScroll: false });
  }
}

/** Back from a payment gateway: /?payment=<transaction_id> shows that payment's order. */
async function handlePaymentReturn(): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  const txn = params.get('payment');
  if (!txn) return false;
  let orderId: string | null = null;
  try {
    const attempt = await get<Attempt>(`/payment/status/${encodeURIComponent(txn)}`);
    orderId = attempt.order_id;
  } catch {
    orderId = null;
  }
  if (!orderId) {
    try {
      const list = await get<{ orders: OrderBrief[] }>('/checkout/orders?limit=1');
      orderId = list.orders[0]?.order_id ?? null;
    } catch (e) {
      showError(e);
    }
  }
  history.replaceState(null, '', `/${orderId ? `#/orders/${encodeURIComponent(orderId)}` : '#/orders'}`);
  return true;
}

async function start(): Promise<void> {
  buildMessages();
  try {
    await ensureIdentity();
  } catch (e) {
    // The products still show (the catalog is in the page); the next call asks for a guest token again.
    showError(e instanceof ApiError ? e : new Error('Nie udało się rozpocząć zakupów. Odśwież stronę.'));
  }
  buildHeader();
  onIdentityChange(() => {
    buildHeader();
    refreshCartCount();
    void route();
  });
  startSummaryStream();
  refreshCartCount();
  await handlePaymentReturn();
  window.addEventListener('hashchange', () => { navigated = true; void route(); });
  await route();
}

void start();
