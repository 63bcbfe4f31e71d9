// A bad ID number (wrong check character) is refused by the server, and the page shows the
// server's own message in the language the user chose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAccessible, apiCall, checkChar, fill, newPage, screenshot, useServerAndBrowser, withWrongCheck } from './helpers.mjs';

const env = useServerAndBrowser();

test('a wrong ID check character shows the server message in zh-CN, then in en', async () => {
  const first17 = '11010519491231002';
  const badId = withWrongCheck(first17 + checkChar(first17));
  assert.notEqual(badId, first17 + checkChar(first17));
  const form = { real_name: '王志强', id_number: badId, phone: '13700007777', password: 'Ihos-e2e-pass-3' };

  // What the server says about it, in each language.
  const answers = {};
  for (const lang of ['zh-CN', 'en']) {
    const r = await apiCall(env.server.baseUrl, 'POST', '/auth/register', { body: form, lang });
    assert.ok(r.status === 400 || r.status === 422, `expected 400/422, got ${r.status}: ${r.text}`);
    assert.match(r.contentType, /application\/problem\+json/);
    assert.ok(r.json?.message?.['zh-CN'] && r.json?.message?.en, `message in both languages: ${r.text}`);
    answers[lang] = r.json;
  }
  const problem = answers['zh-CN'];
  const fieldErr = (problem.errors ?? []).find((e) => e.field === 'id_number');

  const page = await newPage(env.browser, env.server.baseUrl);
  const sent = [];
  page.on('request', (req) => {
    if (req.url().endsWith('/api/v1/auth/register')) sent.push(req.headers()['accept-language']);
  });
  await page.goto('/register');
  await fill(page, 'real_name', form.real_name);
  await fill(page, 'id_number', form.id_number);
  await fill(page, 'phone', form.phone);
  await fill(page, 'password', form.password);
  await fill(page, 'password2', form.password);

  // Chinese.
  await page.getByTestId('register-submit').click();
  const box = page.getByTestId('form-error');
  await box.filter({ hasText: problem.message['zh-CN'] }).waitFor();
  const idField = page.getByTestId('field-id-number').locator('.van-field__error-message');
  if (fieldErr) await idField.filter({ hasText: fieldErr.message['zh-CN'] }).waitFor();
  assert.equal(sent.at(-1), 'zh-CN');
  assert.match(page.url(), /\/register$/, 'still on the register page');
  await screenshot(page, 'register-bad-id-zh');
  await expectAccessible(page, 'register-bad-id-zh'); // issue 19: axe on every page shown

  // English: the shown message switches at once, and a new attempt asks in English.
  await page.getByTestId('lang-en').click();
  await box.filter({ hasText: problem.message.en }).waitFor();
  const [resp] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/register')),
    page.getByTestId('register-submit').click(),
  ]);
  assert.equal(resp.status(), answers.en.status);
  await box.filter({ hasText: answers.en.message.en }).waitFor();
  if (fieldErr) await idField.filter({ hasText: fieldErr.message.en }).waitFor();
  assert.equal(sent.at(-1), 'en');
  assert.equal(sent.length, 2);
  await screenshot(page, 'register-bad-id-en');
  await expectAccessible(page, 'register-bad-id-en'); // issue 19: axe on every page shown
  await page.context().close();
});
