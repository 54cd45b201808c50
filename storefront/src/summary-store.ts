// The checkout summary, kept live: the Checkout's Server-Sent Events stream read with fetch (an
// EventSource cannot send the Authorization header), reconnected after errors, and summaries
// fetched after the customer's own writes with `<component>_version=N&wait_ms=2000`. A summary
// that includes less than the customer's last change is never shown as current: subscribers get
// it with `stale: true` and show "przeliczanie…" instead of its totals.
import { ApiError, currentIdentity, ensureIdentity, get, onIdentityChange } from './api';
import type { Summary } from './types';
import { behind, noteSession, onVersionNoted, resetVersions, versionQuery } from './versions';

export interface SummaryState { summary: Summary | null; stale: boolean; connected: boolean }

let latest: Summary | null = null;
let connected = false;
const subscribers = new Set<(s: SummaryState) => void>();

function state(): SummaryState {
  return { summary: latest, stale: latest ? behind(latest.versions).length > 0 : false, connected };
}

function publish(): void {
  const s = state();
  for (const fn of subscribers) fn(s);
}

/** Takes a summary from any source; an older one than the one held (per version) is dropped. */
export function offerSummary(summary: Summary): void {
  noteSession(summary.session_id);
  if (latest && latest.session_id === summary.session_id && summary.session_id !== null) {
    const v = summary.versions;
    const l = latest.versions;
    const older = (Object.keys(v) as (keyof typeof v)[]).some((k) => v[k] < l[k]);
    const newer = (Object.keys(v) as (keyof typeof v)[]).some((k) => v[k] > l[k]);
    if (older && !newer) return;
  }
  latest = summary;
  publish();
}

export function subscribeSummary(fn: (s: SummaryState) => void): () => void {
  subscribers.add(fn);
  fn(state());
  return () => subscribers.delete(fn);
}

export function currentSummary(): SummaryState {
  return state();
}

let refreshTimer: number | undefined;
/** Asks for the summary that includes the customer's writes (debounced a little). */
export function refreshSummary(): void {
  if (refreshTimer !== undefined) window.clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(() => {
    refreshTimer = undefined;
    const q = versionQuery();
    get<Summary>(`/checkout/summary${q ? `?${q}&wait_ms=2000` : ''}`)
      .then(offerSummary)
      .catch(() => {
        /* the stream brings it later */
      });
  }, 50);
}

// Every write's version makes the held summary stale until a newer one arrives.
onVersionNoted(() => {
  publish();
  refreshSummary();
});

let controller: AbortController | null = null;
let retryMs = 1000;

/** Starts (or restarts, for a new identity) the summary stream. */
export function startSummaryStream(): void {
  controller?.abort();
  const mine = new AbortController();
  controller = mine;
  void runStream(mine);
}

onIdentityChange(() => {
  resetVersions();
  latest = null;
  publish();
  startSummaryStream();
});

async function runStream(mine: AbortController): Promise<void> {
  let failures = 0;
  while (!mine.signal.aborted) {
    try {
      const id = currentIdentity() ?? (await ensureIdentity());
      const response = await fetch('/checkout/summary/stream', {
        headers: { Authorization: `Bearer ${id.token}`, Accept: 'text/event-stream' },
        signal: mine.signal,
        cache: 'no-store',
      });
      if (!response.ok || !response.body) {
        const ra = Number(response.headers.get('Retry-After'));
        throw new StreamError(Number.isFinite(ra) && ra > 0 ? ra * 1000 : null);
      }
      connected = true;
      failures = 0;
      publish();
      await readEvents(response.body, mine.signal);
    } catch (e) {
      if (mine.signal.aborted) return;
      failures += 1;
      if (e instanceof StreamError && e.waitMs) retryMs = Math.max(retryMs, e.waitMs);
    }
    connected = false;
    publish();
    if (mine.signal.aborted) return;
    // Reconnect after `retry` (1 s from the service), backing off while it keeps failing.
    const wait = Math.min(retryMs * Math.max(1, failures), 10000);
    await new Promise((r) => setTimeout(r, wait));
    // The summary may have moved while we were away.
    refreshSummary();
  }
}

class StreamError extends Error {
  constructor(readonly waitMs: number | null) {
    super('stream');
  }
}

/** Parses the event-stream text: `event:`, `data:`, `id:`, `retry:` lines; a blank line ends an event. */
async function readEvents(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let event = '';
  let data: string[] = [];
  const onAbort = () => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', onAbort);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
        if (line === '') {
          if (data.length > 0 && (event === '' || event === 'summary')) dispatch(data.join('\n'));
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue; // a comment (keep-alive)
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        let val = colon < 0 ? '' : line.slice(colon + 1);
        if (val.startsWith(' ')) val = val.slice(1);
        if (field === 'event') event = val;
        else if (field === 'data') data.push(val);
        else if (field === 'retry' && /^\d+$/.test(val)) retryMs = Number(val);
      }
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function dispatch(json: string): void {
  try {
    offerSummary(JSON.parse(json) as Summary);
  } catch {
    /* a broken event: the next one replaces it */
  }
}

export { ApiError };
