// Register → home shows the name → English UI → logout → log in again; wrong password message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  expectAccessible,
  apiCall,
  enterRegisterCodeViaUi,
  fill,
  idNumber,
  loginViaUi,
  newPage,
  registerCodeViaApi,
  screenshot,
  sessionToken,
  useServerAndBrowser,
} from './helpers.mjs';

const env = useServerAndBrowser();

test('register, see home in Chinese, switch to English, log out, log in again', async () => {
  const user = { realName: '张晓梅', phone: '13812345678', password: 'Ihos-e2e-pass-1', idNumber: idNumber('19850612', '124') };
  const page = await newPage(env.browser, env.server.baseUrl);
  const langs = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/v1/')) langs.push([new URL(req.url()).pathname, req.headers()['accept-language']]);
  });

  // Not logged in: the public home, whose login button leads to the login page with the language switch.
  await page.goto('/');
  await page.getByTestId('home-login').click();
  await page.waitForURL('**/login');
  await page.getByTestId('login-form').waitFor();
  assert.equal(await page.getByTestId('lang-zh').getAttribute('aria-pressed'), 'true');
  await screenshot(page, 'login-zh');
  await expectAccessible(page, 'login-zh'); // issue 19: axe on every page shown

  await page.getByTestId('to-register').click();
  await page.waitForURL('**/register');
  await fill(page, 'real_name', user.realName);
  await fill(page, 'id_number', user.idNumber);
  await fill(page, 'phone', user.phone);
  await fill(page, 'password', user.password);
  await fill(page, 'password2', user.password);
  // Phone verification (issue 17): 获取验证码, then the code from the demo SMS page.
  await enterRegisterCodeViaUi(page, env.browser, env.server.baseUrl, user.phone);
  const countdown = (await page.getByTestId('register-send-code').textContent()).trim();
  assert.match(countdown, /\d+ 秒后重发/, 'the button counts down');
  assert.equal(await page.getByTestId('register-send-code').isDisabled(), true);
  await screenshot(page, 'register-zh');
  await expectAccessible(page, 'register-zh'); // issue 19: axe on every page shown
  await page.getByTestId('register-submit').click();

  // Registered and logged in: the patient home greets us by name, in Chinese.
  await page.waitForURL((u) => u.pathname === '/');
  const greeting = page.getByTestId('greeting');
  await greeting.waitFor();
  assert.equal((await greeting.textContent()).trim(), `您好，${user.realName}`);
  // Every service is a link now (buying medicine leads to the drug orders).
  const medicine = page.getByTestId('tile-medicine');
  assert.match(await medicine.textContent(), /处方购药/);
  assert.equal(await medicine.evaluate((el) => el.tagName), 'A');
  assert.equal(await page.getByTestId('tile-consultation').evaluate((el) => el.tagName), 'A');
  await screenshot(page, 'home-patient-zh');
  await expectAccessible(page, 'home-patient-zh'); // issue 19: axe on every page shown
  // 我的: the profile, masked.
  await page.getByTestId('tab-me').click();
  const profile = page.getByTestId('profile-card');
  assert.match(await profile.textContent(), /\*{4}/, 'phone and ID are masked');
  assert.ok(!(await profile.textContent()).includes(user.idNumber), 'the full ID number is never shown');
  assert.ok(!(await profile.textContent()).includes(user.phone), 'the full phone number is never shown');
  assert.equal(await page.getByTestId('tile-dependents').evaluate((el) => el.tagName), 'A');
  await page.getByTestId('tab-home').click();

  // English: the whole UI and the API's Accept-Language follow, and the choice survives a reload.
  await page.getByTestId('lang-en').click();
  await assert.doesNotReject(greeting.filter({ hasText: `Hello, ${user.realName}` }).waitFor());
  assert.match(await medicine.textContent(), /Medicine/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await page.evaluate(() => localStorage.getItem('ihos.locale')), 'en');
  langs.length = 0;
  await page.reload();
  await greeting.filter({ hasText: `Hello, ${user.realName}` }).waitFor();
  await page.getByTestId('tab-me').click();
  await page.getByText('Log out').waitFor();
  const me = langs.find(([p]) => p === '/api/v1/me');
  assert.ok(me, 'the app asked /api/v1/me after the reload');
  assert.equal(me[1], 'en', 'API calls carry the UI language');
  await screenshot(page, 'home-patient-en');
  await expectAccessible(page, 'home-patient-en'); // issue 19: axe on every page shown

  // Log out: back on the login page (still in English), and the token is gone.
  await page.getByTestId('logout').click();
  await page.locator('.van-dialog__confirm').click();
  await page.waitForURL('**/login');
  await page.getByRole('heading', { name: 'Welcome' }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('ihos.token')), null);
  await page.goto('/dependents');
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('redirect') === '/dependents');
  await screenshot(page, 'login-en');
  await expectAccessible(page, 'login-en'); // issue 19: axe on every page shown

  // Log in again: the redirect brings us to the page we asked for.
  await fill(page, 'phone', user.phone);
  await fill(page, 'password', user.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL('**/dependents');
  await page.getByText('No family members yet').waitFor(); // the page has finished loading

  // When the server ends the session, the next API call (401) brings the user back to login.
  const token = await sessionToken(page);
  assert.ok(token);
  const out = await apiCall(env.server.baseUrl, 'POST', '/auth/logout', { token });
  assert.equal(out.status, 204);
  // In-app navigation: the page still thinks it is logged in; the home asks for the messages (401).
  await page.locator('.m-nav__back').click();
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('expired') === '1');
  await page.getByText('Your session has ended. Please log in again.').waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('ihos.token')), null, 'the refused token is forgotten');
  await page.context().close();
});

