// What every scenario does with the page: steps with a screenshot and an axe-core check each,
// the storefront's selectors (storefront/TESTIDS.md) and the shopper's moves through them, and the
// final check of the page's totals against the order row in PostgreSQL.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { eventually, ROOT } from './stack.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
export const VIEWPORT = { width: 1280, height: 900 };
// An effect that crosses a service or two (a cart change reaching the Checkout's summary, a
// gateway's notification reaching the order): generous, the machine is shared.
export const SOON = 90_000;

export const tid = (id) => `[data-testid="${id}"]`;

// "1 234,56 zł" as the page writes a whole number of grosze (non-breaking spaces allowed).
export function money(text) {
  const digits = text.replace(/[\s\u00a0\u202f]|zł/g, '');
  const match = /^(-?\d+),(\d{2})$/.exec(digits);
  if (!match) throw new Error(`not Polish money: ${JSON.stringify(text)}`);
  const sign = match[1].startsWith('-') ? -1 : 1;
  return sign * (Math.abs(Number(match[1])) * 100 + Number(match[2]));
}

// The width and height of a PNG (its IHDR chunk).
export function pngSize(file) {
  const data = fs.readFileSync(file);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (data.length < 24 || !data.subarray(0, 8).equals(signature) || data.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error(`${file} is not a PNG`);
  }
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

export class Scenario {
  constructor({ name, stack, browser, outDir, log }) {
    this.name = name;
    this.stack = stack;
    this.browser = browser;
    this.dir = path.join(outDir, name);
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.mkdirSync(this.dir, { recursive: true });
    this.steps = 0;
    this.violations = [];
    this.bugs = [];
    this.consoleErrors = [];
    this.log = log;
    this.contexts = [];
  }

  get base() { return this.stack.gatewayUrl; }

  // A fresh browser profile (its own localStorage: its own guest).
  async newPage() {
    const context = await this.browser.newContext({ viewport: VIEWPORT, locale: 'pl-PL', timezoneId: 'Europe/Warsaw' });
    context.setDefaultTimeout(30_000);
    this.contexts.push(context);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => this.consoleErrors.push(`${page.url()}: uncaught ${error.message}`));
    // Every address the tab went to (the gateway's redirect back is replaced by the page at once).
    page.visited = [];
    page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) page.visited.push(frame.url()); });
    return page;
  }

  async close() {
    for (const context of this.contexts) await context.close().catch(() => {});
  }

  // One step: a screenshot NN-<label>.png, and axe-core over the page (violations of impact
  // serious or critical collected, failing the scenario at its end). `axe: false` for pages that
  // are not the storefront's (a gateway simulator's payment page).
  async step(page, label, { axe = true } = {}) {
    this.steps += 1;
    const file = path.join(this.dir, `${String(this.steps).padStart(2, '0')}-${label}.png`);
    // Let the page settle (pending fetches and re-renders) before the picture.
    await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {});
    await page.screenshot({ path: file });
    if (axe) await this.axe(page, label);
    return file;
  }

  async axe(page, label) {
    await page.addScriptTag({ path: AXE });
    const result = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const run = await axe.run(document, { resultTypes: ['violations'] });
      return run.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ')}`),
      }));
    });
    for (const violation of result) {
      if (violation.impact === 'serious' || violation.impact === 'critical') {
        this.violations.push({ step: label, ...violation });
      }
    }
  }

  // A wrong thing the page showed that does not stop the customer: the scenario goes on and
  // fails at its end (finish()).
  bug(message) {
    if (!this.bugs.includes(message)) this.bugs.push(message);
  }

  // Fails the scenario if the page showed a bug or axe found serious or critical violations.
  finish() {
    const problems = [];
    if (this.bugs.length) problems.push(`the page went wrong:\n${this.bugs.map((b) => `  - ${b}`).join('\n')}`);
    try { this.assertAccessible(); } catch (error) { problems.push(error.message); }
    if (problems.length) assert.fail(problems.join('\n'));
  }

  assertAccessible() {
    if (this.violations.length === 0) return;
    const lines = this.violations.map((v) => `  step ${v.step}: [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `      ${n}`).join('\n')}`);
    assert.fail(`axe-core found ${this.violations.length} serious or critical violation(s):\n${lines.join('\n')}`);
  }
}

