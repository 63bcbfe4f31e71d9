// Accessibility and elder mode (长辈模式). A keyboard-only walk (login → book a visit →
// send a chat message), a booking in elder mode with its text and target sizes measured, axe-core
// on the pages of the issue as their demo roles, the voice-input fallback, and screenshots at phone
// and desktop width in both modes (test-results/a11y-*.png); at a 24 px browser font size the phone pages grow and nothing
// covers or clips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, DESKTOP, apiCall, expectAccessible, loginToken, loginViaUi, newPage, screenshot, seedDemo, useServerAndBrowser } from './helpers.mjs';

const PATIENT = '13800000002';
const DOCTOR = '13800000003';
const WIDE = { ...DESKTOP, viewport: { width: 1280, height: 800 } };

const env = useServerAndBrowser({ prepare: seedDemo });

/** What has the keyboard focus: its data-testid, else its tag and text (for messages). */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '(body)';
    return el.getAttribute('data-testid') || `${el.tagName.toLowerCase()} ${(el.textContent || '').trim().slice(0, 30)}`;
  });
}

/**
 * Presses Tab until the focused element matches `selector` (at most `max` presses), so a test
 * proves the control is reachable by keyboard in the page's own order. Fails with the path taken.
 */
async function tabTo(page, selector, max = 120) {
  const path = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => !!document.activeElement?.matches(s), selector)) return;
    path.push(await focused(page));
  }
  assert.fail(`Tab never reached ${selector}; focus went: ${path.slice(-25).join(' → ')}`);
}

/** The focused element has a visible focus indicator (an outline or a box shadow). */
async function expectVisibleFocus(page, what) {
  const ring = await page.evaluate(() => {
    const s = getComputedStyle(document.activeElement);
    return { outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2, shadow: s.boxShadow !== 'none' };
  });
  assert.ok(ring.outline || ring.shadow, `${what}: the keyboard focus is visible`);
}

/** Waits until the "booked" toast has gone (axe judges the page, not a fading toast). */
function toastGone(page) {
  return page.waitForFunction(() => ![...document.querySelectorAll('.van-toast')].some((e) => e.getClientRects().length > 0));
}

async function freshPage(device) {
  const page = await newPage(env.browser, env.server.baseUrl, device);
  return page;
}

