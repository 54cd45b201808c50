// Delivery: the methods (the others with the reasons they are unavailable), the address or parcel
// locker, the carrier's calendar (with a notice when it is stale) and the chosen day's addons
// (Sunday delivery is offered by the calendar only on Sundays).
import { ApiError, get, write } from '../../api';
import { h, clear, uid, type Child } from '../../dom';
import { act, announce } from '../../ui';
import { formatDay, formatMoney, plural } from '../../format';
import { focusKey, restoreFocus } from '../../focus';
import type { AvailableShipping, Calendar, CalendarDay, ShippingMethod, ShippingSelection } from '../../types';
import { currentSummary } from '../../summary-store';
import { drafts, type CheckoutContext } from './context';
import { showFieldErrors, textField, type Field } from './fields';

// Names and prices of the addons (services/shipping/config/delivery_rules.yaml); the calendar
// names only their ids, the selection carries the price actually charged.
const ADDONS: Record<string, { name: string; price: number }> = {
  sunday_delivery: { name: 'Dostawa w niedzielę', price: 2999 },
  saturday_delivery: { name: 'Dostawa w sobotę', price: 1999 },
  evening_delivery: { name: 'Dostawa wieczorem (18:00–22:00)', price: 1499 },
  call_before_delivery: { name: 'Telefon przed dostawą', price: 299 },
};

const DAY_REASONS: Record<string, string> = {
  holiday: 'święto',
  sunday: 'przewoźnik nie dostarcza w niedziele',
  saturday: 'przewoźnik nie dostarcza w soboty',
  full: 'brak wolnych terminów',
  not_served: 'przewoźnik nie obsługuje tego dnia twojego kodu pocztowego',
  too_soon: 'za wcześnie: zamówienie nie zdąży dotrzeć',
};

const DAYS_SHOWN = 21;

export async function mountDelivery(section: HTMLElement, ctx: CheckoutContext): Promise<void> {
  const body = h('div', {}, h('p', {}, 'Wczytywanie sposobów dostawy…'));
  section.append(h('h2', {}, '1. Dostawa'), body);
  const reload = async () => {
    const [available, selection] = await Promise.all([
      get<AvailableShipping>('/shipping/available'),
      get<ShippingSelection>('/shipping/selection'),
    ]);
    let calendar: Calendar | ApiError | null = null;
    const method = available.methods.find((m) => m.id === selection.method?.id);
    const postal = selection.address?.postal_code ?? null;
    if (method?.has_calendar && postal) {
      calendar = await get<Calendar>(`/shipping/calendar?method=${encodeURIComponent(method.id)}&postal_code=${encodeURIComponent(postal)}`)
        .catch((e: unknown) => (e instanceof ApiError ? e : null));
    }
    if (!ctx.isCurrent()) return;
    const key = focusKey(body);
    clear(body);
    body.append(h('div', {}, build(available, selection, method ?? null, calendar, ctx, () => void reload().catch(() => undefined))));
    restoreFocus(body, key);
  };
  ctx.on('cart', () => void reload().catch(() => undefined));
  await reload();
}

function estimate(m: ShippingMethod): string {
  const { min_working_days: a, max_working_days: b } = m.estimate;
  if (b === 0) return 'jeszcze dziś';
  const days = a === b ? `${a}` : `${a}–${b}`;
  return `dostawa w ${days} ${plural(b, 'dzień roboczy', 'dni robocze', 'dni roboczych')}`;
}

