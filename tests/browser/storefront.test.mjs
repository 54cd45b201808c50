// The storefront in a real browser (Debian's chromium, headless, driven by playwright-core)
// through nginx and the real services: ctest storefront_browser_test (label browser). One stack
// for all scenarios (stack.mjs); each scenario is one test, so one failing never hides the others.
// Screenshots of every step: <build>/test-output/browser/<scenario>/NN-step.png; process logs:
// <build>/test-output/browser/logs/. Run: tests/browser/run.sh [BUILD_DIR].
import { test, before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { Stack, ROOT, missingParts } from './stack.mjs';
import { Scenario } from './lib.mjs';
import { SCENARIOS } from './scenarios.mjs';

const BUILD_DIR = path.resolve(process.env.BUILD_DIR || path.join(ROOT, 'build'));
const OUT_DIR = path.join(BUILD_DIR, 'test-output', 'browser');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const STACK_TIMEOUT = 15 * 60_000;
const SCENARIO_TIMEOUT = 8 * 60_000;

let stack;
let browser;
const started = Date.now();
const log = (message) => console.log(`# [${((Date.now() - started) / 1000).toFixed(1)} s] ${message}`);

before(async () => {
  const missing = missingParts(BUILD_DIR);
  if (missing.length) throw new Error(`cannot start the stack, missing: ${missing.join(', ')}`);
  fs.mkdirSync(OUT_DIR, { recursive: true });
  stack = new Stack({ buildDir: BUILD_DIR, outDir: OUT_DIR });
  log(`starting the stack (logs in ${path.relative(ROOT, stack.logDir)})`);
  try {
    await stack.start();
    log(`stack up: gateway ${stack.gatewayUrl}, schemas ${stack.checkoutSchema} and ${stack.paymentSchema}`);
    await stack.catchUp(log);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  } catch (error) {
    error.message += `\n${stack.logTails()}`;
    throw error;
  }
}, { timeout: STACK_TIMEOUT });

after(async () => {
  if (browser) await browser.close().catch(() => {});
  if (stack) await stack.stop();
  log('stack stopped');
}, { timeout: 120_000 });

for (const [name, scenario] of Object.entries(SCENARIOS)) {
  test(name, { timeout: scenario.timeout ?? SCENARIO_TIMEOUT }, async (t) => {
    const run = new Scenario({ name, stack, browser, outDir: OUT_DIR, log });
    const began = Date.now();
    try {
      const skipped = await scenario.run(run, t);
      if (typeof skipped === 'string') {
        t.skip(skipped);
        return;
      }
      run.finish();
    } catch (error) {
      for (const [i, context] of run.contexts.entries()) {
        for (const page of context.pages()) {
          await page.screenshot({ path: path.join(run.dir, `failure-${i}.png`) }).catch(() => {});
          t.diagnostic(`page ${i} at ${page.url()}`);
        }
      }
      if (run.consoleErrors.length) t.diagnostic(`browser console errors:\n${run.consoleErrors.slice(-20).join('\n')}`);
      t.diagnostic(`last log lines of the stack's processes (whole logs in ${path.relative(ROOT, stack.logDir)}):\n${stack.logTails()}`);
      throw error;
    } finally {
      await run.close();
      log(`${name}: ${((Date.now() - began) / 1000).toFixed(1)} s, ${run.steps} steps in ${path.relative(ROOT, run.dir)}`);
    }
  });
}