test('keyboard only: sign in, book a visit, send a chat message (Tab, Enter, Space; no clicks)', async () => {
  const page = await freshPage();
  await page.goto('/login');
  await page.locator('input[name="phone"]').waitFor();
  await expectAccessible(page, 'login');
  await tabTo(page, 'input[name="phone"]');
  await expectVisibleFocus(page, 'phone field');
  // Submitted empty: the field's error is tied to it (aria-describedby) and announced (role=alert).
  await page.keyboard.press('Enter');
  await page.locator('input[name="phone"][aria-invalid="true"]').waitFor();
  const tied = await page.locator('input[name="phone"]').evaluate((el) => {
    const msg = document.getElementById(el.getAttribute('aria-describedby')?.split(' ').pop() ?? '');
    return msg ? { role: msg.getAttribute('role'), text: msg.textContent.trim() } : null;
  });
  assert.equal(tied?.role, 'alert', 'the phone error is announced');
  assert.match(tied?.text ?? '', /手机号/);
  await page.keyboard.type(PATIENT);
  await tabTo(page, 'input[name="password"]');
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByTestId('greeting').waitFor();
  await expectAccessible(page, 'home (patient)');

  // 挂号: home → departments → a department → a doctor → a free slot → confirm.
  await tabTo(page, '[data-testid="tile-booking"]');
  await expectVisibleFocus(page, 'booking tile');
  await page.keyboard.press('Enter');
  await page.getByTestId('department-grid').waitFor();
  await expectAccessible(page, 'departments');
  // The sub-page back arrow is a real button with a name, reached by Tab.
  await tabTo(page, '[data-testid="m-nav-back"]', 5);
  assert.ok((await page.getByTestId('m-nav-back').getAttribute('aria-label'))?.length, 'the back button has a name');
  await tabTo(page, '[data-testid="department-endocrinology"]');
  await page.keyboard.press('Enter');
  await page.getByTestId('doctor-card').first().waitFor();
  await expectAccessible(page, 'doctor list');
  await tabTo(page, '[data-testid="doctor-card"]');
  await page.keyboard.press('Enter');
  await page.getByTestId('doctor-name').waitFor();
  await page.getByTestId('slot-days').waitFor();
  await expectAccessible(page, 'doctor profile');
  // A day with free places, chosen with Space, then its first bookable slot with Enter.
  await tabTo(page, '[data-testid^="day-"]:not(.dayb--none)');
  await page.keyboard.press('Space');
  await page.getByTestId('slot').first().waitFor();
  await tabTo(page, '[data-testid="slot"]:not([disabled])');
  await page.keyboard.press('Enter');
  await page.getByTestId('booking-summary').waitFor();
  await expectAccessible(page, 'book confirm');
  await tabTo(page, '[data-testid="book-submit"]');
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => u.pathname === '/appointments' && u.searchParams.has('booked'));
  await toastGone(page);
  await expectAccessible(page, 'my appointments');

  // 我的问诊 → the consultation with 演示·李医生 → a message, sent with Enter.
  await page.goto('/consultations');
  await page.getByTestId('consultation-item').first().waitFor();
  await expectAccessible(page, '我的问诊');
  await tabTo(page, '[data-testid="consultation-item"][data-status="active"], [data-testid="consultation-item"][data-status="waiting"]');
  await page.keyboard.press('Enter');
  await page.getByTestId('chat-messages').waitFor();
  await tabTo(page, '[data-testid="chat-input"]');
  await expectVisibleFocus(page, 'chat input');
  await page.keyboard.type('键盘发送的消息');
  await page.keyboard.press('Enter');
  await page.getByTestId('chat-message').filter({ hasText: '键盘发送的消息' }).first().waitFor();
  assert.equal(await page.getByTestId('chat-live').getAttribute('aria-live'), 'polite', 'the chat has a live region');
  await expectAccessible(page, 'consultation chat');
  await page.context().close();
});

test('voice input: without speech recognition a clear message says to type', async () => {
  const page = await freshPage();
  // Headless Chromium names webkitSpeechRecognition but has no recogniser behind it; take it away,
  // as Firefox and most in-app browsers have none.
  await page.addInitScript(() => {
    delete window.SpeechRecognition;
    delete window.webkitSpeechRecognition;
  });
  await loginViaUi(page, PATIENT, DEMO_PASSWORD);
  await page.getByTestId('greeting').waitFor();
  await page.goto('/consultations');
  await page.getByTestId('consultation-item').first().click();
  const voice = page.getByTestId('voice-input');
  await voice.waitFor();
  const box = await voice.boundingBox();
  assert.ok(box.width >= 44 && box.height >= 44, `voice button is 44×44 or more (${box.width}×${box.height})`);
  await voice.focus();
  await page.keyboard.press('Enter');
  const msg = page.getByTestId('voice-input-message');
  await msg.waitFor();
  assert.equal(await msg.getAttribute('role'), 'alert');
  assert.match(await msg.textContent(), /不支持语音输入.*键盘/);
  await expectAccessible(page, 'chat with the voice message');
  await page.context().close();
});

/** Every visible button and card link on the page (not the nav bar tools) is ≥ `min` px high. */
async function smallTargets(page, min) {
  return page.evaluate((m) => {
    const out = [];
    for (const el of document.querySelectorAll('.m-page :is(button, .van-button, a.m-card)')) {
      if (el.closest('.m-nav__right')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.height < m) out.push(`${el.getAttribute('data-testid') || el.className} ${Math.round(r.height)}px`);
    }
    return out;
  }, min);
}

/** The drawn size (px) of the text of the first element matching `selector` (CSS zoom included). */
function textSize(page, selector) {
  return page.locator(selector).first().evaluate((el) => parseFloat(getComputedStyle(el).fontSize) * (el.currentCSSZoom ?? 1));
}

