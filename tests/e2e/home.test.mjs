// The public home screen (issue #13): a guest sees search, the services grid, popular departments
// and doctors with their next free time and the bottom tab bar, in Chinese and English; an action
// that needs an account asks for a login and then returns to that action.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiCall, DEMO_PASSWORD, enterRegisterCodeViaUi, expectAccessible, fill, idNumber, loginToken, loginViaUi, newPage, registerCodeViaApi, registerViaApi, screenshot, seedDemo, useServerAndBrowser, DESKTOP, PHONE } from './helpers.mjs';

const env = useServerAndBrowser({ prepare: seedDemo });
const PATIENT = '13800000002'; // 演示·王芳 (seed-demo)

test('a guest sees the home screen in both languages, without logging in', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await page.goto('/');
  await page.getByTestId('welcome').waitFor();
  assert.equal(new URL(page.url()).pathname, '/', 'no redirect to /login');
  await page.getByTestId('home-search').waitFor();

  // Services grid: nine services, each a link (处方购药 leads to the drug orders, 买药 to the OTC
  // shop, the chronic-medicine need registry to its own page).
  for (const key of ['consultation', 'booking', 'selfCheck', 'healthCode', 'natTest', 'homeCare', 'medicine', 'otc', 'needs']) {
    assert.equal(await page.getByTestId(`tile-${key}`).evaluate((el) => el.tagName), 'A', key);
  }
  const medicine = page.getByTestId('tile-medicine');
  assert.match(await medicine.textContent(), /买药|购药/);
  assert.equal(new URL(await medicine.evaluate((el) => el.href)).pathname, '/drug-orders');
  assert.match(await page.getByTestId('tile-needs').textContent(), /慢病用药/);
  assert.equal(await page.locator('.is-soon').count(), 0, 'nothing left "coming soon"');

  // Popular departments and doctors with their next free time (seed-demo opens slots).
  await page.getByTestId('popular-departments').locator('a').first().waitFor();
  await page.getByTestId('popular-doctor').first().waitFor();
  assert.ok((await page.getByTestId('doctor-next-free').count()) > 0, 'a doctor shows the next free time');
  assert.match(await page.getByTestId('doctor-next-free').first().textContent(), /最近可约/);

  // Tab bar: 首页 / 问诊 / 消息 / 我的, the home tab current.
  const tabs = page.getByTestId('tabbar');
  assert.deepEqual(
    (await tabs.locator('a').allTextContents()).map((s) => s.trim()),
    ['首页', '问诊', '消息', '我的'],
  );
  assert.equal(await page.getByTestId('tab-home').getAttribute('aria-current'), 'page');
  await screenshot(page, 'home-guest-zh');

  await page.getByTestId('lang-en').click();
  await page.getByTestId('welcome').filter({ hasText: 'Welcome' }).waitFor();
  assert.deepEqual(
    (await tabs.locator('a').allTextContents()).map((s) => s.trim()),
    ['Home', 'Consult', 'Messages', 'Me'],
  );
  assert.match(await medicine.textContent(), /Medicine/);
  assert.match(await page.getByTestId('doctor-next-free').first().textContent(), /Next free/);
  await screenshot(page, 'home-guest-en');
  await page.context().close();
});

