// The whole checkout a browser needs, on the TEST infrastructure (Redis 16390, Kafka 19092,
// PostgreSQL 15440 of `./dev infra start test`): the seven service binaries, the carrier and
// payment gateway simulators, the dev sign-in and nginx with deploy/nginx/nginx.conf rewritten to
// free ports, each process on a free 127.0.0.1 port with its log in <out>/logs/<name>.log.
// Every instance is isolated like the C++ e2e test's (tests/e2e/checkout_e2e_test.cpp): its own
// consumer group prefix, its own Payment and Checkout PostgreSQL schemas.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');

// The test profile's environment, as `./dev env test` prints it (scripts/env.sh test).
export function testEnv() {
  const out = execFileSync('bash', ['-c', `source "${ROOT}/scripts/env.sh" test >/dev/null && env -0`], {
    env: { ...process.env, CHECKOUT_PROFILE: 'test' },
  }).toString();
  const env = {};
  for (const entry of out.split('\0')) {
    const at = entry.indexOf('=');
    if (at > 0) env[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return env;
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function portOpen(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(500);
    socket.on('connect', () => { socket.destroy(); resolve(true); });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => { socket.destroy(); resolve(false); });
  });
}

// Polls `check` (async, truthy = done) every `interval` ms until `timeout` ms pass; returns the
// last value (falsy on timeout). Errors thrown by `check` count as "not yet".
export async function eventually(check, timeout, interval = 200) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch {
      last = undefined;
    }
    if (Date.now() >= deadline) return last;
    await sleep(interval);
  }
}

async function httpStatus(url) {
  try {
    const answer = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await answer.arrayBuffer();
    return answer.status;
  } catch {
    return 0;
  }
}

export function tail(file, lines = 40) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line)).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

class Child {
  constructor(name, command, args, env, logFile) {
    this.name = name;
    this.logFile = logFile;
    const log = fs.openSync(logFile, 'w');
    this.process = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.exited = null;
    this.process.on('exit', (code, signal) => { this.exited = { code, signal }; });
  }
  get pid() { return this.process.pid; }
  running() { return this.exited === null; }
  async stop(signal = 'SIGTERM', grace = 15000) {
    if (!this.running()) return;
    this.process.kill(signal);
    const gone = await eventually(() => !this.running(), grace, 50);
    if (!gone) {
      this.process.kill('SIGKILL');
      await eventually(() => !this.running(), 5000, 50);
    }
  }
  tail(lines) { return tail(this.logFile, lines); }
}

const SERVICES = ['cart', 'shipping', 'payment', 'checkout', 'promotion', 'services', 'warranty'];
const SIMULATORS = [
  { name: 'carrier', binary: 'tools/carrier_calendar/carrier_calendar_sim', portVar: 'CARRIER_SIM_PORT' },
  { name: 'przelewy24', binary: 'tools/przelewy24_sim/przelewy24_sim', portVar: 'P24_SIM_PORT' },
  { name: 'payu', binary: 'tools/payu_sim/payu_sim', portVar: 'PAYU_SIM_PORT' },
  { name: 'stripe', binary: 'tools/stripe_sim/stripe_sim', portVar: 'STRIPE_SIM_PORT' },
];
export const DEV_AUTH = 'tools/dev_auth/dev_auth';
// Overrides for working on the tests themselves: another build of the page, another sign-in binary.
export const storefrontDist = () => process.env.BROWSER_STOREFRONT_DIST || path.join(ROOT, 'storefront', 'dist');
const devAuthBinary = (buildDir) => process.env.BROWSER_DEV_AUTH || path.join(buildDir, DEV_AUTH);
// A fresh consumer group reads every topic from its start, behind what other tests left there:
// the first answers may take minutes (the C++ e2e test allows 7).
const CATCH_UP_MS = 420_000;
const CAUGHT_UP_LAG = 100;
// A consumer reports lag only for partitions it holds positions on: on a fresh broker (./dev test
// wipes the test infrastructure) a service whose topics are still empty may never report any.
// No report for this long after start counts as nothing to catch up.
const NO_LAG_REPORT_MS = 30_000;