test('elder mode: large text and targets, the usual services first, books a visit, remembered per account', async () => {
  const page = await freshPage();
  await loginViaUi(page, PATIENT, DEMO_PASSWORD);
  await page.getByTestId('greeting').waitFor();
  await page.getByTestId('elder-toggle').click();
  await page.getByTestId('elder-services').waitFor();
  assert.equal(await page.getByTestId('elder-toggle').getAttribute('aria-pressed'), 'true');
  const order = await page.getByTestId('elder-services').locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('data-testid')));
  assert.deepEqual(order, ['elder-consult', 'elder-refill', 'elder-healthCode', 'elder-book', 'elder-family']);
  assert.equal(await page.getByTestId('popular-doctors').count(), 0, 'fewer items: no popular doctors list');
  assert.ok((await textSize(page, '.home-hero__sub')) >= 18, 'body text ≥ 18 px');
  assert.deepEqual(await smallTargets(page, 60), [], 'targets ≥ 60 px on the home screen');
  await expectAccessible(page, 'home in elder mode');
  await screenshot(page, 'a11y-elder-home-phone');

  await page.getByTestId('elder-book').click();
  await page.getByTestId('department-grid').waitFor();
  assert.ok((await textSize(page, '.dept__name')) >= 18, 'department names ≥ 18 px');
  assert.deepEqual(await smallTargets(page, 60), [], 'targets ≥ 60 px on the departments');
  await expectAccessible(page, 'departments in elder mode');
  await page.getByTestId('department-endocrinology').click();
  await page.getByTestId('doctor-card').first().waitFor();
  assert.ok((await textSize(page, '.doc__name')) >= 18, 'doctor names ≥ 18 px');
  assert.deepEqual(await smallTargets(page, 60), [], 'targets ≥ 60 px on the doctor list');
  await expectAccessible(page, 'doctor list in elder mode');
  await page.getByTestId('doctor-card').first().click();
  await page.getByTestId('slot-days').waitFor();
  // The last day with free places: the keyboard test booked the first day's first slot, and late in
  // the afternoon (China time) that day has one slot time left, which this booking would overlap.
  await page.locator('[data-testid^="day-"]:not(.dayb--none)').last().click();
  await page.locator('[data-testid="slot"]:not([disabled])').first().waitFor();
  assert.deepEqual(await smallTargets(page, 60), [], 'targets ≥ 60 px on the doctor profile');
  await expectAccessible(page, 'doctor profile in elder mode');
  await screenshot(page, 'a11y-elder-profile-phone');
  // The last free slot of that day.
  await page.locator('[data-testid="slot"]:not([disabled])').last().click();
  await page.getByTestId('booking-summary').waitFor();
  assert.ok((await textSize(page, '[data-testid="summary-time"]')) >= 18, 'booking summary ≥ 18 px');
  assert.deepEqual(await smallTargets(page, 60), [], 'targets ≥ 60 px on the confirmation');
  await expectAccessible(page, 'book confirm in elder mode');
  await page.getByTestId('book-submit').click();
  await page.waitForURL((u) => u.pathname === '/appointments' && u.searchParams.has('booked'));
  await toastGone(page);
  await expectAccessible(page, 'my appointments in elder mode');

  // Remembered after a reload, and kept with the account: another browser (nothing in its
  // storage) that signs in as the same patient opens in elder mode.
  await page.reload();
  await page.waitForFunction(() => document.documentElement.classList.contains('elder'));
  const other = await freshPage();
  await loginViaUi(other, PATIENT, DEMO_PASSWORD);
  await other.getByTestId('elder-services').waitFor();
  assert.equal(await other.evaluate(() => document.documentElement.classList.contains('elder')), true, 'elder mode follows the account');
  await other.context().close();

  // Switched off again from 我的, on the account too.
  await page.goto('/me');
  const sw = page.getByTestId('elder-switch');
  assert.equal(await sw.getAttribute('aria-checked'), 'true');
  await expectAccessible(page, '我的 in elder mode');
  const [saved] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/me/settings') && r.request().method() === 'PUT'),
    sw.click(),
  ]);
  assert.equal(saved.status(), 200);
  assert.equal(await sw.getAttribute('aria-checked'), 'false');
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elder')), false);
  const settings = await apiCall(env.server.baseUrl, 'GET', '/me/settings', { token: await loginToken(env.server.baseUrl, PATIENT) });
  assert.equal(settings.json.elder_mode, false, 'the account has it off');
  await page.context().close();
});