function build(
  available: AvailableShipping, selection: ShippingSelection, method: ShippingMethod | null,
  calendar: Calendar | ApiError | null, ctx: CheckoutContext, reload: () => void,
): Child[] {
  const name = 'delivery-method';
  const chosen = selection.method?.id ?? null;
  const methods = h('fieldset', {},
    h('legend', {}, 'Sposób dostawy'),
    available.methods.map((m) => {
      const id = uid('dm');
      const reasonId = m.available ? null : uid('dmr');
      const input = h('input', {
        type: 'radio', name, id, value: m.id, checked: m.id === chosen, disabled: !m.available,
        testid: 'delivery-method', 'data-method-id': m.id, 'aria-describedby': reasonId,
      });
      input.addEventListener('change', () => {
        if (!input.checked) return;
        void act(input, async () => {
          await write<ShippingSelection>('shipping', 'POST', '/shipping/select', { method: m.id }, (a) => a.version);
          announce(`Wybrano dostawę: ${m.name}`);
          reload();
          ctx.changed('shipping');
        }).then((ok) => { if (!ok) reload(); });
      });
      return h('div', { class: `option ${m.available ? '' : 'unavailable'}` },
        input,
        h('label', { for: id }, h('strong', {}, m.name), ' – ',
          h('span', { class: 'money' }, m.free || m.price.amount === 0 ? 'za darmo' : formatMoney(m.price.amount)),
          m.available ? `, ${estimate(m)}` : '',
          m.cash_on_delivery && m.available ? ', możliwa płatność przy odbiorze' : ''),
        reasonId ? h('span', { class: 'reason', id: reasonId, testid: 'delivery-unavailable-reason' },
          m.reasons.map((r) => r.message).join(' ')) : null);
    }));
  const summary = currentSummary().summary;
  const cleared = summary?.delivery.cleared;
  return [
    cleared && !chosen ? h('p', { class: 'notice' }, `Wybrany sposób dostawy nie jest już dostępny: ${cleared.message}`) : null,
    methods,
    method?.destination === 'address' ? addressForm(selection, ctx, reload) : null,
    method?.destination === 'parcel_locker' ? lockerForm(selection, ctx, reload) : null,
    method?.destination === 'store' ? h('p', { class: 'hint' }, 'Odbiór osobisty w sklepie: powiadomimy cię, gdy zamówienie będzie gotowe.') : null,
    method?.has_calendar ? calendarPart(method, selection, calendar, ctx, reload) : null,
  ];
}

function customerName(): { first: string; last: string } {
  const first = drafts['customer-first-name'] ?? currentSummary().summary?.customer_data?.customer.first_name ?? '';
  const last = drafts['customer-last-name'] ?? currentSummary().summary?.customer_data?.customer.last_name ?? '';
  return { first: first.trim(), last: last.trim() };
}

function nameFields(saved: { first_name: string; last_name: string } | null): Record<string, Field> {
  return {
    first_name: textField('address-first-name', 'Imię odbiorcy', { value: saved?.first_name, autocomplete: 'shipping given-name', required: true }),
    last_name: textField('address-last-name', 'Nazwisko odbiorcy', { value: saved?.last_name, autocomplete: 'shipping family-name', required: true }),
  };
}

function fillNames(fields: Record<string, Field>): { first_name: string; last_name: string } {
  const fallback = customerName();
  let first = fields.first_name?.input.value.trim() ?? '';
  let last = fields.last_name?.input.value.trim() ?? '';
  if (!first && fallback.first) { first = fallback.first; if (fields.first_name) fields.first_name.input.value = first; }
  if (!last && fallback.last) { last = fallback.last; if (fields.last_name) fields.last_name.input.value = last; }
  return { first_name: first, last_name: last };
}

