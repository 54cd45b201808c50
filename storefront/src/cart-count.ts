// The header's count of units in the cart, kept from every cart read and write.
import { get } from './api';
import type { CartView } from './types';

let count = 0;
const listeners: ((n: number) => void)[] = [];

/** The header's one listener (a rebuilt header replaces the old one). */
export function onCartCount(fn: (n: number) => void): void {
  listeners.length = 0;
  listeners.push(fn);
  fn(count);
}

export function setCartCount(n: number): void {
  count = n;
  for (const fn of listeners) fn(n);
}

export function noteCart(cart: CartView): void {
  setCartCount(cart.item_count);
}

export function refreshCartCount(): void {
  get<CartView>('/cart').then(noteCart).catch(() => undefined);
}
