// Labelled form fields with their own error messages (the problem's `errors`, per field).
import { h, uid } from '../../dom';
import { drafts } from './context';

export interface Field { wrap: HTMLElement; input: HTMLInputElement; setError: (msg: string | null) => void }

export function textField(
  testid: string, label: string,
  opts: { value?: string | null; autocomplete?: string; type?: string; required?: boolean; hint?: string; inputmode?: string; pattern?: string } = {},
): Field {
  const id = uid(testid);
  const errId = `${id}-err`;
  const hintId = opts.hint ? `${id}-hint` : null;
  const initial = drafts[testid] ?? opts.value ?? '';
  const input = h('input', {
    id, name: testid, testid, type: opts.type ?? 'text', value: initial, autocomplete: opts.autocomplete,
    required: opts.required, inputmode: opts.inputmode, 'aria-describedby': hintId,
  });
  input.addEventListener('input', () => { drafts[testid] = input.value; });
  const err = h('span', { class: 'field-error', id: errId, hidden: true });
  const wrap = h('div', { class: 'field' },
    h('label', { for: id }, label, opts.required ? h('span', { 'aria-hidden': 'true' }, ' *') : null),
    input,
    hintId ? h('span', { class: 'hint', id: hintId }, opts.hint ?? '') : null,
    err);
  return {
    wrap,
    input,
    setError: (msg) => {
      err.textContent = msg ?? '';
      err.hidden = !msg;
      if (msg) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
      } else {
        input.removeAttribute('aria-invalid');
        if (hintId) input.setAttribute('aria-describedby', hintId); else input.removeAttribute('aria-describedby');
      }
    },
  };
}

/** Shows the problem's per-field errors on the fields named (`fieldFor` maps its field path). */
export function showFieldErrors(fields: Record<string, Field>, errors: { field: string; detail: string }[] | undefined, fieldFor: (f: string) => string): void {
  for (const f of Object.values(fields)) f.setError(null);
  for (const e of errors ?? []) {
    const f = fields[fieldFor(e.field)];
    if (f) f.setError(e.detail);
  }
}