test('axe-core finds no critical or serious violation on the patient and doctor pages, phone and desktop', async () => {
  const base = env.server.baseUrl;
  const token = await loginToken(base, PATIENT);
  const consultations = await apiCall(base, 'GET', '/consultations', { token });
  const consultId = consultations.json.items[0].id;
  const doctors = await apiCall(base, 'GET', '/doctors');
  const doctorId = doctors.json.items[0].id;

  const guest = await freshPage();
  for (const [p, ready] of [
    ['/', 'welcome'],
    ['/register', 'register-submit'],
    ['/departments', 'department-grid'],
    ['/doctors', 'doctor-card'],
    [`/doctors/${doctorId}`, 'slot-days'],
  ]) {
    await guest.goto(p);
    await guest.getByTestId(ready).first().waitFor();
    await expectAccessible(guest, `${p} (guest)`);
  }
  await guest.context().close();

  for (const [device, name] of [
    [undefined, 'phone'],
    [WIDE, 'desktop'],
  ]) {
    const page = await freshPage(device);
    await loginViaUi(page, PATIENT, DEMO_PASSWORD);
    await page.getByTestId('greeting').waitFor();
    for (const [p, ready] of [
      ['/', 'greeting'],
      ['/me', 'profile-card'],
      ['/messages', 'tabbar'],
      ['/appointments', 'm-nav'],
      ['/consultations', 'consultation-item'],
      [`/consult/${consultId}`, 'chat-input'],
      ['/dependents', 'm-nav'],
    ]) {
      await page.goto(p);
      await page.getByTestId(ready).first().waitFor();
      await expectAccessible(page, `${p} (patient, ${name})`);
    }
    await page.goto('/');
    await page.getByTestId('greeting').waitFor();
    await screenshot(page, `a11y-home-${name}`);
    await page.getByTestId('elder-toggle').click();
    await page.getByTestId('elder-services').waitFor();
    // The large service cards keep the page's side margins (they do not touch the column's edges).
    const gaps = await page.getByTestId('elder-services').locator('a').evaluateAll((as) => {
      const col = as[0].closest('.m-page').getBoundingClientRect();
      return as.map((a) => {
        const r = a.getBoundingClientRect();
        return Math.min(r.left - col.left, col.right - r.right);
      });
    });
    assert.ok(gaps.every((g) => g >= 12), `${name}: elder cards keep a margin from the edges (${gaps.join(', ')} px)`);
    await screenshot(page, `a11y-elder-home-${name}`);
    await page.goto(`/consult/${consultId}`);
    await page.getByTestId('chat-input').waitFor();
    await screenshot(page, `a11y-elder-chat-${name}`);
    await page.context().close();
    // Elder mode is kept with the account: off again for the next round.
    assert.equal((await apiCall(base, 'PUT', '/me/settings', { token, body: { elder_mode: false } })).status, 200);
  }

  const doc = await freshPage(WIDE);
  await loginViaUi(doc, DOCTOR, DEMO_PASSWORD);
  await doc.getByTestId('staff-title').waitFor();
  await doc.goto('/staff/schedule');
  await doc.getByTestId('period-weekday').first().waitFor();
  await expectAccessible(doc, 'schedule editor');
  await screenshot(doc, 'a11y-schedule-desktop');
  await doc.goto('/staff/queue');
  await doc.getByTestId('ws-sound').waitFor();
  assert.equal(await doc.getByTestId('ws-sound').locator('input').getAttribute('aria-label'), '提示音', 'the 提示音 switch has a name');
  await expectAccessible(doc, 'workstation');
  await screenshot(doc, 'a11y-workstation-desktop');
  await doc.context().close();
});

