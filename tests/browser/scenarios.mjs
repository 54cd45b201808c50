// The scenarios: each is a customer's session in the browser, a screenshot and an axe-core check
// at every step, the totals the page showed checked against the order in PostgreSQL at the end.
// Every scenario uses products of the sample catalog (the page lists that catalog, built in) that
// no other test of the repository uses, and no two scenarios share one: stock and prices stay
// theirs. A scenario answers a string to be reported as skipped (a part not landed yet).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, eventually } from './stack.mjs';
import {
  tid, SOON, money, openStore, currentUser, goTo, cartCount, addProduct, cartLines, summaryTotals,
  chooseCourier, choosePayment, giveCustomerData, giveConsents, waitReady, onGatewayPage,
  backOnOrderPage, waitOrderStatus, assertOrderMatches, checkReadmeScreenshot, orderIdFromUrl,
} from './lib.mjs';

const run = promisify(execFile);
const CATALOG = new Map(
  fs.readFileSync(path.join(ROOT, 'tools/catalog/sample_catalog.jsonl'), 'utf8')
    .split('\n').filter(Boolean).map((line) => [JSON.parse(line).sku, JSON.parse(line)]),
);
const price = (sku) => CATALOG.get(sku).price;

// The summary's parts add up to its grand total (a discount shown as a positive amount taken off).
function assertTotalsAddUp(totals, expectedLines) {
  const part = (id) => totals[id] ?? 0;
  assert.equal(part('total-lines'), expectedLines, `the lines total against the catalog prices: ${JSON.stringify(totals)}`);
  const sum = part('total-lines') + part('total-warranties') + part('total-services') + part('total-shipping')
    + part('total-payment-fee') - Math.abs(part('total-discount'));
  assert.equal(totals['total-grand'], sum, `the summary's parts do not add up to its grand total: ${JSON.stringify(totals)}`);
}

// Products into the cart, then the checkout page filled up to a ready summary; returns the totals
// shown just before finalize. `items`: [[sku, quantity], ...].
async function fillCheckout(s, page, items, paymentMethod) {
  await openStore(s, page);
  await s.step(page, 'products');
  for (const [sku, quantity] of items) await addProduct(page, sku, quantity);
  await s.step(page, 'added');
  await goTo(page, 'nav-cart', '#/cart');
  await eventually(async () => (await cartLines(page)).length === items.length, SOON, 250);
  const lines = await cartLines(page);
  for (const [sku, quantity] of items) {
    assert.deepEqual(lines.filter((l) => l.sku === sku).map((l) => l.quantity), [quantity], `cart line of ${sku}: ${JSON.stringify(lines)}`);
  }
  await s.step(page, 'cart');
  await goTo(page, 'nav-checkout', '#/checkout');
  await chooseCourier(s, page);
  await s.step(page, 'delivery');
  await choosePayment(page, paymentMethod);
  await s.step(page, 'payment');
  await giveCustomerData(page);
  await giveConsents(s, page);
  await waitReady(page);
  await s.step(page, 'ready');
  const totals = await summaryTotals(page);
  assertTotalsAddUp(totals, items.reduce((sum, [sku, quantity]) => sum + price(sku) * quantity, 0));
  return totals;
}

// The gateway sent the browser back to the storefront's /?payment=<transaction_id>.
function assertCameBack(s, page) {
  const back = new RegExp(`^${s.base.replace(/[.]/g, '\\.')}/\\?payment=[^&#]+`);
  assert.ok(page.visited.some((url) => back.test(url)), `the browser never came back to ${s.base}/?payment=<transaction_id>: ${page.visited.join(' → ')}`);
}

// A whole checkout paid on a gateway simulator's page.
function paidOnline({ items, method, simulator }) {
  return {
    async run(s) {
      const page = await s.newPage();
      const totals = await fillCheckout(s, page, items, method);
      await page.locator(tid('finalize')).click();
      await onGatewayPage(s, page, simulator, 'Zapłać', `${simulator}-page`);
      const orderId = await backOnOrderPage(s, page);
      assertCameBack(s, page);
      await waitOrderStatus(page, 'paid');
      await s.step(page, 'order-paid');
      const row = await assertOrderMatches(s, page, orderId, totals, 'paid');
      assert.equal(row.online, true);
      assert.equal(row.payment_method_id, method);
      assert.match(await page.locator(tid('order-number')).innerText(), new RegExp(row.order_number));
    },
  };
}

