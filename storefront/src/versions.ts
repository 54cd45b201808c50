// Read-your-writes: the highest per-session version each component answered to this customer's
// own writes. A summary that includes less of some component is older than the customer's last
// change: it is not shown as current ("przeliczanie…").
import type { Component, Versions } from './types';

const COMPONENTS: Component[] = ['cart', 'warranty', 'shipping', 'payment', 'promotion', 'checkout'];
let known: Versions = { cart: 0, warranty: 0, shipping: 0, payment: 0, promotion: 0, checkout: 0 };
let session: string | null = null;
const listeners: (() => void)[] = [];

export function noteVersion(component: Component, version: number): void {
  if (version > known[component]) {
    known = { ...known, [component]: version };
    for (const fn of listeners) fn();
  }
}

export function onVersionNoted(fn: () => void): void {
  listeners.push(fn);
}

/** A new session (an order placed, another user) starts every version again from 0. */
export function resetVersions(): void {
  known = { cart: 0, warranty: 0, shipping: 0, payment: 0, promotion: 0, checkout: 0 };
  session = null;
}

/** Follows the session a summary is about; a different session than before resets the versions. */
export function noteSession(sessionId: string | null): void {
  if (sessionId && session && sessionId !== session) resetVersions();
  if (sessionId) session = sessionId;
}

/** The components whose version in `have` is below what this customer's writes answered. */
export function behind(have: Versions): { component: Component; wanted: number }[] {
  return COMPONENTS.filter((c) => (have[c] ?? 0) < known[c]).map((c) => ({ component: c, wanted: known[c] }));
}

/** The query that makes GET /checkout/summary wait for every version this customer wrote. */
export function versionQuery(): string {
  const parts = COMPONENTS.filter((c) => known[c] > 0).map((c) => `${c}_version=${known[c]}`);
  return parts.join('&');
}
