// Shared bits of the browser tests: valid resident ID numbers, the browser, the API, screenshots.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { before, after, afterEach } from 'node:test';
import { buildDir, makeWorkDir, repoRoot, startServer } from './server.mjs';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11643 check character of the first 17 digits (ISO 7064 MOD 11-2). */
export function checkChar(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += WEIGHTS[i] * Number(first17[i]);
  return '10X98765432'[sum % 11];
}

/** A valid 18-character ID number: region (6 digits), birth date YYYYMMDD, sequence (3 digits). */
export function idNumber(birth, seq = '123', region = '110105') {
  const first17 = `${region}${birth}${seq}`;
  if (!/^\d{17}$/.test(first17)) throw new Error(`bad ID parts ${first17}`);
  return first17 + checkChar(first17);
}

/** The same ID number with a wrong check character. */
export function withWrongCheck(id) {
  const right = id[17];
  const wrong = right === '0' ? '1' : '0';
  return id.slice(0, 17) + wrong;
}

/** A birth date (YYYYMMDD) for someone `years` old today (plus a margin of days). */
export function birthForAge(years, extraDays = 30) {
  const d = new Date();
  d.setFullYear(d.getFullYear() - years);
  d.setDate(d.getDate() - extraDays);
  return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's chromium (never a downloaded browser); Playwright gives it a fresh profile directory. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.IHOS_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 };

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's critical and serious violations on the page as it is now (or within the `include`
 * selector), one line each. axe is evaluated through the DevTools protocol, not as an inline
 * <script>, which the page's Content-Security-Policy refuses. Colours are judged at rest: a
 * contrast finding on a control under the pointer or holding the focus is left out (Element Plus
 * gives a focused or hovered primary button its light shade, 2.9:1 with white; reported), so the
 * audit needs neither to move the pointer nor to take the focus away from what the test is doing.
 */
async function axeViolations(page, include) {
  const first = await axeOnce(page, include);
  if (!first.some((v) => v.startsWith('color-contrast'))) return first;
  // A colour read half-way through a change that started while axe ran (a live status turning a
  // tag from 等待 to 进行中) is not the page at rest: contrast is judged again once the page is
  // still, and a contrast failure counts when it is there both times (a real one always is).
  const second = await axeOnce(page, include);
  return first.filter((v) => !v.startsWith('color-contrast') || second.includes(v));
}

async function axeOnce(page, include) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  // At rest: no transition or finite animation running (Vant fades a toast or a popup in with a
  // CSS animation; half-way its text is pale). Endless ones (a loading spinner) do not end.
  await page.waitForFunction(() =>
    document.getAnimations().every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity),
  );
  return page.evaluate(async (sel) => {
    const r = await window.axe.run(sel ? { include: [sel] } : document, { resultTypes: ['violations'] });
    const atRest = (n) => {
      const el = document.querySelector(n.target.join(' '));
      const control = el?.closest('button, a, input, select, textarea, [role="button"], [tabindex], .el-button');
      return !control || !control.matches(':hover, :focus, :focus-within');
    };
    return r.violations
      .filter((v) => v.impact === 'critical' || v.impact === 'serious')
      .map((v) => ({ ...v, nodes: v.id === 'color-contrast' ? v.nodes.filter(atRest) : v.nodes }))
      .filter((v) => v.nodes.length)
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
  }, include ?? null);
}

/** The page states axe has judged: per page, the paths (with query) already audited. */
const audited = new WeakMap();
/** Per page, the path a navigation reached that has not been audited yet. */
const pendingAudit = new WeakMap();
const axeOff = process.env.IHOS_E2E_AXE === 'off';
/** Time spent in the automatic audits of this file (ms) and how many ran (IHOS_E2E_AXE_TIME=1 prints it). */
const axeClock = { ms: 0, runs: 0 };

function pathOf(page) {
  const u = new URL(page.url());
  return u.pathname + u.search;
}