// ---- The shopper's moves (selectors of storefront/TESTIDS.md) ----

export async function openStore(scenario, page) {
  await page.goto(`${scenario.base}/`);
  await page.locator(tid('current-user')).waitFor();
  // The guest token arrives from POST /auth/guest; the product list shows after it.
  await page.locator(tid('product')).first().waitFor({ timeout: 60_000 });
}

export async function currentUser(page) {
  return (await page.locator(tid('current-user')).innerText()).trim();
}

export async function goTo(page, nav, hash) {
  await page.locator(tid(nav)).click();
  await page.waitForFunction((h) => location.hash === h || location.hash.startsWith(`${h}/`) || location.hash.startsWith(`${h}?`), hash);
}

export async function cartCount(page) {
  const text = (await page.locator(tid('cart-count')).innerText()).trim();
  return Number(text.replace(/\D/g, '') || '0');
}

// Finds the product on the product list (searching for its SKU when the list has a search box)
// and adds it to the cart `times` times, waiting each time for the header's count to grow.
export async function addProduct(page, sku, times = 1) {
  if (!(await page.evaluate(() => location.hash === '' || location.hash === '#/'))) await goTo(page, 'nav-products', '#/');
  const product = page.locator(`${tid('product')}[data-sku="${sku}"]`);
  await page.locator(tid('search')).fill(sku);
  await product.waitFor();
  for (let i = 0; i < times; i += 1) {
    const before = await cartCount(page);
    await product.locator(tid('add-to-cart')).click();
    const grew = await eventually(async () => (await cartCount(page)) > before, SOON, 200);
    assert.ok(grew, `the cart count did not grow after adding ${sku} (still ${before})`);
  }
  return product;
}

export async function cartLines(page) {
  const lines = page.locator(tid('cart-line'));
  const out = [];
  for (const line of await lines.all()) {
    out.push({
      sku: await line.getAttribute('data-sku'),
      itemId: await line.getAttribute('data-item-id'),
      quantity: Number(await line.locator(tid('line-quantity')).inputValue()),
    });
  }
  return out;
}

// Reads every total of the summary: {"total-lines": grosze, ...}.
export async function summaryTotals(page) {
  const summary = page.locator(tid('summary'));
  await summary.waitFor();
  // "przeliczanie…": the newest summary does not include the last change yet.
  const current = await eventually(async () => !(await page.locator(tid('summary-recalculating')).isVisible()), SOON, 200);
  assert.ok(current, 'the summary stayed "recalculating"');
  const totals = {};
  for (const element of await summary.locator('[data-grosze]').all()) {
    const id = await element.getAttribute('data-testid');
    if (id) totals[id] = Number(await element.getAttribute('data-grosze'));
  }
  assert.ok(Number.isSafeInteger(totals['total-grand']), `no total-grand in the summary: ${JSON.stringify(totals)}`);
  return totals;
}

const ADDRESS = {
  'address-first-name': 'Anna',
  'address-last-name': 'Kowalska',
  'address-street': 'ul. Marszałkowska',
  'address-house-number': '84',
  'address-apartment': '12',
  'address-postal-code': '00-514',
  'address-city': 'Warszawa',
  'address-phone': '600 100 200',
};
const CUSTOMER = {
  'customer-first-name': 'Anna',
  'customer-last-name': 'Kowalska',
  'customer-email': 'anna.kowalska@example.pl',
  'customer-phone': '600 100 200',
};

async function fill(page, fields) {
  for (const [id, value] of Object.entries(fields)) await page.locator(tid(id)).fill(value);
}

// Waits until the request the page makes for `urlPart` answered (any status).
function answered(page, urlPart, method = 'POST') {
  return page.waitForResponse((r) => r.url().includes(urlPart) && r.request().method() === method, { timeout: SOON });
}