test('a new account on a phone: nine services, the tab bar on screen in both languages, 买药 opens the shop', async () => {
  const user = { realName: '孙一鸣', phone: '13700006666', password: 'Ihos-e2e-home-3', idNumber: idNumber('19900315', '257') };
  await registerViaApi(env.server.baseUrl, user);
  const page = await newPage(env.browser, env.server.baseUrl);
  await loginViaUi(page, user.phone, user.password);
  await page.getByTestId('greeting').waitFor();
  assert.equal(await page.getByTestId('tile-otc').evaluate((el) => new URL(el.href).pathname), '/otc');
  assert.match(await page.getByTestId('tile-otc').textContent(), /买药/);
  assert.equal(await page.locator('[data-testid^="tile-"]').count(), 9);

  for (const [lang, greeting] of [['zh', '您好'], ['en', 'Hello']]) {
    await page.getByTestId(`lang-${lang}`).click();
    await page.getByTestId('greeting').filter({ hasText: greeting }).waitFor();
    await page.getByTestId('popular-departments').locator('a').first().waitFor();
    // The page is no wider than the phone: a wider page (a long English department name) made the
    // browser's layout viewport taller than the screen, and the sticky tab bar sat below it.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${lang}: the home fits 390 px (${width})`);
    const bar = await page.getByTestId('tab-me').boundingBox();
    assert.ok(bar.y + bar.height <= 844, `${lang}: 我的 is on the screen (bottom at ${bar.y + bar.height})`);
    const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('[data-testid]')?.dataset.testid, { x: bar.x + bar.width / 2, y: bar.y + bar.height / 2 });
    assert.equal(hit, 'tab-me', `${lang}: nothing lies over 我的`);
    if (lang === 'en') assert.doesNotMatch(await page.getByTestId('popular-departments').innerText(), /\b1 doctors\b/, 'one doctor, not "1 doctors"');
    await screenshot(page, `home-new-account-${lang}`);
    await page.getByTestId('tab-me').click();
    await page.waitForURL((u) => u.pathname === '/me');
    await page.getByTestId('profile-card').waitFor();
    await page.getByTestId('tab-home').click();
    await page.getByTestId('greeting').waitFor();
  }
  // A desktop browser (1280×800): the phone column with its tab bar, nothing axe minds.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByTestId('tabbar').waitFor();
  await expectAccessible(page, 'the home of a new account at 1280×800');
  await screenshot(page, 'home-new-account-desktop');
  await page.setViewportSize({ width: 390, height: 844 });

  await page.getByTestId('lang-zh').click();
  await page.getByTestId('tile-otc').click();
  await page.waitForURL((u) => u.pathname === '/otc');
  await page.getByTestId('otc-shop').waitFor();
  assert.match(await page.getByTestId('otc-shop').innerText(), /买药（非处方药）/);
  await page.context().close();
});

test('search finds departments, doctors and the departments for a symptom, by keyboard', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await page.goto('/');
  await page.getByTestId('welcome').waitFor();
  // A doctor by name (seed-demo: 演示·李医生)
  await page.locator('#home-q').focus();
  await page.keyboard.type('李医生');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === '/search');
  await page.getByTestId('search-doctors').getByText('演示·李医生').waitFor();

  // A department by name
  await page.locator('#search-q').fill('皮肤');
  await page.locator('#search-q').press('Enter');
  await page.getByTestId('search-departments').getByText('皮肤科').waitFor();

  // A disease or symptom: the triage names departments that fit.
  await page.locator('#search-q').fill('皮肤瘙痒起红疹');
  await page.locator('#search-q').press('Enter');
  await page.getByTestId('search-diseases').locator('a').first().waitFor();
  await screenshot(page, 'home-search-zh');
  await page.context().close();
});

test('an action that needs an account asks for a login, then returns to it', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await page.goto('/');
  await page.getByTestId('welcome').waitFor();

  // 消息 tab → login → back on 消息
  await page.getByTestId('tab-messages').click();
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('redirect') === '/messages');
  await fill(page, 'phone', PATIENT);
  await fill(page, 'password', DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => u.pathname === '/messages');
  assert.equal(await page.getByTestId('tab-messages').getAttribute('aria-current'), 'page');

  // Home now greets the patient; 我的 holds the account.
  await page.getByTestId('tab-home').click();
  await page.getByTestId('greeting').filter({ hasText: '演示·王芳' }).waitFor();
  await page.getByTestId('tab-me').click();
  await page.getByTestId('profile-card').waitFor();
  await screenshot(page, 'home-me-zh');
  await page.context().close();
});

test('a guest who books a doctor registers and lands back on the booking', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await page.goto('/');
  await page.getByTestId('popular-doctor').first().click();
  await page.waitForURL((u) => /^\/doctors\/\d+$/.test(u.pathname));
  const doctorPath = new URL(page.url()).pathname;
  // Ask for a protected page of this doctor: the consultation start needs an account.
  await page.goto(`/consult/new?doctor=${doctorPath.split('/').pop()}`);
  await page.waitForURL((u) => u.pathname === '/login');
  const redirect = new URL(page.url()).searchParams.get('redirect');
  assert.match(redirect, /^\/consult\/new\?doctor=\d+$/);
  await page.getByTestId('to-register').click();
  await page.waitForURL((u) => u.pathname === '/register' && u.searchParams.get('redirect') === redirect);
  await fill(page, 'real_name', '周新');
  await fill(page, 'id_number', idNumber('19880808', '211'));
  await fill(page, 'phone', '13700004444');
  await fill(page, 'password', 'Ihos-e2e-home-1');
  await fill(page, 'password2', 'Ihos-e2e-home-1');
  await enterRegisterCodeViaUi(page, env.browser, env.server.baseUrl, '13700004444');
  await page.getByTestId('register-submit').click();
  await page.waitForURL((u) => `${u.pathname}${u.search}` === redirect);
  await page.context().close();
});