test('a wrong password shows the server message in the chosen language', async () => {
  const phone = '13900001111';
  const password = 'Ihos-e2e-pass-2';
  const reg = await apiCall(env.server.baseUrl, 'POST', '/auth/register', {
    body: {
      phone,
      password,
      real_name: '李建国',
      id_number: idNumber('19700101', '135'),
      sms_code: await registerCodeViaApi(env.server.baseUrl, phone),
    },
  });
  assert.equal(reg.status, 201, reg.text);
  const bad = { phone, password: 'not-the-password' };
  const zh = await apiCall(env.server.baseUrl, 'POST', '/auth/login', { body: bad, lang: 'zh-CN' });
  assert.equal(zh.status, 401, zh.text);
  assert.ok(zh.json?.message?.['zh-CN'] && zh.json?.message?.en, `problem+json with both messages: ${zh.text}`);

  const page = await newPage(env.browser, env.server.baseUrl);
  await loginViaUi(page, bad.phone, bad.password);
  const err = page.getByTestId('form-error');
  await err.filter({ hasText: zh.json.message['zh-CN'] }).waitFor();
  assert.match(page.url(), /\/login/);
  await page.getByTestId('lang-en').click();
  await err.filter({ hasText: zh.json.message.en }).waitFor();
  await page.context().close();
});

test('registration needs the SMS code: none, a wrong one and a used one are refused', async () => {
  const base = env.server.baseUrl;
  const phone = '13900002222';
  const body = { phone, password: 'Ihos-e2e-pass-4', real_name: '赵敏', id_number: idNumber('19800303', '146') };
  const none = await apiCall(base, 'POST', '/auth/register', { body });
  assert.equal(none.status, 400, none.text);
  assert.equal(none.json.errors[0].field, 'sms_code');
  const code = await registerCodeViaApi(base, phone);
  const wrong = await apiCall(base, 'POST', '/auth/register', {
    body: { ...body, sms_code: code === '000000' ? '111111' : '000000' },
    lang: 'en',
  });
  assert.equal(wrong.status, 400, wrong.text);
  assert.equal(wrong.json.code, 'sms_code_invalid');
  assert.ok(wrong.json.message['zh-CN'] && wrong.json.message.en);
  const ok = await apiCall(base, 'POST', '/auth/register', { body: { ...body, sms_code: code } });
  assert.equal(ok.status, 201, ok.text);
  const reuse = await apiCall(base, 'POST', '/auth/register', {
    body: { ...body, id_number: idNumber('19800303', '157'), sms_code: code },
  });
  assert.equal(reuse.json.code, 'sms_code_invalid');

  // The demo SMS page, labelled 演示 DEMO, shows the message to the phone.
  const page = await newPage(env.browser, base);
  await page.goto('/demo/sms');
  await page.getByTestId('demo-sms-page').filter({ hasText: '演示' }).waitFor();
  await fill(page, 'phone', phone);
  await page.getByTestId('demo-sms-show').click();
  await page.getByTestId('demo-sms-message').filter({ hasText: code }).waitFor();
  await screenshot(page, 'demo-sms-zh');
  await expectAccessible(page, 'demo-sms-zh');
  await page.context().close();
});