/** Asserts that axe-core finds no critical or serious violation on the page as it is now. */
export async function expectAccessible(page, what, include) {
  const started = Date.now();
  const violations = await axeViolations(page, include);
  axeClock.ms += Date.now() - started;
  axeClock.runs++;
  if (!include && page.url().startsWith('http')) {
    const seen = audited.get(page) ?? new Set();
    seen.add(pathOf(page));
    audited.set(page, seen);
    if (pendingAudit.get(page) === pathOf(page)) pendingAudit.delete(page);
  }
  assert.deepEqual(violations, [], `axe-core on ${what}`);
}

/**
 * The automatic audit of every page a test visits: after each navigation to a path this page has
 * not been judged on, axe runs once the test has waited for something on the new page (its next
 * locator.waitFor), or before the page is left by page.goto / reload or closed. One run per
 * page and path, not per action. IHOS_E2E_AXE=off turns it off.
 */
async function auditPending(page) {
  const path = pendingAudit.get(page);
  if (!path || page.isClosed()) return;
  pendingAudit.delete(page);
  if (pathOf(page) !== path || audited.get(page)?.has(path)) return;
  await expectAccessible(page, `${path} (every page a test visits is checked; IHOS_E2E_AXE=off skips)`);
}

/** Pages of the running file that are still open (judged at the end of each test if need be). */
const openPages = new Set();

let locatorPatched = false;
function watchNavigations(page) {
  if (axeOff) return;
  openPages.add(page);
  page.on('close', () => openPages.delete(page));
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame() || !frame.url().startsWith('http')) return;
    if (!audited.get(page)?.has(pathOf(page))) pendingAudit.set(page, pathOf(page));
  });
  for (const name of ['goto', 'reload']) {
    const original = page[name].bind(page);
    page[name] = async (...args) => {
      await auditPending(page);
      return original(...args);
    };
  }
  const context = page.context();
  const close = context.close.bind(context);
  context.close = async (...args) => {
    await auditPending(page);
    return close(...args);
  };
}

/** Every locator.waitFor: a timeout says what the page showed; a wait that succeeds runs a pending audit. */
function patchLocatorWait(page) {
  if (locatorPatched) return;
  locatorPatched = true;
  const proto = Object.getPrototypeOf(page.locator('body'));
  const waitFor = proto.waitFor;
  proto.waitFor = async function (...args) {
    let r;
    const started = Date.now();
    try {
      r = await waitFor.apply(this, args);
    } catch (e) {
      // A short explicit wait is the caller's to handle (it may expect the timeout): no report.
      const explicit = args[0]?.timeout;
      throw explicit !== undefined && explicit < 30_000 ? e : await withPageState(this.page(), e);
    }
    // How near a wait came to the 60 s detector, for whoever tunes it next (a TAP comment).
    const s = (Date.now() - started) / 1000;
    if (s >= 15) console.log(`slow wait: ${s.toFixed(1)} s for ${this} on ${this.page().isClosed() ? '(closed page)' : pathOf(this.page())}`);
    if (pendingAudit.has(this.page())) await auditPending(this.page());
    return r;
  };
}

/**
 * The 60 s hang detector, and a timed-out wait reports the page's state. newPage does this; a test
 * that opens a page itself calls it (no automatic axe audit is added then).
 */
export function watchPage(page) {
  // A wait detects a hang; it is not a timing assertion. On a 2-core CI machine running the C++
  // suites and the fuzz build beside two browser files, a lazy page chunk has taken over 15 s
  // (the workstation's, after a menu click: stop 29's clean-clone run), and the schedule editor did
  // not show within 30 s in stop 30's CI run (the test took 148 s, 31 s on an idle machine).
  page.setDefaultTimeout(60_000);
  watchApi(page);
  patchLocatorWait(page);
  return page;
}

/** Per page, its last API answers that were refusals or failures (what a timed-out wait then reports). */
const apiTrouble = new WeakMap();
let timeoutShots = 0;

