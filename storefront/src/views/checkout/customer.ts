// Customer data: contact details and, optionally, a company invoice with its NIP (the invoice
// address starts as the delivery address). Field mistakes are shown at their fields.
import { ApiError, get, write } from '../../api';
import { h, uid } from '../../dom';
import { act, announce } from '../../ui';
import type { ShippingSelection, Summary, VersionedSummary } from '../../types';
import { currentSummary, offerSummary } from '../../summary-store';
import { drafts, flags, type CheckoutContext } from './context';
import { showFieldErrors, textField, type Field } from './fields';

export async function mountCustomer(section: HTMLElement, ctx: CheckoutContext): Promise<void> {
  section.append(h('h2', {}, '4. Twoje dane'));
  let summary: Summary | null = currentSummary().summary;
  if (!summary) summary = await get<Summary>('/checkout/summary').catch(() => null);
  const c = summary?.customer_data?.customer;
  const inv = summary?.customer_data?.invoice;
  const fields: Record<string, Field> = {
    'customer.first_name': textField('customer-first-name', 'Imię', { value: c?.first_name, autocomplete: 'given-name', required: true }),
    'customer.last_name': textField('customer-last-name', 'Nazwisko', { value: c?.last_name, autocomplete: 'family-name', required: true }),
    'customer.email': textField('customer-email', 'E-mail', { value: c?.email, autocomplete: 'email', type: 'email', required: true, hint: 'Wyślemy na niego potwierdzenie zamówienia.' }),
    'customer.phone': textField('customer-phone', 'Telefon', { value: c?.phone, autocomplete: 'tel', type: 'tel', required: true }),
    'invoice.company_name': textField('customer-company-name', 'Nazwa firmy', { value: inv?.company_name, autocomplete: 'organization', required: true }),
    'invoice.nip': textField('customer-nip', 'NIP', { value: inv?.nip, required: true, hint: '10 cyfr, np. 526-025-02-74', inputmode: 'numeric' }),
    'invoice.street': textField('invoice-street', 'Ulica', { value: inv?.street, required: true }),
    'invoice.building_number': textField('invoice-building-number', 'Numer domu', { value: inv?.building_number, required: true }),
    'invoice.apartment_number': textField('invoice-apartment', 'Numer lokalu', { value: inv?.apartment_number ?? '' }),
    'invoice.postal_code': textField('invoice-postal-code', 'Kod pocztowy', { value: inv?.postal_code, required: true, inputmode: 'numeric' }),
    'invoice.city': textField('invoice-city', 'Miejscowość', { value: inv?.city, required: true }),
  };
  const companyId = uid('company');
  const company = h('input', {
    type: 'checkbox', id: companyId, testid: 'invoice-company',
    checked: flags['invoice-company'] ?? inv?.type === 'company', 'aria-controls': `${companyId}-fields`,
  });
  const f = (k: string) => fields[k] as Field;
  const invoiceFields = h('fieldset', { id: `${companyId}-fields` },
    h('legend', {}, 'Dane do faktury'),
    h('div', { class: 'field-row' }, f('invoice.company_name').wrap, f('invoice.nip').wrap),
    h('div', { class: 'field-row' }, f('invoice.street').wrap, f('invoice.building_number').wrap, f('invoice.apartment_number').wrap),
    h('div', { class: 'field-row' }, f('invoice.postal_code').wrap, f('invoice.city').wrap));

  // The invoice address starts as the delivery address (only the fields still empty).
  const fillInvoiceAddress = async () => {
    const sel = await get<ShippingSelection>('/shipping/selection').catch(() => null);
    const a = sel?.address;
    if (!a) return;
    const put = (k: string, v: string | null) => {
      const fld = f(k);
      if (fld.input.value.trim() === '' && v) { fld.input.value = v; drafts[fld.input.name] = v; }
    };
    put('invoice.street', a.street);
    put('invoice.building_number', a.building_number);
    put('invoice.apartment_number', a.apartment_number);
    put('invoice.postal_code', a.postal_code);
    put('invoice.city', a.city);
  };
  const toggle = () => {
    invoiceFields.hidden = !company.checked;
    flags['invoice-company'] = company.checked;
    if (company.checked) void fillInvoiceAddress();
  };
  company.addEventListener('change', toggle);
  toggle();

  const save = h('button', { type: 'submit', testid: 'customer-save' }, 'Zapisz dane');
  const form = h('form', { novalidate: true },
    h('fieldset', {},
      h('legend', {}, 'Dane kontaktowe'),
      h('div', { class: 'field-row' }, f('customer.first_name').wrap, f('customer.last_name').wrap),
      h('div', { class: 'field-row' }, f('customer.email').wrap, f('customer.phone').wrap),
      h('div', { class: 'option' }, company, h('label', { for: companyId }, 'Chcę fakturę na firmę')),
      invoiceFields),
    save);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void act(save, async () => {
      const v = (k: string) => f(k).input.value.trim();
      if (company.checked) await fillInvoiceAddress();
      const body = {
        customer: { first_name: v('customer.first_name'), last_name: v('customer.last_name'), email: v('customer.email'), phone: v('customer.phone') },
        invoice: company.checked
          ? {
            type: 'company', company_name: v('invoice.company_name'), nip: v('invoice.nip'), street: v('invoice.street'),
            building_number: v('invoice.building_number'), apartment_number: v('invoice.apartment_number') || null,
            postal_code: v('invoice.postal_code'), city: v('invoice.city'), country_code: 'PL',
          }
          : null,
      };
      try {
        const answer = await write<VersionedSummary>('checkout', 'POST', '/checkout/customer-data', body, (a) => a.version);
        offerSummary(answer.summary);
      } catch (e) {
        if (e instanceof ApiError) showFieldErrors(fields, e.problem.errors, (x) => x);
        throw e;
      }
      showFieldErrors(fields, [], (x) => x);
      announce('Dane zapisane.');
      ctx.changed('checkout');
    });
  });
  section.append(form);
}