test('the home screen on a desktop browser keeps the phone column and the tab bar', async () => {
  const page = await newPage(env.browser, env.server.baseUrl, { ...DESKTOP, viewport: { width: 1280, height: 800 } });
  await page.goto('/');
  await page.getByTestId('welcome').waitFor();
  await page.getByTestId('tabbar').waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 1280, `no horizontal scroll (${width})`);
  await screenshot(page, 'home-guest-desktop');
  await page.context().close();
});

test('a loading screen before the app starts, and a progress bar while a page loads', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  // Hold the app's entry script until the loading screen has been seen.
  let releaseEntry;
  const entryHeld = new Promise((r) => (releaseEntry = r));
  await page.route(/\/assets\/index-[^/]+\.js$/, async (route) => {
    await entryHeld;
    await route.continue();
  });
  await page.goto('/', { waitUntil: 'commit' });
  await page.getByRole('status').filter({ hasText: '正在加载' }).waitFor();
  releaseEntry();
  await page.getByTestId('welcome').waitFor();
  assert.equal(await page.getByText('正在加载… / Loading…').count(), 0, 'the loading screen is gone');

  // Hold the search page's code: the progress bar shows until it arrives.
  let releaseChunk;
  const chunkHeld = new Promise((r) => (releaseChunk = r));
  await page.route(/\/assets\/SearchView-[^/]+\.js$/, async (route) => {
    await chunkHeld;
    await route.continue();
  });
  await page.locator('#home-q').fill('皮肤');
  await page.locator('#home-q').press('Enter');
  await page.getByTestId('route-progress').waitFor();
  releaseChunk();
  await page.getByTestId('search-results').waitFor();
  await page.getByTestId('route-progress').waitFor({ state: 'detached' });
  await page.context().close();
});

test('page titles are not hidden under the DEMO badge on a phone', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await page.goto('/login');
  await fill(page, 'phone', PATIENT);
  await fill(page, 'password', DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('greeting').waitFor();
  // English titles are the longer ones.
  await page.evaluate(() => localStorage.setItem('ihos.locale', 'en'));
  for (const p of ['/consultations', '/appointments', '/access-log', '/dependents', '/allergies']) {
    await page.goto(p);
    const nav = page.getByTestId('m-nav');
    await nav.getByTestId('demo-badge').waitFor();
    const title = nav.locator('.van-nav-bar__title');
    const [t, b] = await Promise.all([title.boundingBox(), nav.getByTestId('demo-badge').boundingBox()]);
    assert.ok(t.x + t.width <= b.x, `${p}: the title ends before the DEMO badge (${t.x + t.width} > ${b.x})`);
    const fits = await title.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
    assert.ok(fits, `${p}: the whole title is shown`);
  }
  await screenshot(page, 'home-title-dependents');
  await page.context().close();
});