function watchApi(page) {
  const list = [];
  apiTrouble.set(page, list);
  const note = (line) => {
    list.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (list.length > 8) list.shift();
  };
  page.on('response', (res) => {
    const p = new URL(res.url()).pathname;
    if (res.status() >= 400 && p.startsWith('/api/')) note(`${res.status()} ${res.request().method()} ${p}`);
  });
  page.on('requestfailed', (req) => note(`failed ${req.method()} ${new URL(req.url()).pathname}: ${req.failure()?.errorText ?? ''}`));
  page.on('pageerror', (err) => note(`page error: ${String(err.message).slice(0, 200)}`));
}

/**
 * A wait that timed out says what the page showed: its path, the alerts on it, the API refusals and
 * failures it saw last, and a screenshot (test-results/timeout-PID-N.png). A hang in CI is then
 * readable from the log alone.
 */
async function withPageState(page, error) {
  if (!page || page.isClosed() || error?.name !== 'TimeoutError') return error;
  const lines = [];
  try {
    lines.push(`page: ${pathOf(page)}`);
    // Bounded: a page stuck in its own script would never answer.
    const alerts = await Promise.race([
      page
        .locator('.el-alert, .el-message, .van-toast, [role="alert"]')
        .evaluateAll((els) => els.map((el) => el.textContent.trim().slice(0, 160)).filter(Boolean)),
      new Promise((_, reject) => setTimeout(() => reject(new Error('the page did not answer in 5 s')), 5_000).unref()),
    ]);
    if (alerts.length) lines.push(`alerts: ${alerts.join(' | ')}`);
    const trouble = apiTrouble.has(page) ? [...apiTrouble.get(page)].reverse() : null;
    if (!trouble) lines.push('(API answers not watched on this page: open it with newPage or watchPage)');
    else lines.push(trouble.length ? `API refusals and failures, last first:\n    ${trouble.join('\n    ')}` : 'no API refusal or failure seen');
    await mkdir(shotsDir, { recursive: true });
    const file = path.join(shotsDir, `timeout-${process.pid}-${++timeoutShots}.png`);
    await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
    lines.push(`screenshot: ${path.relative(repoRoot, file)}`);
  } catch (e) {
    lines.push(`(the page state could not be read: ${e.message.split('\n')[0]})`);
  }
  error.message += `\n  when the wait timed out:\n  ${lines.join('\n  ')}`;
  return error;
}

/** What the page's Content-Security-Policy refused, over every page of a test file (must stay empty). */
const cspViolations = [];

/**
 * A page in a fresh browser context (zh-CN) with the hang detector and the Content-Security-Policy
 * watch; every page it visits is audited by axe unless `audit: false` (a test about layout alone).
 */
