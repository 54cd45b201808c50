// What the checkout's sections share: a way to tell the others that something changed (a new
// delivery method changes the payment methods and the services, and so on), form drafts that
// survive a re-render, and the BLIK code typed for finalize.
import type { Component } from '../../types';

export interface CheckoutContext {
  isCurrent: () => boolean;
  changed: (what: Component) => void;
  on: (what: Component | '*', fn: () => void) => void;
}

export function makeContext(isCurrent: () => boolean): CheckoutContext {
  const listeners: { what: Component | '*'; fn: () => void }[] = [];
  return {
    isCurrent,
    changed: (what) => {
      // The other services learn of a change from Kafka a moment later: their sections are
      // asked again at once and twice more shortly after.
      const fire = () => {
        for (const l of listeners) if ((l.what === what || l.what === '*') && isCurrent()) l.fn();
      };
      fire();
      window.setTimeout(fire, 800);
      window.setTimeout(fire, 2500);
    },
    on: (what, fn) => { listeners.push({ what, fn }); },
  };
}

/** Typed values of the forms, kept while the page lives (a re-render must not lose them). */
export const drafts: Record<string, string> = {};
export const flags: Record<string, boolean> = {};

export const payState = { blikCode: '', blikChosen: false };