function addressForm(selection: ShippingSelection, ctx: CheckoutContext, reload: () => void): HTMLElement {
  const a = selection.address;
  const fields: Record<string, Field> = {
    ...nameFields(a),
    street: textField('address-street', 'Ulica', { value: a?.street, autocomplete: 'shipping address-line1', required: true }),
    building_number: textField('address-house-number', 'Numer domu', { value: a?.building_number, required: true }),
    apartment_number: textField('address-apartment', 'Numer mieszkania', { value: a?.apartment_number ?? '' }),
    postal_code: textField('address-postal-code', 'Kod pocztowy', { value: a?.postal_code, autocomplete: 'shipping postal-code', required: true, hint: 'np. 00-950', inputmode: 'numeric' }),
    city: textField('address-city', 'Miejscowość', { value: a?.city, autocomplete: 'shipping address-level2', required: true }),
    phone: textField('address-phone', 'Telefon do kuriera', { value: a?.phone, autocomplete: 'shipping tel', type: 'tel', required: true, hint: 'np. 600 100 200' }),
  };
  const save = h('button', { type: 'submit', testid: 'address-save' }, 'Zapisz adres');
  const form = h('form', { class: 'address', novalidate: true },
    h('fieldset', {},
      h('legend', {}, 'Adres dostawy'),
      h('div', { class: 'field-row' }, fields.first_name?.wrap, fields.last_name?.wrap),
      h('div', { class: 'field-row' }, fields.street?.wrap, fields.building_number?.wrap, fields.apartment_number?.wrap),
      h('div', { class: 'field-row' }, fields.postal_code?.wrap, fields.city?.wrap),
      fields.phone?.wrap,
      a ? h('p', { class: 'hint ok' }, 'Adres zapisany.') : null,
      save));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void act(save, async () => {
      const names = fillNames(fields);
      const val = (k: string) => fields[k]?.input.value.trim() ?? '';
      try {
        await write<ShippingSelection>('shipping', 'POST', '/shipping/address', {
          address: {
            ...names, company_name: null, street: val('street'), building_number: val('building_number'),
            apartment_number: val('apartment_number') || null, postal_code: val('postal_code'), city: val('city'),
            country_code: 'PL', phone: val('phone'),
          },
        }, (x) => x.version);
      } catch (e) {
        if (e instanceof ApiError) showFieldErrors(fields, e.problem.errors, (f) => f.replace(/^address\./, ''));
        throw e;
      }
      announce('Adres dostawy zapisany.');
      reload();
      ctx.changed('shipping');
    });
  });
  return form;
}

function lockerForm(selection: ShippingSelection, ctx: CheckoutContext, reload: () => void): HTMLElement {
  const l = selection.parcel_locker;
  const fields: Record<string, Field> = {
    locker_id: textField('parcel-locker', 'Kod paczkomatu', { value: l?.locker_id, required: true, hint: 'np. WAW01M (znajdziesz go na mapie paczkomatów)' }),
    ...nameFields(l),
    phone: textField('address-phone', 'Telefon (dostaniesz SMS z kodem odbioru)', { value: l?.phone, type: 'tel', autocomplete: 'tel', required: true }),
  };
  const save = h('button', { type: 'submit', testid: 'parcel-locker-save' }, 'Zapisz paczkomat');
  const form = h('form', { class: 'locker', novalidate: true },
    h('fieldset', {},
      h('legend', {}, 'Paczkomat'),
      fields.locker_id?.wrap,
      h('div', { class: 'field-row' }, fields.first_name?.wrap, fields.last_name?.wrap),
      fields.phone?.wrap,
      l ? h('p', { class: 'hint ok' }, `Paczkomat ${l.locker_id} zapisany.`) : null,
      save));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void act(save, async () => {
      const names = fillNames(fields);
      let phone = fields.phone?.input.value.trim() ?? '';
      if (!phone) {
        phone = (drafts['customer-phone'] ?? currentSummary().summary?.customer_data?.customer.phone ?? '').trim();
        if (fields.phone) fields.phone.input.value = phone;
      }
      try {
        await write<ShippingSelection>('shipping', 'POST', '/shipping/address', {
          parcel_locker: { locker_id: (fields.locker_id?.input.value ?? '').trim().toUpperCase(), ...names, phone },
        }, (x) => x.version);
      } catch (e) {
        if (e instanceof ApiError) showFieldErrors(fields, e.problem.errors, (f) => f.replace(/^parcel_locker\./, ''));
        throw e;
      }
      announce('Paczkomat zapisany.');
      reload();
      ctx.changed('shipping');
    });
  });
  return form;
}

