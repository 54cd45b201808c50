// The API client: same-origin calls through the gateway with the customer's token, JSON in and
// out, RFC 9457 problems turned into ApiError (whose message is the problem's `detail`, shown to
// the customer exactly as the service wrote it), and the per-session versions of every write.
import type { Component, Problem } from './types';
import { noteVersion } from './versions';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
    readonly retryAfterS: number | null,
  ) {
    super(problem.detail ?? problem.title ?? `Błąd ${status}`);
  }
  /** The problem's code: the last segment of its `type`. */
  get code(): string {
    const t = this.problem.type ?? '';
    return t.slice(t.lastIndexOf('/') + 1);
  }
}

const TOKEN_KEY = 'storefront.token';
const USER_KEY = 'storefront.user';
const GUEST_KEY = 'storefront.guest';

export interface Identity { token: string; userId: string; name: string | null; guest: boolean }

let identity: Identity | null = null;
const identityListeners: ((id: Identity) => void)[] = [];

export function currentIdentity(): Identity | null {
  return identity;
}

export function onIdentityChange(fn: (id: Identity) => void): void {
  identityListeners.push(fn);
}

function setIdentity(next: Identity): void {
  identity = next;
  localStorage.setItem(TOKEN_KEY, next.token);
  localStorage.setItem(USER_KEY, JSON.stringify({ userId: next.userId, name: next.name }));
  localStorage.setItem(GUEST_KEY, next.guest ? '1' : '0');
  for (const fn of identityListeners) fn(next);
}

/** The stored identity, or a new guest token (POST /auth/guest) when there is none. */
export async function ensureIdentity(): Promise<Identity> {
  if (identity) return identity;
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) {
    let user: { userId?: string; name?: string | null } = {};
    try {
      user = JSON.parse(localStorage.getItem(USER_KEY) ?? '{}') as typeof user;
    } catch {
      user = {};
    }
    identity = {
      token,
      userId: user.userId ?? '',
      name: user.name ?? null,
      guest: localStorage.getItem(GUEST_KEY) !== '0',
    };
    return identity;
  }
  return newGuest();
}

export async function newGuest(): Promise<Identity> {
  const answer = await send<{ token: string; user_id: string }>('POST', '/auth/guest', {}, { auth: false });
  const id: Identity = { token: answer.token, userId: answer.user_id, name: null, guest: true };
  setIdentity(id);
  return id;
}

/** Dev sign-in, then the guest's cart merged into the user's (POST /cart/merge with the new token). */
export async function signIn(user: string): Promise<Identity> {
  const before = await ensureIdentity();
  const answer = await send<{ token: string; user_id: string }>('POST', '/auth/sign-in', { user }, { auth: false });
  const id: Identity = { token: answer.token, userId: answer.user_id, name: user, guest: false };
  let mergeError: unknown = null;
  if (before.guest && before.token !== answer.token) {
    try {
      await send('POST', '/cart/merge', { guest_token: before.token }, { token: answer.token });
    } catch (e) {
      mergeError = e;
    }
  }
  setIdentity(id);
  if (mergeError) throw mergeError;
  return id;
}

export async function signOut(): Promise<Identity> {
  localStorage.removeItem(TOKEN_KEY);
  identity = null;
  return newGuest();
}

interface SendOptions {
  auth?: boolean;
  token?: string;
  idempotencyKey?: string;
  signal?: AbortSignal;
  retried?: boolean;
}

async function send<T>(method: string, path: string, body?: unknown, opts: SendOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.auth !== false) {
    const token = opts.token ?? (await ensureIdentity()).token;
    headers.Authorization = `Bearer ${token}`;
  }
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: opts.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, { detail: 'Brak połączenia ze sklepem. Sprawdź internet i spróbuj ponownie.' }, null);
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (response.status === 401 && opts.auth !== false && !opts.token && identity?.guest && !opts.retried) {
    // A guest token that no longer holds (expired, or the stack's key changed): a new guest.
    await newGuest();
    return send<T>(method, path, body, { ...opts, retried: true });
  }
  if (!response.ok) {
    const problem: Problem =
      parsed && typeof parsed === 'object' ? (parsed as Problem) : { status: response.status, detail: `Błąd ${response.status}` };
    const ra = response.headers.get('Retry-After');
    throw new ApiError(response.status, problem, ra !== null && /^\d+$/.test(ra) ? Number(ra) : null);
  }
  return parsed as T;
}

export function get<T>(path: string, opts: SendOptions = {}): Promise<T> {
  return send<T>('GET', path, undefined, opts);
}

/**
 * A write to one component: its answer's per-session version (at `versionOf`) is remembered so
 * that no summary older than this change is shown.
 */
export async function write<T>(
  component: Component,
  method: string,
  path: string,
  body: unknown,
  versionOf: (answer: T) => number | undefined,
  opts: SendOptions = {},
): Promise<T> {
  const answer = await send<T>(method, path, body, opts);
  const v = versionOf(answer);
  if (typeof v === 'number') noteVersion(component, v);
  return answer;
}

/** A request retried (same Idempotency-Key) on a lost connection or a 503/504, as Retry-After says. */
export async function sendWithRetries<T>(
  method: string,
  path: string,
  body: unknown,
  idempotencyKey: string,
  attempts = 3,
): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await send<T>(method, path, body, { idempotencyKey });
    } catch (e) {
      const retriable =
        e instanceof ApiError &&
        (e.status === 0 || e.status === 503 || e.status === 504 || e.code === 'idempotency_key_in_progress' || e.code === 'finalize_in_progress');
      if (!retriable || i >= attempts) throw e;
      const waitS = Math.min((e as ApiError).retryAfterS ?? i, 5);
      await new Promise((r) => setTimeout(r, waitS * 1000));
    }
  }
}

export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `k-${Date.now()}-${Math.random().toString(16).slice(2)}`;
}
