// Consents: each text in force as the label of its checkbox; an answer is sent at once with the
// text's version.
import { get, write } from '../../api';
import { h, uid } from '../../dom';
import { act } from '../../ui';
import { focusKey, restoreFocus } from '../../focus';
import type { SessionConsent, Summary, VersionedSummary } from '../../types';
import { currentSummary, offerSummary, subscribeSummary } from '../../summary-store';
import type { CheckoutContext } from './context';

interface ConsentText { consent_id: string; required: boolean; text_version: string; title: string; text: string }

export async function mountConsents(section: HTMLElement, ctx: CheckoutContext): Promise<void> {
  section.append(h('h2', {}, '5. Zgody'));
  const texts = (await get<{ consents: ConsentText[] }>('/checkout/consents')).consents;
  const body = h('fieldset', {}, h('legend', {}, 'Zgody i oświadczenia'));
  section.append(body);
  let granted = new Map<string, boolean>();
  const render = () => {
    const key = focusKey(body);
    for (const el of [...body.children]) if (el.tagName !== 'LEGEND') el.remove();
    for (const t of texts) {
      const id = uid('consent');
      const input = h('input', {
        type: 'checkbox', id, checked: granted.get(`${t.consent_id}@${t.text_version}`) ?? false,
        testid: 'consent', 'data-consent-id': t.consent_id, required: t.required,
      });
      input.addEventListener('change', () => void act(input, async () => {
        const answer = await write<VersionedSummary>('checkout', 'POST', '/checkout/consents',
          { consents: [{ consent_id: t.consent_id, granted: input.checked, text_version: t.text_version }] }, (a) => a.version);
        granted.set(`${t.consent_id}@${t.text_version}`, input.checked);
        offerSummary(answer.summary);
        ctx.changed('checkout');
      }).then((ok) => { if (!ok) input.checked = !input.checked; }));
      body.append(h('div', { class: 'option consent' }, input,
        h('label', { for: id }, h('strong', {}, t.title), t.required ? ' (wymagana)' : ' (dobrowolna)', ': ', t.text)));
    }
    restoreFocus(body, key);
  };
  const fromSummary = (s: Summary | null) => {
    if (!s) return false;
    const next = new Map<string, boolean>();
    s.consents.forEach((c: SessionConsent) => next.set(`${c.consent_id}@${c.text_version}`, c.granted));
    const changed = [...next].some(([k, v]) => granted.get(k) !== v) || next.size !== granted.size;
    granted = next;
    return changed;
  };
  fromSummary(currentSummary().summary);
  render();
  const unsubscribe = subscribeSummary((st) => {
    if (!ctx.isCurrent()) { unsubscribe(); return; }
    if (!st.stale && fromSummary(st.summary) && !body.contains(document.activeElement)) render();
  });
}