// The delivery part: courier, the address, the first day the page offers.
export async function chooseCourier(scenario, page) {
  const courier = page.locator(`${tid('delivery-method')}[data-method-id="courier"]`);
  await courier.waitFor({ timeout: SOON });
  await eventually(async () => !(await courier.isDisabled()), SOON, 250);
  await Promise.all([answered(page, '/shipping/select'), courier.click()]);
  await fill(page, ADDRESS);
  await Promise.all([answered(page, '/shipping/address'), page.locator(tid('address-save')).click()]);
  const enabled = page.locator(`${tid('delivery-day')}:not([disabled])`);
  await enabled.first().waitFor({ timeout: SOON });
  // The first days the calendar offers may be before what the order-time cut-off allows: the
  // Shipping refuses them (422, shown in the error alert), as a customer would see, and the next
  // day is tried.
  const dates = [];
  for (const day of await enabled.all()) dates.push(await day.getAttribute('data-date'));
  const refused = [];
  for (const date of dates) {
    const day = page.locator(`${tid('delivery-day')}[data-date="${date}"]`);
    const [answer] = await Promise.all([answered(page, '/shipping/set-date'), day.click()]);
    if (answer.ok()) return date;
    refused.push(`${date}: ${answer.status()}`);
    await dismissError(page);
  }
  assert.fail(`the Shipping refused every day the page offered: ${refused.join(', ')}`);
}

// Closes the error alert if one is shown.
export async function dismissError(page) {
  const alert = page.locator(tid('error'));
  if (await alert.isVisible()) {
    await alert.getByRole('button').first().click().catch(() => {});
  }
}

export async function choosePayment(page, methodId) {
  const method = page.locator(`${tid('payment-method')}[data-method-id="${methodId}"]`);
  await method.waitFor({ timeout: SOON });
  await eventually(async () => !(await method.isDisabled()), SOON, 250);
  await Promise.all([answered(page, '/payment/select'), method.click()]);
}

export async function giveCustomerData(page) {
  await fill(page, CUSTOMER);
  await Promise.all([answered(page, '/checkout/customer-data'), page.locator(tid('customer-save')).click()]);
}

// The required consents ticked (the optional ones left alone). Each tick is sent at once. A box
// that the Checkout answered as granted but that the page then shows unticked is a bug of the
// page: recorded (the scenario fails at its end) and the checkout goes on, so that the rest is
// still checked.
export async function giveConsents(scenario, page) {
  const ids = [];
  for (const consent of await page.locator(`${tid('consent')}[required]`).all()) ids.push(await consent.getAttribute('data-consent-id'));
  assert.ok(ids.length > 0, 'no required consent on the page');
  for (const id of ids) {
    const box = page.locator(`${tid('consent')}[data-consent-id="${id}"]`);
    if (await box.isChecked()) continue;
    const [answer] = await Promise.all([answered(page, '/checkout/consents'), box.click()]);
    assert.ok(answer.ok(), `POST /checkout/consents answered ${answer.status()}: ${await answer.text()}`);
    const granted = ((await answer.json()).summary?.consents ?? []).some((c) => c.consent_id === id && c.granted);
    assert.ok(granted, `the Checkout did not record the consent ${id} as granted`);
    const stays = await eventually(async () => {
      await page.waitForTimeout(300);
      return box.isChecked();
    }, 1500, 0);
    if (!stays) scenario.bug(`the consent box ${id} shows unticked after the Checkout answered it granted (storefront/src/views/checkout/consents.ts: act(...).then(r => r === undefined && flip) flips it back on success, since the action returns nothing)`);
  }
}

// Waits for `finalize` to become enabled; fails with the page's readiness text otherwise.
export async function waitReady(page) {
  const finalize = page.locator(tid('finalize'));
  const ready = await eventually(async () => finalize.isEnabled(), SOON, 250);
  if (!ready) {
    const readiness = await page.locator(tid('readiness')).innerText().catch(() => '(no readiness)');
    const errors = await page.locator(tid('error')).allInnerTexts().catch(() => []);
    assert.fail(`finalize never became enabled; readiness: ${readiness}; errors: ${errors.join(' | ')}`);
  }
}