test('booking and cancelling show up in 消息, unread until opened', async () => {
  const base = env.server.baseUrl;
  const user = { phone: '13700005555', password: 'Ihos-e2e-home-2' };
  const reg = await apiCall(base, 'POST', '/auth/register', {
    body: {
      phone: user.phone,
      password: user.password,
      real_name: '钱进',
      id_number: idNumber('19920202', '233'),
      sms_code: await registerCodeViaApi(base, user.phone),
    },
  });
  assert.equal(reg.status, 201, reg.text);
  const token = await loginToken(base, user.phone, user.password);
  // A free slot that starts after the self-cancel cut-off (120 minutes by default), whatever the
  // time of day the test runs at.
  const doctors = await apiCall(base, 'GET', '/doctors?sort=soonest&limit=1');
  const slots = await apiCall(base, 'GET', `/doctors/${doctors.json.items[0].id}/slots?days=7`);
  const slot = slots.json.items.find((s) => s.remaining > 0 && s.start_at > Date.now() + 4 * 3600 * 1000);
  assert.ok(slot, 'a free slot more than four hours ahead');
  const slotId = slot.id;
  const booked = await apiCall(base, 'POST', '/appointments', { token, body: { slot_id: slotId } });
  assert.equal(booked.status, 201, booked.text);

  const page = await newPage(env.browser, base);
  await page.goto('/login?redirect=/messages');
  await fill(page, 'phone', user.phone);
  await fill(page, 'password', user.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => u.pathname === '/messages');
  const first = page.getByTestId('message').first();
  await first.filter({ hasText: '预约成功' }).waitFor();
  await first.getByTestId('message-unread').waitFor();
  await first.click();
  await first.getByTestId('message-read').waitFor();

  const cancelled = await apiCall(base, 'POST', `/appointments/${booked.json.id}/cancel`, { token, body: {} });
  assert.equal(cancelled.status, 200, cancelled.text);
  await page.reload();
  await page.getByTestId('message').first().filter({ hasText: '预约已取消' }).waitFor();
  // The home's 消息 tab counts the unread one.
  await page.getByTestId('tab-home').click();
  await page.getByTestId('tab-messages').filter({ hasText: '1' }).waitFor();
  await screenshot(page, 'home-messages-badge');
  await page.context().close();
});

test('gate: no camera says so and offers the manual entry; text that is not a health code is not "recorded"', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await page.goto('/login?redirect=/gate');
  await fill(page, 'phone', '13800000022'); // 演示·门岗护士 (seed-demo)
  await fill(page, 'password', DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => u.pathname === '/gate');
  await page.getByTestId('gate-camera').click();
  await page.getByTestId('gate-camera-error').waitFor();
  assert.match(await page.getByTestId('gate-camera-error').textContent(), /手动输入/);
  await page.getByTestId('gate-manual').fill('hello, not a code');
  await page.getByTestId('gate-verify').click();
  await page.locator('[data-testid="gate-result"][data-result="malformed"]').waitFor();
  assert.equal(await page.getByTestId('gate-net').count(), 0, 'no "verified online and recorded" under "not a health code"');
  await screenshot(page, 'home-gate-malformed');
  await page.context().close();
});

test('the health authority and the lab open their working pages from the workbench', async () => {
  for (const [phone, nav, path] of [
    ['13800000021', 'nav-codeRules', '/healthcode/desk'],
    ['13800000021', 'nav-riskAreas', '/healthcode/risk-map'],
    ['13800000020', 'nav-results', '/healthcode/lab-import'],
  ]) {
    const page = await newPage(env.browser, env.server.baseUrl, DESKTOP);
    await page.goto('/login');
    await fill(page, 'phone', phone);
    await fill(page, 'password', DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('staff-layout').waitFor();
    const item = page.getByTestId(nav);
    assert.equal(await item.evaluate((el) => el.classList.contains('is-disabled')), false, `${nav} is not "coming soon"`);
    await item.click();
    await page.waitForURL((u) => u.pathname === path);
    await page.context().close();
  }
});

test('staff pages and 医生入驻 fit a phone screen', async () => {
  for (const [phone, path] of [
    ['13800000022', '/'],
    ['13800000022', '/staff/homeVisits'],
    ['13800000002', '/practise'],
  ]) {
    const page = await newPage(env.browser, env.server.baseUrl);
    await page.goto('/login');
    await fill(page, 'phone', phone);
    await fill(page, 'password', DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => u.pathname === '/');
    await page.goto(path);
    await page.locator(path === '/practise' ? '[data-testid="practise-page"]' : '[data-testid="staff-layout"]').waitFor();
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `${path} fits 390 px (${width})`);
    await page.context().close();
  }
});