export async function newPage(browser, baseURL, device = PHONE, { audit = true } = {}) {
  const context = await browser.newContext({ ...device, baseURL, locale: 'zh-CN' });
  const page = watchPage(await context.newPage());
  if (audit) watchNavigations(page);
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${page.url()}: ${m.text()}`);
  });
  return page;
}

/** Calls the API directly (to prepare data or to learn what the server answers). */
export async function apiCall(baseUrl, method, p, { body, token, lang = 'zh-CN' } = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${baseUrl}/api/v1${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, contentType: res.headers.get('content-type') || '', json, text };
}

/**
 * Asks for a registration code for `phone` and reads it from the demo SMS endpoint
 * (GET /api/v1/demo/sms, there only while the demo provider is in use), as a tester would on
 * the demo SMS page /demo/sms. Returns the 6-digit code.
 */
export async function registerCodeViaApi(baseUrl, phone) {
  const sent = await apiCall(baseUrl, 'POST', '/auth/register/code', { body: { phone } });
  if (sent.status !== 202) throw new Error(`register code ${phone}: ${sent.status} ${sent.text}`);
  return demoSmsCode(baseUrl, phone);
}

/** The code in the newest demo SMS to `phone` (GET /api/v1/demo/sms). */
export async function demoSmsCode(baseUrl, phone) {
  const r = await apiCall(baseUrl, 'GET', `/demo/sms?phone=${encodeURIComponent(phone)}`);
  if (r.status !== 200) throw new Error(`demo sms ${phone}: ${r.status} ${r.text}`);
  const m = r.json.messages[0]?.text.match(/\d{6}/);
  if (!m) throw new Error(`no demo sms code for ${phone}: ${r.text}`);
  return m[0];
}

/**
 * On the register page (phone filled in): presses 获取验证码, reads the code on the demo SMS page
 * /demo/sms (演示 DEMO) in a second tab, as a tester would, and types it into the code field.
 */
export async function enterRegisterCodeViaUi(page, browser, baseUrl, phone) {
  await page.getByTestId('register-send-code').click();
  await page.getByTestId('register-code-sent').waitFor();
  const link = page.getByTestId('register-demo-sms-link');
  await link.waitFor();
  const sms = await newPage(browser, baseUrl);
  await sms.goto(`/demo/sms?phone=${encodeURIComponent(phone)}`);
  const msg = sms.getByTestId('demo-sms-message').first();
  await msg.waitFor();
  const code = (await msg.textContent()).match(/\d{6}/)?.[0];
  if (!code) throw new Error(`no code on the demo SMS page for ${phone}`);
  await sms.context().close();
  await fill(page, 'sms_code', code);
  return code;
}

export async function registerViaApi(baseUrl, user) {
  const smsCode = await registerCodeViaApi(baseUrl, user.phone);
  const r = await apiCall(baseUrl, 'POST', '/auth/register', {
    body: {
      phone: user.phone,
      password: user.password,
      real_name: user.realName,
      id_number: user.idNumber,
      sms_code: smsCode,
    },
  });
  if (r.status !== 201) throw new Error(`register ${user.phone}: ${r.status} ${r.text}`);
  return r.json;
}

const shotsDir = path.join(repoRoot, 'test-results');

/**
 * Saves a full-page screenshot to test-results/<name>.png and returns its path. The picture shows
 * the page: toasts and messages (transient, judged by axe where they show) are left out of it and
 * running transitions are finished for the shot, so nothing waits for them to fade (waiting for the
 * toasts to leave was a third of the doctors test's time).
 */
export async function screenshot(page, name) {
  await mkdir(shotsDir, { recursive: true });
  const file = path.join(shotsDir, `${name}.png`);
  await page.screenshot({
    path: file,
    fullPage: true,
    animations: 'disabled',
    style: '.van-toast, .el-message { visibility: hidden !important; }',
  });
  return file;
}

/** Fills a Vant form field by its input name. */
export async function fill(page, name, value, scope = page) {
  await scope.locator(`input[name="${name}"]`).fill(value);
}

export async function loginViaUi(page, phone, password) {
  await page.goto('/login');
  await fill(page, 'phone', phone);
  await fill(page, 'password', password);
  await page.getByTestId('login-submit').click();
}

/**
 * The set-up every browser test file shares: a fresh ihosd (own SQLite file) and a browser for
 * the file's tests, stopped afterwards. `prepare(work)` runs before the server starts (e.g. to
 * create an admin with the CLI). Returns an object whose `server` and `browser` are set once the
 * file's `before` hook has run.
 */
export function useServerAndBrowser({ prepare, server = {} } = {}) {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    const work = await makeWorkDir();
    if (prepare) await prepare(work);
    env.server = await startServer(work, server);
    env.browser = await launchBrowser();
  });
  // A page the test left open is judged as the test left it.
  afterEach(async () => {
    for (const page of [...openPages]) await auditPending(page);
  });
  after(async () => {
    if (process.env.IHOS_E2E_AXE_TIME) console.log(`# axe: ${axeClock.runs} runs, ${(axeClock.ms / 1000).toFixed(1)} s`);
    await env.browser?.close();
    await env.server?.stop();
    // ihosd sends a strict policy with every page (no inline script, never framed): what the app
    // does must work within it.
    if (cspViolations.length) throw new Error(`the page broke its Content-Security-Policy:\n${cspViolations.join('\n')}`);
  });
  return env;
}