// The gateway simulator's page: presses the button labelled `label` ("Zapłać", "Odrzuć płatność",
// "Anuluj") once the browser is there.
export async function onGatewayPage(scenario, page, simulator, label, stepName) {
  const port = scenario.stack.ports[simulator];
  await page.waitForURL((url) => url.port === String(port), { timeout: SOON });
  await page.getByRole('button', { name: label, exact: true }).waitFor();
  await scenario.step(page, stepName, { axe: false });
  await page.getByRole('button', { name: label, exact: true }).click();
}

export function orderIdFromUrl(page) {
  const match = /#\/orders\/([^/?#]+)/.exec(page.url());
  return match ? decodeURIComponent(match[1]) : null;
}

// Waits until the page is back on the storefront showing an order; returns its id.
export async function backOnOrderPage(scenario, page) {
  await page.waitForURL((url) => url.port === String(scenario.stack.ports.gateway) && /#\/orders\/.+/.test(url.hash), { timeout: SOON });
  await page.locator(tid('order-status')).waitFor({ timeout: SOON });
  return orderIdFromUrl(page);
}

export async function waitOrderStatus(page, status) {
  const element = page.locator(tid('order-status'));
  const seen = await eventually(async () => (await element.getAttribute('data-status')) === status, SOON, 500);
  if (!seen) assert.fail(`the order page never showed status ${status} (it shows ${await element.getAttribute('data-status').catch(() => '?')})`);
}

// The totals the page showed against the order row of the Checkout's schema, to the grosz.
export async function assertOrderMatches(scenario, page, orderId, totals, status) {
  const row = await eventually(() => scenario.stack.order(orderId), SOON, 500);
  assert.ok(row, `no order ${orderId} in ${scenario.stack.checkoutSchema}.orders`);
  assert.equal(Number(row.grand_total), totals['total-grand'], `the order's grand_total in PostgreSQL against the page's total-grand`);
  assert.equal(row.currency, 'PLN');
  if (status) {
    const settled = await eventually(() => scenario.stack.order(orderId)?.status === status, SOON, 500);
    assert.ok(settled, `order ${orderId} is ${scenario.stack.order(orderId)?.status} in PostgreSQL, not ${status}`);
  }
  const docTotals = row.document?.totals ?? {};
  const pairs = {
    'total-lines': 'lines_total', 'total-warranties': 'warranties_total', 'total-services': 'services_total',
    'total-shipping': 'shipping_total', 'total-payment-fee': 'payment_fee', 'total-discount': 'discount_total', 'total-grand': 'grand_total',
  };
  for (const [testid, field] of Object.entries(pairs)) {
    if (!(testid in totals) || !(field in docTotals)) continue;
    assert.equal(Number(docTotals[field].amount ?? docTotals[field]), totals[testid], `the order document's totals.${field} against the page's ${testid}`);
  }
  const shown = Number(await page.locator(tid('order-total')).getAttribute('data-grosze'));
  assert.equal(shown, totals['total-grand'], `the order page's order-total against the summary's total-grand`);
  return row;
}

// `docs/storefront.png`: written from `file` with UPDATE_SCREENSHOTS=1; otherwise it must exist
// and be a PNG of the fresh screenshot's size.
export function checkReadmeScreenshot(file) {
  const target = path.join(ROOT, 'docs', 'storefront.png');
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(file, target);
    return `docs/storefront.png written from ${path.relative(ROOT, file)}`;
  }
  assert.ok(fs.existsSync(target), 'docs/storefront.png is missing: run the browser tests once with UPDATE_SCREENSHOTS=1');
  assert.deepEqual(pngSize(target), pngSize(file), 'docs/storefront.png is not the size of a fresh screenshot: run with UPDATE_SCREENSHOTS=1');
  return null;
}