// What is missing for the stack to start (binaries, the storefront's build); empty when all is
// there.
export function missingParts(buildDir) {
  const missing = [];
  for (const name of SERVICES) {
    const bin = path.join(buildDir, 'services', name, `${name}_service`);
    if (!fs.existsSync(bin)) missing.push(path.relative(ROOT, bin));
  }
  for (const sim of SIMULATORS) {
    if (!fs.existsSync(path.join(buildDir, sim.binary))) missing.push(path.relative(ROOT, path.join(buildDir, sim.binary)));
  }
  for (const tool of [devAuthBinary(buildDir), path.join(buildDir, 'tools/catalog_import/catalog_import')]) {
    if (!fs.existsSync(tool)) missing.push(path.relative(ROOT, tool));
  }
  if (!fs.existsSync(path.join(storefrontDist(), 'index.html'))) missing.push(path.relative(ROOT, path.join(storefrontDist(), 'index.html')));
  return missing;
}

function replaceOnce(text, from, to) {
  const count = text.split(from).length - 1;
  if (count !== 1) throw new Error(`deploy/nginx/nginx.conf should contain ${JSON.stringify(from)} exactly once (found ${count})`);
  return text.replace(from, to);
}

export class Stack {
  constructor({ buildDir, outDir }) {
    this.buildDir = buildDir;
    this.outDir = outDir;
    this.logDir = path.join(outDir, 'logs');
    this.children = [];
    this.ports = {};
    this.suffix = crypto.randomBytes(4).toString('hex');
    this.paymentSchema = `payment_browser_${this.suffix}`;
    this.checkoutSchema = `checkout_browser_${this.suffix}`;
    this.env = testEnv();
  }

  get gatewayUrl() { return `http://127.0.0.1:${this.ports.gateway}`; }

  // Runs a tool of the build to its end with the test environment; throws with its output.
  runTool(relative, args, extraEnv = {}) {
    const bin = path.join(this.buildDir, relative);
    try {
      return execFileSync(bin, args, { cwd: ROOT, env: { ...this.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 }).toString();
    } catch (error) {
      throw new Error(`${relative} ${args.join(' ')} failed: ${error.stderr ?? ''}${error.stdout ?? ''}${error.message}`);
    }
  }

  psql(sql) {
    return execFileSync('psql', [this.env.PG_DSN, '-X', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
      env: this.env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000,
    }).toString().trim();
  }

  // The order's row of the Checkout's schema (services/checkout/migrations/V001__orders.sql).
  order(orderId) {
    const row = this.psql(`SELECT row_to_json(o) FROM ${this.checkoutSchema}.orders o WHERE order_id = '${orderId.replace(/'/g, "''")}'`);
    return row ? JSON.parse(row) : null;
  }

  spawn(name, command, args, env) {
    const child = new Child(name, command, args, env, path.join(this.logDir, `${name}.log`));
    this.children.push(child);
    fs.appendFileSync(this.pidFile, `${child.pid}\n`);
    return child;
  }

  async waitHealthy(child, url, timeout) {
    const ok = await eventually(async () => {
      if (!child.running()) throw new Error('exited');
      return (await httpStatus(url)) === 200;
    }, timeout, 100);
    if (!ok) {
      const why = child.running() ? `did not answer 200 at ${url} within ${timeout / 1000} s` : `exited (${JSON.stringify(child.exited)})`;
      throw new Error(`${child.name} ${why}; last lines of ${child.logFile}:\n${child.tail(30)}`);
    }
  }

  // A guard that outlives a killed test runner (ctest's timeout): when this Node process is gone,
  // it stops every process the stack started (their pids are in `pids`).
  startReaper() {
    this.pidFile = path.join(this.logDir, 'pids');
    fs.writeFileSync(this.pidFile, '');
    const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 2; done
      for p in $(cat "$1"); do kill -TERM "$p" 2>/dev/null; done; sleep 10
      for p in $(cat "$1"); do kill -KILL "$p" 2>/dev/null; done`;
    this.reaper = spawn('bash', ['-c', script, 'reaper', this.pidFile], { stdio: 'ignore', detached: true });
    this.reaper.unref();
  }

  async start() {
    fs.mkdirSync(this.logDir, { recursive: true });
    this.startReaper();
    const infra = [['Redis', this.env.REDIS_PORT], ['Kafka', this.env.KAFKA_PORT], ['PostgreSQL', this.env.PG_PORT]];
    for (const [what, port] of infra) {
      if (!(await portOpen(Number(port)))) {
        throw new Error(`the test infrastructure's ${what} does not listen on 127.0.0.1:${port}: run ./dev infra start test`);
      }
    }
    for (const name of [...SERVICES, ...SIMULATORS.map((s) => s.name), 'dev_auth', 'gateway']) {
      this.ports[name] = await freePort();
    }