/** The password of every seed-demo account (README: demo logins). */
export const DEMO_PASSWORD = 'Demo2026ihos';

/** The drug data directory (drugs_nrdl/ …): IHOS_DRUG_DATA, ../shared/data beside the repository, or /work/shared/data. */
export function drugDataDir() {
  const candidates = [process.env.IHOS_DRUG_DATA, path.join(repoRoot, '..', 'shared', 'data'), '/work/shared/data'];
  return candidates.find((c) => c && existsSync(path.join(c, 'drugs_nrdl'))) ?? null;
}

/** The ICD-10 catalogue file: IHOS_ICD10_FILE, or shared/data/icd10_cn beside the repository (or /work/shared/data). */
export function icd10File() {
  const name = path.join('icd10_cn', 'icd10_beijing_clinical_v601.csv');
  const candidates = [process.env.IHOS_ICD10_FILE, path.join(repoRoot, '..', 'shared', 'data', name), path.join('/work/shared/data', name)];
  const f = candidates.find((c) => c && existsSync(c));
  if (!f) throw new Error('ICD-10 data not found: set IHOS_ICD10_FILE or put shared/data/icd10_cn beside the repository');
  return f;
}

/**
 * The labelled demo data in the work directory's database, in `make run`'s order: `ihos drugs import`
 * (when the drug data is there: the demo formulary is made from it), with `icd10: true` the ICD-10
 * catalogue (the demo record's diagnosis is coded), then `ihos seed-demo`. A `prepare` for
 * useServerAndBrowser.
 *
 * Within one run of run.mjs (it sets IHOS_E2E_SEED_DIR), the first file that needs a kind of demo
 * database makes it there once (the others wait for it) and every file copies it: seed-demo hashes
 * every demo account's password with the server's default Argon2 profile, and with the imports that
 * is seconds of CPU a file on a machine the browser tests already keep busy.
 */
export async function seedDemo(work, { icd10 = false } = {}) {
  const shared = process.env.IHOS_E2E_SEED_DIR;
  if (!shared) return seedInto(work.db, { icd10 });
  const template = path.join(shared, icd10 ? 'demo-icd10.db' : 'demo.db');
  await madeOnce(template, (file) => seedInto(`sqlite:${file}`, { icd10 }));
  await copyFile(template, work.db.replace(/^sqlite:/, ''));
}

/**
 * `file` made by `make(path)` once among the files running at the same time: the first to ask holds
 * `file.making` (created exclusively) and makes it aside, then renames it into place; the others
 * wait for it. A maker that fails lets the next one try; one that holds the lock for 5 minutes is
 * taken for dead.
 */
