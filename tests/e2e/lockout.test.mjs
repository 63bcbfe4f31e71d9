// A stranger cannot lock the owner out: five wrong passwords for a phone from another address
// (the server's limits key on the client address) refuse that address, while the owner, with the
// right password, is asked for an SMS code (demo sender), enters it and is in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { expectAccessible, fill, idNumber, loginViaUi, newPage, registerViaApi, screenshot, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

/** POST /api/v1/auth/login from another loopback address (a stranger's machine), as the API test does. */
function loginFrom(localAddress, body) {
  const url = new URL('/api/v1/auth/login', env.server.baseUrl);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', localAddress, headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data), 'Accept-Language': 'zh-CN' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, json: text ? JSON.parse(text) : null }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** The newest code on the demo SMS page (/demo/sms, labelled 演示), read in a second tab as a tester would. */
async function codeFromDemoSmsPage(phone) {
  const sms = await newPage(env.browser, env.server.baseUrl);
  await sms.goto(`/demo/sms?phone=${encodeURIComponent(phone)}`);
  const msg = sms.getByTestId('demo-sms-message').first();
  await msg.waitFor();
  const text = await msg.textContent();
  await sms.context().close();
  const code = text.match(/\d{6}/)?.[0];
  assert.ok(code, `a code on the demo SMS page: ${text}`);
  return code;
}

test('a stranger\'s wrong passwords from another address do not lock the owner out: the owner adds the SMS code and is in', async () => {
  const owner = { realName: '邵明', phone: '13755500017', password: 'Owner-pass-2026', idNumber: idNumber('19790311', '417') };
  await registerViaApi(env.server.baseUrl, owner);

  // The stranger, from 127.0.0.2: five wrong passwords, then that address is refused for this phone.
  for (let i = 0; i < 5; i++) {
    const r = await loginFrom('127.0.0.2', { phone: owner.phone, password: `Guess-${i}-pass` });
    assert.equal(r.status, 401, JSON.stringify(r.json));
    assert.equal(r.json.code, 'login_failed');
  }
  const blocked = await loginFrom('127.0.0.2', { phone: owner.phone, password: owner.password });
  assert.equal(blocked.status, 429, 'the stranger\'s address is refused even with the right password');

  // The owner in the browser (127.0.0.1) with the right password: asked for a code, not refused.
  const page = await newPage(env.browser, env.server.baseUrl);
  await loginViaUi(page, owner.phone, owner.password);
  const codeField = page.getByTestId('login-sms-code');
  await codeField.waitFor();
  await page.getByText('已向您的手机发送短信验证码').waitFor();
  assert.equal(new URL(page.url()).pathname, '/login', 'not signed in without the code');
  await expectAccessible(page, 'login asking for the SMS code');
  await screenshot(page, 'login-sms-second-factor');

  const code = await codeFromDemoSmsPage(owner.phone);
  // A wrong code is refused and keeps the owner on the login page.
  await fill(page, 'sms_code', code === '000000' ? '111111' : '000000');
  await page.getByTestId('login-submit').click();
  await page.getByText('短信验证码不正确或已失效').waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');

  await fill(page, 'sms_code', code);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByTestId('greeting').waitFor();
  assert.ok((await page.context().cookies()).some((c) => c.name === 'ihos_session'), 'signed in');
  await page.context().close();
});