// Why a guest's cart cannot be merged at sign-in yet (the Cart's POST /cart/merge is another
// helper's work in progress), or null once it can.
async function mergeMissing(s) {
  const probe = await fetch(`${s.base}/cart/merge`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  await probe.arrayBuffer();
  return probe.status === 404 || probe.status === 405 ? `the Cart has no POST /cart/merge yet (the gateway answered ${probe.status})` : null;
}

async function importCatalog(s, products, label) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'browser-catalog-')), `${label}.jsonl`);
  fs.writeFileSync(file, products.map((p) => JSON.stringify(p)).join('\n') + '\n');
  try {
    await run(path.join(s.stack.buildDir, 'tools/catalog_import/catalog_import'), [file], { cwd: ROOT, env: s.stack.env, timeout: 120_000 });
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

export const SCENARIOS = {
  // The page loads as a guest, axe passes, a product goes into the cart.
  'smoke': {
    async run(s) {
      const page = await s.newPage();
      await openStore(s, page);
      assert.equal(await currentUser(page), 'Gość');
      const shot = await s.step(page, 'products');
      const sku = 'ACC-CHG-ANK-PWPAD';
      const product = await addProduct(page, sku);
      assert.equal(money(await product.locator(tid('product-price')).innerText()), price(sku));
      assert.equal(await cartCount(page), 1);
      await s.step(page, 'added');
      await goTo(page, 'nav-cart', '#/cart');
      await eventually(async () => (await cartLines(page)).length === 1, SOON, 250);
      assert.deepEqual((await cartLines(page)).map((l) => [l.sku, l.quantity]), [[sku, 1]]);
      await s.step(page, 'cart');
      // Last: the README's picture of the page (the product list) is a screenshot of this size.
      const note = checkReadmeScreenshot(shot);
      if (note) s.log(note);
    },
  },

  'przelewy24': paidOnline({ items: [['PH-HON-MAGIC5LITE5G-6128', 1], ['ACC-BAG-SAM-GUARDIT', 1]], method: 'przelewy24', simulator: 'przelewy24' }),
  'payu': paidOnline({ items: [['PH-SAM-GALAXYA355G-6128', 1]], method: 'payu_transfer', simulator: 'payu' }),
  'stripe': paidOnline({ items: [['LT-ASU-VIVOBOOK15X1504ZA', 1]], method: 'stripe_card', simulator: 'stripe' }),

  // Cash on delivery: the order is confirmed at once, no gateway.
  'cash-on-delivery': {
    async run(s) {
      const page = await s.newPage();
      const totals = await fillCheckout(s, page, [['ACC-PS-BEL-8OUT', 2]], 'cash_on_delivery');
      assert.ok(totals['total-payment-fee'] > 0, 'cash on delivery has a fee');
      await page.locator(tid('finalize')).click();
      await page.waitForURL((url) => /#\/orders\/.+/.test(url.hash), { timeout: SOON });
      assert.equal(new URL(page.url()).port, String(s.stack.ports.gateway), 'no gateway page for cash on delivery');
      await waitOrderStatus(page, 'confirmed');
      await s.step(page, 'order-confirmed');
      const row = await assertOrderMatches(s, page, orderIdFromUrl(page), totals, 'confirmed');
      assert.equal(row.online, false);
    },
  },

  // Declined on PayU's page (PayU notifies the decline; Przelewy24 does not), paid again from
  // the order page through Stripe.
  'payment-failed-paid-again': {
    async run(s) {
      const page = await s.newPage();
      const totals = await fillCheckout(s, page, [['ACC-WALL-MAC-MC750', 1]], 'payu_transfer');
      await page.locator(tid('finalize')).click();
      await onGatewayPage(s, page, 'payu', 'Odrzuć płatność', 'payu-page');
      const orderId = await backOnOrderPage(s, page);
      assertCameBack(s, page);
      await waitOrderStatus(page, 'payment_failed');
      const again = page.locator(`${tid('pay-again-method')}[data-method-id="stripe_card"]`);
      await again.waitFor({ timeout: SOON });
      await s.step(page, 'order-payment-failed');
      await again.click();
      page.visited.length = 0;
      await page.locator(tid('pay-again')).click();
      await onGatewayPage(s, page, 'stripe', 'Zapłać', 'stripe-page');
      assert.equal(await backOnOrderPage(s, page), orderId, 'back on the same order');
      assertCameBack(s, page);
      await waitOrderStatus(page, 'paid');
      await s.step(page, 'order-paid');
      const row = await assertOrderMatches(s, page, orderId, totals, 'paid');
      assert.equal(row.gateway, 'stripe', 'the live attempt is the Stripe one');
      const history = await page.locator(`${tid('order-history')} li`).count();
      assert.ok(history >= 3, `the order's history shows the failure and the payment (${history} items)`);
    },
  },

  // A guest's cart merged into the user's at sign-in: same SKU summed, the other line kept.
  'guest-cart-merged-at-sign-in': {
    async run(s) {
      const user = `anna-${s.stack.suffix}`;
      const [shared, guestOnly] = ['LT-HP-VICTUS16R0', 'ACC-PS-APC-PM5GR'];
      const missing = await mergeMissing(s);
      if (missing) return missing;
      // The user's own cart first, in another browser.
      const other = await s.newPage();
      await openStore(s, other);
      await other.locator(tid('signin-name')).fill(user);
      await other.locator(tid('signin-submit')).click();
      await eventually(async () => (await currentUser(other)) === user, SOON, 250);
      await addProduct(other, shared, 2);
      await s.step(other, 'user-cart');
      // The guest fills a cart and signs in.
      const page = await s.newPage();
      await openStore(s, page);
      assert.equal(await currentUser(page), 'Gość');
      await addProduct(page, shared, 1);
      await addProduct(page, guestOnly, 1);
      await s.step(page, 'guest-cart');
      await page.locator(tid('signin-name')).fill(user);
      await Promise.all([
        page.waitForResponse((r) => r.url().includes('/cart/merge'), { timeout: SOON }),
        page.locator(tid('signin-submit')).click(),
      ]);
      await eventually(async () => (await currentUser(page)) === user, SOON, 250);
      await goTo(page, 'nav-cart', '#/cart');
      const merged = await eventually(async () => {
        const lines = await cartLines(page);
        const of = (sku) => lines.filter((l) => l.sku === sku).map((l) => l.quantity);
        return JSON.stringify(of(shared)) === '[3]' && JSON.stringify(of(guestOnly)) === '[1]' && lines;
      }, SOON, 500);
      assert.ok(merged, `the user's cart after the merge: ${JSON.stringify(await cartLines(page))}`);
      await s.step(page, 'merged-cart');
      assert.equal(await cartCount(page), 4);
    },
  },

  // The price of a product in the cart changes in the catalog while the customer is on the
  // checkout page: the summary shows the old and the new price and holds the order back until the
  // customer accepts; the order is placed at the new price.
  'price-change-during-checkout': {
    async run(s) {
      const product = CATALOG.get('PH-REA-C55-8256');
      const rise = 1234;
      const page = await s.newPage();
      const before = await fillCheckout(s, page, [[product.sku, 1]], 'cash_on_delivery');
      await importCatalog(s, [{ ...product, price: product.price + rise }], 'price-change');
      try {
        const notice = page.locator(`${tid('summary')} ${tid('price-change-notice')}`);
        await notice.waitFor({ timeout: SOON });
        await s.step(page, 'price-changed');
        assert.equal(money(await notice.locator(tid('old-price')).innerText()), product.price);
        assert.equal(money(await notice.locator(tid('new-price')).innerText()), product.price + rise);
        assert.ok(await page.locator(tid('finalize')).isDisabled(), 'finalize is held back until the new price is accepted');
        await notice.locator(tid('price-change-ack')).click();
        await notice.waitFor({ state: 'detached', timeout: SOON });
        await waitReady(page);
        const totals = await summaryTotals(page);
        assertTotalsAddUp(totals, product.price + rise);
        assert.equal(totals['total-grand'] - before['total-grand'], rise, 'the grand total grew by the price rise');
        await s.step(page, 'accepted');
        await page.locator(tid('finalize')).click();
        await page.waitForURL((url) => /#\/orders\/.+/.test(url.hash), { timeout: SOON });
        await waitOrderStatus(page, 'confirmed');
        await s.step(page, 'order-confirmed');
        await assertOrderMatches(s, page, orderIdFromUrl(page), totals, 'confirmed');
      } finally {
        await importCatalog(s, [product], 'price-restored');
      }
    },
  },

  // docs/walkthrough.sh (the README's curl walk-through) against this stack's gateway.
  'walkthrough-script': {
    async run(s) {
      const script = path.join(ROOT, 'docs', 'walkthrough.sh');
      if (!fs.existsSync(script)) return 'docs/walkthrough.sh does not exist yet';
      // Its third step is the sign-in that takes the guest's cart.
      const missing = await mergeMissing(s);
      if (missing) return missing;
      const logFile = path.join(s.dir, 'walkthrough.log');
      try {
        const { stdout, stderr } = await run('bash', [script], {
          cwd: ROOT, env: { ...s.stack.env, GATEWAY: s.base }, timeout: 5 * 60_000, maxBuffer: 16 << 20,
        });
        fs.writeFileSync(logFile, stdout + stderr);
      } catch (error) {
        fs.writeFileSync(logFile, `${error.stdout ?? ''}${error.stderr ?? ''}`);
        assert.fail(`docs/walkthrough.sh failed (exit ${error.code}); its output is in ${path.relative(ROOT, logFile)}:\n${String(error.stdout ?? '').slice(-3000)}\n${String(error.stderr ?? '').slice(-3000)}`);
      }
    },
  },
};