test('at 200% zoom (a 195 px wide phone) the sub-page title is not covered and nothing is cut off at the right', async () => {
  const page = await freshPage({ viewport: { width: 195, height: 422 }, deviceScaleFactor: 4, isMobile: true, hasTouch: true });
  await loginViaUi(page, PATIENT, DEMO_PASSWORD);
  await page.getByTestId('greeting').waitFor();
  for (const p of ['/departments', '/consultations', '/appointments', '/dependents']) {
    await page.goto(p);
    const nav = page.getByTestId('m-nav');
    await nav.getByTestId('demo-badge').waitFor();
    const title = await nav.locator('h1').boundingBox();
    for (const tool of ['demo-badge', 'lang-zh', 'lang-en', 'm-nav-back']) {
      const b = await nav.getByTestId(tool).boundingBox();
      const overlap = b.x < title.x + title.width && title.x < b.x + b.width && b.y < title.y + title.height && title.y < b.y + b.height;
      assert.ok(!overlap, `${p}: ${tool} does not cover the title`);
    }
    assert.ok(await nav.locator('h1').evaluate((el) => el.scrollWidth <= el.clientWidth + 1), `${p}: the whole title is shown`);
    const outside = await page.evaluate(() =>
      [...document.querySelectorAll('.m-page *')].filter((e) => e.getBoundingClientRect().right > 196).map((e) => e.className),
    );
    assert.deepEqual(outside, [], `${p}: nothing drawn past the right edge`);
  }
  await screenshot(page, 'a11y-zoom200-dependents');
  await page.context().close();
});

test('with the browser font size at 24 px the phone pages grow, the nav tools leave the title free and buttons keep their labels', async () => {
  const base = env.server.baseUrl;
  const token = await loginToken(base, PATIENT);
  const consultId = (await apiCall(base, 'GET', '/consultations', { token })).json.items[0].id;
  const doctorId = (await apiCall(base, 'GET', '/doctors')).json.items[0].id;
  const page = await freshPage();
  // The reader's own setting (Settings → Appearance → Font size), not a zoom: only sizes given in
  // rem (or em) follow it.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 24 } });
  await page.goto('/login');
  await page.locator('input[name="phone"]').waitFor();
  assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize), '24px', 'the browser font size is 24 px');
  await loginViaUi(page, PATIENT, DEMO_PASSWORD);
  await page.getByTestId('greeting').waitFor();
  const pages = [
    ['/', 'greeting'],
    ['/departments', 'department-grid'],
    ['/doctors', 'doctor-card'],
    [`/doctors/${doctorId}`, 'slot-days'],
    ['/appointments', 'm-nav'],
    ['/consultations', 'consultation-item'],
    [`/consult/${consultId}`, 'chat-input'],
    ['/healthcode', 'm-nav'],
    ['/me', 'profile-card'],
    ['/dependents', 'm-nav'],
    ['/self-check', 'm-nav'],
  ];
  for (const [p, ready] of pages) {
    await page.goto(p);
    await page.getByTestId(ready).first().waitFor();
    const found = await page.evaluate(() => {
      const bad = [];
      const box = (el) => el.getBoundingClientRect();
      const overlaps = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
      // The nav bar's title is not under the DEMO badge, the language switch or the back button.
      const title = document.querySelector('[data-testid="m-nav"] .m-nav__title');
      if (title) {
        for (const id of ['demo-badge', 'lang-zh', 'lang-en', 'm-nav-back']) {
          const tool = document.querySelector(`[data-testid="m-nav"] [data-testid="${id}"]`);
          if (tool && overlaps(box(tool), box(title))) bad.push(`${id} covers the title`);
        }
        if (title.scrollWidth > title.clientWidth + 1) bad.push(`the title is cut: ${title.textContent}`);
      }
      // Every visible button shows its whole label.
      for (const el of document.querySelectorAll('.m-page :is(button, .van-button, [role="button"], a.van-button)')) {
        const r = box(el);
        if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
        if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
          bad.push(`button clips its label: ${el.getAttribute('data-testid') || el.className} "${el.textContent.trim().slice(0, 20)}" ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`);
      }
      // The text really is larger: the page's body text follows the 24 px setting (14 px → 21 px).
      const size = parseFloat(getComputedStyle(document.body).fontSize);
      if (size < 21) bad.push(`body text is ${size}px`);
      return bad;
    });
    assert.deepEqual(found, [], `${p} at a 24 px browser font size`);
  }
  await screenshot(page, 'a11y-font24-consultations');
  await page.context().close();
});