    // The sample catalog, as `./dev up` loads it.
    this.runTool('tools/catalog_import/catalog_import', [path.join(ROOT, 'tools/catalog/sample_catalog.jsonl')]);

    const sims = {};
    for (const sim of SIMULATORS) {
      sims[sim.name] = this.spawn(sim.name, path.join(this.buildDir, sim.binary), [], { ...this.env, [sim.portVar]: String(this.ports[sim.name]) });
    }
    const devAuth = this.spawn('dev_auth', devAuthBinary(this.buildDir), [], { ...this.env, DEV_AUTH_PORT: String(this.ports.dev_auth) });
    for (const sim of SIMULATORS) {
      await this.waitHealthy(sims[sim.name], `http://127.0.0.1:${this.ports[sim.name]}/healthz`, 20_000);
    }
    await this.waitHealthy(devAuth, `http://127.0.0.1:${this.ports.dev_auth}/healthz`, 20_000).catch(async (error) => {
      // No /healthz on the dev sign-in: a guest token is its sign of life.
      const answer = await fetch(`http://127.0.0.1:${this.ports.dev_auth}/auth/guest`, { method: 'POST' }).catch(() => null);
      if (!answer || answer.status >= 300) throw error;
    });

    const url = (name) => `http://127.0.0.1:${this.ports[name]}`;
    const perService = {
      shipping: { CARRIER_URL: url('carrier') },
      payment: {
        PAYMENT_PG_SCHEMA: this.paymentSchema,
        P24_URL: url('przelewy24'),
        PAYU_URL: url('payu'),
        STRIPE_URL: url('stripe'),
        PAYMENT_RETURN_URL: `http://127.0.0.1:${this.ports.gateway}/?payment={transaction_id}`,
      },
      checkout: { CHECKOUT_PG_SCHEMA: this.checkoutSchema, CHECKOUT_MAX_WAIT_MS: '10000' },
    };
    this.services = {};
    for (const name of SERVICES) {
      const env = {
        ...this.env,
        HTTP_PORT: String(this.ports[name]),
        KAFKA_GROUP_PREFIX: `browser${this.suffix}-`,
        KAFKA_LAG_INTERVAL_MS: '1000',
        OUTBOX_POLL_INTERVAL_MS: '10',
        LOG_LEVEL: 'info',
        ...(perService[name] ?? {}),
      };
      this.services[name] = this.spawn(name, path.join(this.buildDir, 'services', name, `${name}_service`), [], env);
    }
    for (const name of SERVICES) {
      await this.waitHealthy(this.services[name], `${url(name)}/readyz`, 90_000);
    }
    // Stripe sends every event to the one endpoint configured at Stripe.
    const webhook = await fetch(`${url('stripe')}/control/webhook`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: `${url('payment')}/payment/webhook/stripe` }),
    });
    if (webhook.status !== 200) throw new Error(`stripe_sim /control/webhook: ${webhook.status} ${await webhook.text()}`);

    await this.startGateway();
  }

  async startGateway() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'browser-gateway-'));
    this.gatewayDir = dir;
    const prefix = path.join(dir, 'nginx');
    fs.mkdirSync(path.join(prefix, 'tmp'), { recursive: true });
    // A copy of the page's build rather than a link to it: a rebuild of storefront/dist while the
    // tests run (vite empties the folder first) does not pull the page from under them.
    fs.cpSync(storefrontDist(), path.join(prefix, 'storefront'), { recursive: true, dereference: true });
    // The config logs to ../logs relative to the prefix: the test output's logs.
    fs.symlinkSync(this.logDir, path.join(dir, 'logs'));
    let conf = fs.readFileSync(path.join(ROOT, 'deploy/nginx/nginx.conf'), 'utf8');
    conf = replaceOnce(conf, 'listen 127.0.0.1:8080 ', `listen 127.0.0.1:${this.ports.gateway} `);
    const upstreams = { cart: 8101, shipping: 8102, payment: 8103, checkout: 8104, promotion: 8105, services: 8106, warranty: 8107, dev_auth: 8190 };
    for (const [name, port] of Object.entries(upstreams)) {
      conf = replaceOnce(conf, `server 127.0.0.1:${port};`, `server 127.0.0.1:${this.ports[name]};`);
    }
    const confPath = path.join(dir, 'nginx.conf');
    fs.writeFileSync(confPath, conf);
    let globals = `daemon off; pid ${dir}/nginx.pid;`;
    if (process.getuid && process.getuid() === 0) globals += ' user root;';
    const nginx = fs.existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx';
    const child = this.spawn('nginx', nginx, ['-p', `${prefix}/`, '-c', confPath, '-e', path.join(this.logDir, 'nginx-error.log'), '-g', globals], this.env);
    await this.waitHealthy(child, `${this.gatewayUrl}/healthz`, 15_000);
    this.gateway = child;
  }

  // The sum of a service's kafka_consumer_lag samples (its /metrics); undefined before a report.
  async consumerLag(name) {
    const text = await (await fetch(`http://127.0.0.1:${this.ports[name]}/metrics`)).text();
    let lag;
    for (const line of text.split('\n')) {
      if (!line.startsWith('kafka_consumer_lag{')) continue;
      lag = (lag ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return lag;
  }

  // Waits until every service has read what other tests left in Kafka, so that the page's first
  // cart is not stuck behind a backlog.
  async catchUp(log = () => {}) {
    const started = Date.now();
    for (const name of SERVICES) {
      let lag;
      const ok = await eventually(async () => {
        lag = await this.consumerLag(name);
        if (lag === undefined) return Date.now() - started > NO_LAG_REPORT_MS;
        return lag < CAUGHT_UP_LAG;
      }, CATCH_UP_MS, 500);
      if (!ok) throw new Error(`${name} still ${lag ?? '?'} events behind after ${CATCH_UP_MS / 1000} s:\n${this.services[name].tail(30)}`);
    }
    log(`services caught up with Kafka in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  logTails(lines = 8) {
    return this.children.map((c) => `--- ${c.name} (${c.running() ? 'running' : `exited ${JSON.stringify(c.exited)}`}) ${c.logFile}\n${c.tail(lines)}`).join('\n');
  }

  async stop() {
    for (const child of [...this.children].reverse()) {
      await child.stop(child.name === 'nginx' ? 'SIGQUIT' : 'SIGTERM');
    }
    if (this.reaper) {
      try { process.kill(this.reaper.pid, 'SIGTERM'); } catch { /* gone already */ }
    }
    if (this.gatewayDir) fs.rmSync(this.gatewayDir, { recursive: true, force: true });
    if (!process.env.BROWSER_KEEP_SCHEMAS) {
      try {
        this.psql(`DROP SCHEMA IF EXISTS ${this.paymentSchema} CASCADE; DROP SCHEMA IF EXISTS ${this.checkoutSchema} CASCADE;`);
      } catch { /* the schemas are the test's own: leaving them is harmless */ }
    }
  }
}