async function madeOnce(file, make) {
  const lock = `${file}.making`;
  const deadline = Date.now() + 300_000;
  while (!existsSync(file)) {
    let mine = false;
    try {
      await (await open(lock, 'wx')).close();
      mine = true;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    if (!mine) {
      if (Date.now() > deadline) throw new Error(`${file} was not made within 5 minutes (${lock} is held)`);
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    try {
      const aside = await mkdtemp(`${file}-making-`);
      const made = path.join(aside, path.basename(file));
      await make(made);
      // The CLI closed the database, which folds SQLite's write-ahead log into the file and removes it.
      if (existsSync(`${made}-wal`)) throw new Error(`${made}-wal is left after seeding: the copy would miss what it holds`);
      await rename(made, file);
    } finally {
      await rm(lock, { force: true });
    }
  }
}

async function seedInto(db, { icd10 }) {
  const ihos = path.join(buildDir, 'ihos');
  const run = (...args) => promisify(execFile)(ihos, ['--db', db, ...args], { cwd: repoRoot, timeout: 120_000 });
  const data = drugDataDir();
  if (data) await run('drugs', 'import', '--data', data);
  if (icd10) await run('icd10', 'import', '--file', icd10File());
  await run('seed-demo');
}

/**
 * Gives the page's browser context the web session of an existing session token, as signing in
 * through the login page would: the HttpOnly session cookie and, in localStorage, the session's CSRF
 * token (the server derives it from the session token: SHA-256 of "ihos-csrf-v1:" + token,
 * src/http/session_cookie.hpp). Call before the page's first navigation.
 */
export async function useToken(page, baseUrl, token) {
  await page.context().addCookies([
    // domain/path rather than url: Playwright would turn `secure` off for an http:// url.
    { name: 'ihos_session', value: token, domain: new URL(baseUrl).hostname, path: '/', httpOnly: true, secure: true, sameSite: 'Strict' },
  ]);
  const csrf = createHash('sha256').update(`ihos-csrf-v1:${token}`).digest('hex');
  await page.addInitScript((v) => localStorage.setItem('ihos.csrf', v), csrf);
}

/** The session token in the page's HttpOnly cookie (what the browser holds after signing in), or null. */
export async function sessionToken(page) {
  const c = (await page.context().cookies()).find((x) => x.name === 'ihos_session');
  return c ? c.value : null;
}

/** Signs in through the API and returns the bearer token (fails the test otherwise). */
export async function loginToken(baseUrl, phone, password = DEMO_PASSWORD) {
  const r = await apiCall(baseUrl, 'POST', '/auth/login', { body: { phone, password } });
  if (r.status !== 200) throw new Error(`login ${phone}: ${r.status} ${r.text}`);
  return r.json.token;
}

/**
 * The batch codes to scan for a drug order at its pharmacy, earliest expiry first and never an
 * expired batch (what the counter's batch scan accepts): one code per box, read from the
 * pharmacy's stock list with a staff token.
 */
export async function fefoBatchCodes(baseUrl, staffToken, orderId) {
  const order = await apiCall(baseUrl, 'GET', `/drug-orders/${orderId}`, { token: staffToken });
  if (order.status !== 200) throw new Error(`order ${orderId}: ${order.status} ${order.text}`);
  const stock = await apiCall(baseUrl, 'GET', `/pharmacies/${order.json.pharmacy_id}/stock`, { token: staffToken });
  if (stock.status !== 200) throw new Error(`stock: ${stock.status} ${stock.text}`);
  const codes = [];
  for (const line of order.json.lines) {
    const item = stock.json.items.find((i) => i.formulary_item_id === line.formulary_item_id);
    const batches = (item?.batches ?? []).filter((b) => !b.expired && b.on_hand > 0)
      .sort((a, b) => (a.expiry_date === b.expiry_date ? a.batch_no.localeCompare(b.batch_no) : a.expiry_date.localeCompare(b.expiry_date)));
    let left = line.quantity;
    for (const b of batches) {
      for (let k = 0; k < b.on_hand && left > 0; k++, left--) codes.push(b.batch_no);
      if (left === 0) break;
    }
    if (left > 0) throw new Error(`not enough stock to scan for line ${line.line_no}`);
  }
  return codes;
}

/** On the order desk: opens the batch scan of the order, scans `codes` one by one and dispenses. */
export async function scanAndDispense(desk, orderId, codes) {
  await desk.getByTestId(`desk-dispense-${orderId}`).click();
  const panel = desk.getByTestId('batch-scan');
  await desk.locator('[data-testid="batch-scan"][data-ready="true"]').waitFor();
  for (const [i, c] of codes.entries()) {
    await panel.getByTestId('batch-scan-input').fill(c);
    await panel.getByTestId('batch-scan-input').press('Enter');
    await panel.locator(`[data-testid="batch-scan-list"] li:nth-child(${i + 1})`).waitFor();
  }
  await panel.locator('[data-testid="batch-scan-dispense"]:not([disabled])').click();
  await panel.waitFor({ state: 'detached' });
}