function calendarPart(
  method: ShippingMethod, selection: ShippingSelection, calendar: Calendar | ApiError | null,
  ctx: CheckoutContext, reload: () => void,
): HTMLElement {
  const wrap = h('div', { class: 'calendar' });
  if (!selection.address) {
    wrap.append(h('p', { class: 'hint' }, 'Podaj adres dostawy, aby zobaczyć dostępne dni dostawy.'));
    return wrap;
  }
  if (calendar instanceof ApiError) {
    wrap.append(h('p', { class: 'notice' }, `Nie możemy teraz pobrać kalendarza przewoźnika: ${calendar.message}`));
    return wrap;
  }
  if (!calendar) return wrap;
  const chosenDate = selection.delivery?.date ?? null;
  const chosenAddons = new Set(selection.addons.map((a) => a.id));
  const setDate = async (date: string, addons: string[]) => {
    await write<ShippingSelection>('shipping', 'POST', '/shipping/set-date', { date, addons }, (x) => x.version);
    reload();
    ctx.changed('shipping');
  };
  if (calendar.stale) {
    const minutes = Math.max(1, Math.round(calendar.age_seconds / 60));
    wrap.append(h('p', { class: 'notice', testid: 'calendar-stale', role: 'status' },
      `Kalendarz przewoźnika jest chwilowo niedostępny. Pokazujemy terminy sprzed ${minutes} ${plural(minutes, 'minuty', 'minut', 'minut')}; `
      + 'wybrany dzień potwierdzimy, gdy przewoźnik znów odpowie.'));
  }
  const days = calendar.days.slice(0, DAYS_SHOWN);
  const dayInput = (d: CalendarDay) => {
    const id = uid('day');
    const reason = d.available ? null : [d.holiday ? `święto: ${d.holiday}` : null, d.reason && !d.holiday ? DAY_REASONS[d.reason] ?? d.reason : null].filter(Boolean).join(', ');
    const reasonId = reason ? uid('dayr') : null;
    const input = h('input', {
      type: 'radio', name: 'delivery-day', id, value: d.date, checked: d.date === chosenDate, disabled: !d.available,
      testid: 'delivery-day', 'data-date': d.date, 'aria-describedby': reasonId,
    });
    input.addEventListener('change', () => {
      if (!input.checked) return;
      // Addons still allowed on the new day stay chosen.
      const keep = [...chosenAddons].filter((a) => d.addons.includes(a));
      void act(input, async () => { await setDate(d.date, keep); announce(`Dzień dostawy: ${formatDay(d.date)}`); })
        .then((ok) => { if (!ok) reload(); });
    });
    return h('div', { class: `option ${d.available ? '' : 'unavailable'}` },
      input, h('label', { for: id }, formatDay(d.date)),
      reasonId ? h('span', { class: 'reason', id: reasonId }, reason ?? '') : null);
  };
  wrap.append(h('fieldset', {},
    h('legend', {}, `Dzień dostawy (${method.name}, kod ${calendar.postal_code})`),
    h('div', { class: 'days' }, days.map(dayInput))));

  const day = days.find((d) => d.date === chosenDate) ?? calendar.days.find((d) => d.date === chosenDate);
  if (day && day.addons.length > 0) {
    wrap.append(h('fieldset', {},
      h('legend', {}, `Dodatki do dostawy (${formatDay(day.date)})`),
      day.addons.map((addonId) => {
        const id = uid('addon');
        const known = ADDONS[addonId];
        const charged = selection.addons.find((a) => a.id === addonId);
        const input = h('input', {
          type: 'checkbox', id, checked: chosenAddons.has(addonId), testid: 'addon', 'data-addon-id': addonId,
        });
        input.addEventListener('change', () => {
          const next = new Set(chosenAddons);
          if (input.checked) next.add(addonId); else next.delete(addonId);
          void act(input, () => setDate(day.date, [...next])).then((ok) => { if (!ok) reload(); });
        });
        const price = charged?.price.amount ?? known?.price;
        return h('div', { class: 'option' }, input,
          h('label', { for: id }, charged?.name ?? known?.name ?? addonId,
            price !== undefined ? [' – ', h('span', { class: 'money' }, formatMoney(price))] : null));
      })));
  } else if (!day) {
    wrap.append(h('p', { class: 'hint' }, 'Wybierz dzień dostawy, aby zobaczyć dodatki (np. dostawę w niedzielę, gdy wybierzesz niedzielę).'));
  }
  return wrap;
}
