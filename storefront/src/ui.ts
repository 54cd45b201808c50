// The page's shared bits: the error area (role="alert", the problem's `detail` exactly as the
// service sent it), a polite status line for confirmations, and a runner for customer actions.
import { ApiError } from './api';

let errorEl: HTMLElement | null = null;
let statusEl: HTMLElement | null = null;

export function mountMessages(error: HTMLElement, status: HTMLElement): void {
  errorEl = error;
  statusEl = status;
}

export function showError(e: unknown): void {
  if (!errorEl) return;
  const text = e instanceof ApiError ? e.message : e instanceof Error ? e.message : String(e);
  const msg = errorEl.querySelector('.error-text');
  if (msg) msg.textContent = text;
  errorEl.hidden = false;
}

export function clearError(): void {
  if (!errorEl) return;
  errorEl.hidden = true;
  const msg = errorEl.querySelector('.error-text');
  if (msg) msg.textContent = '';
}

export function announce(text: string): void {
  if (statusEl) statusEl.textContent = text;
}

/**
 * Runs one customer action: clears the last error, disables the control while it runs, and shows
 * the service's problem if it fails. Answers whether it succeeded.
 */
export async function act(control: HTMLElement | null, fn: () => Promise<unknown>): Promise<boolean> {
  clearError();
  const c = control as (HTMLElement & { disabled?: boolean }) | null;
  const wasDisabled = c?.disabled ?? false;
  if (c && 'disabled' in c) c.disabled = true;
  c?.setAttribute('aria-busy', 'true');
  try {
    await fn();
    return true;
  } catch (e) {
    showError(e);
    return false;
  } finally {
    if (c && 'disabled' in c && c.isConnected) c.disabled = wasDisabled;
    c?.removeAttribute('aria-busy');
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