// Elder mode draws the patient pages 1.4× (styles: `html.elder .m-page { zoom: 1.4 }`), so a 390 px
// phone leaves them 279 CSS px: a fixed width that fits at 1× (the health code's 240 px QR, the
// region picker's 260 px) pushed /healthcode and /needs/new to 409 px. Every patient page, opened
// straight by its address as a signed-in user in elder mode, must be drawn large and fit. (Layout
// only: the automatic axe audit is left to the tests of each page.)
test('in elder mode every patient page is drawn large and fits a 390 px phone', async () => {
  const base = env.server.baseUrl;
  const token = await loginToken(base, PATIENT);
  const on = await apiCall(base, 'PUT', '/me/settings', { token, body: { elder_mode: true } });
  assert.equal(on.status, 200, on.text);
  const page = await newPage(env.browser, base, PHONE, { audit: false });
  try {
    await loginViaUi(page, PATIENT, DEMO_PASSWORD);
    await page.getByTestId('elder-services').waitFor();
    const wide = [];
    for (const path of ['/', '/search?q=头痛', '/messages', '/me', '/me/security', '/dependents', '/access-log', '/self-check',
      '/departments', '/doctors', '/appointments', '/healthcode', '/tests', '/tests/mine', '/homecare', '/consult/new',
      '/consultations', '/prescriptions', '/allergies', '/insurance', '/bills', '/otc', '/drug-orders', '/needs', '/needs/new']) {
      await page.goto(path);
      await page.locator('.m-page').first().waitFor();
      await page.waitForLoadState('networkidle');
      const { elder, width } = await page.evaluate(() => ({
        elder: document.documentElement.classList.contains('elder'),
        width: document.documentElement.scrollWidth,
      }));
      if (!elder || width > 390) wide.push(`${path}: ${elder ? '' : 'not in elder mode, '}${width} px`);
    }
    assert.deepEqual(wide, [], 'pages in elder mode wider than the phone, or not drawn large');
    await page.goto('/healthcode');
    await page.getByTestId('hc-qr').waitFor();
    await screenshot(page, 'home-elder-healthcode-phone');
  } finally {
    await page.context().close();
    const off = await apiCall(base, 'PUT', '/me/settings', { token, body: { elder_mode: false } });
    assert.equal(off.status, 200, `elder mode switched back off for the other tests: ${off.text}`);
  }
});

test('the access log reads as sentences, and repeated reads by one doctor are one line', async () => {
  const base = env.server.baseUrl;
  const patientToken = await loginToken(base, PATIENT);
  const doctorToken = await loginToken(base, '13800000003'); // 演示·李医生, the demo consultation's doctor
  const mine = await apiCall(base, 'GET', '/consultations?role=patient', { token: patientToken });
  const c = mine.json.items.find((x) => x.practitioner?.name === '演示·李医生');
  assert.ok(c, 'seed-demo has a consultation with 演示·李医生');
  // Three reloads of the doctor's workstation: three audit rows.
  for (let i = 0; i < 3; i++) assert.equal((await apiCall(base, 'GET', `/consultations/${c.id}`, { token: doctorToken })).status, 200);

  const page = await newPage(env.browser, base);
  await page.goto('/login?redirect=/access-log');
  await fill(page, 'phone', PATIENT);
  await fill(page, 'password', DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => u.pathname === '/access-log');
  const line = page.getByTestId('access-log-item').filter({ hasText: '演示·李医生（医生）在问诊中查看了你的问诊记录' });
  await line.first().waitFor();
  assert.equal(await line.count(), 1, 'the three reads are one line');
  assert.ok(Number(await line.getAttribute('data-count')) >= 3);
  assert.match(await line.getByTestId('access-log-times').textContent(), /共 \d+ 次/);
  assert.doesNotMatch(await page.getByTestId('access-log-list').textContent(), /consultation\.read|treating|Encounter/);
  await screenshot(page, 'home-access-log-zh');
  await page.getByTestId('lang-en').click();
  await page.getByTestId('access-log-sentence').filter({ hasText: 'viewed your consultation record during a consultation' }).first().waitFor();
  await page.context().close();
});

test('the self-check says honestly that it reads Chinese when the words are English', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await page.goto('/self-check');
  await page.getByTestId('triage-text').locator('textarea').fill('chest pain and cold sweat');
  await page.getByTestId('triage-submit').click();
  await page.getByTestId('triage-english').waitFor();
  assert.doesNotMatch(await page.locator('main, body').first().textContent(), /匹配度\s*\d+%/);
  await page.context().close();
});
