// Health code in the browser: a negative test turns a yellow code green on the patient's page; the
// gate page accepts a valid code and refuses a tampered or expired one, also with the network off.
// The camera is not driven here: the manual-entry box feeds the same verifyCard() code path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAdmin } from './server.mjs';
import { apiCall, idNumber, loginViaUi, newPage, registerViaApi, screenshot, useServerAndBrowser, watchPage } from './helpers.mjs';

const admin = { phone: '13900000005', password: 'Ihos-admin-pass-5', realName: '钱卫健', idNumber: idNumber('19750505', '019') };
const patient = { realName: '周晓红', phone: '13700005555', password: 'Ihos-e2e-pass-6', idNumber: idNumber('19920611', '428') };
const env = useServerAndBrowser({ prepare: (work) => createAdmin(work, admin) });

async function token(base, u) {
  const r = await apiCall(base, 'POST', '/auth/login', { body: { phone: u.phone, password: u.password } });
  assert.equal(r.status, 200, r.text);
  return r.json.token;
}

test('a negative test turns a yellow code green, and the gate verifies offline', async () => {
  const base = env.server.baseUrl;
  await registerViaApi(base, patient);
  const adminToken = await token(base, admin);
  const me = await apiCall(base, 'GET', '/me', { token: adminToken });
  for (const role of ['health_authority', 'lab']) {
    const g = await apiCall(base, 'POST', `/admin/users/${me.json.id}/roles`, { token: adminToken, body: { role } });
    assert.equal(g.status, 200, g.text);
  }
  // The authority requires a negative test within 48 hours (RULES.md: an expired test → yellow).
  const current = await apiCall(base, 'GET', '/healthcode/rules', { token: adminToken });
  const rules = { ...current.json.current.rules, test_valid_hours: 48 };
  const saved = await apiCall(base, 'POST', '/healthcode/rules', { token: adminToken, body: { rules, note: 'e2e: 48 h test' } });
  assert.equal(saved.status, 201, saved.text);

  const page = await newPage(env.browser, base);
  await loginViaUi(page, patient.phone, patient.password);
  await page.getByTestId('patient-home').waitFor();
  await page.getByTestId('tile-healthCode').click();
  await page.waitForURL('**/healthcode');
  await page.locator('[data-testid="hc-card"][data-colour="yellow"]').waitFor();
  await page.getByTestId('hc-reason').filter({ hasText: '核酸检测已过有效期' }).waitFor();
  assert.equal(await page.getByTestId('hc-name').textContent(), '周*红');
  const clock1 = await page.getByTestId('hc-clock').textContent();
  await page.waitForTimeout(1100);
  assert.notEqual(await page.getByTestId('hc-clock').textContent(), clock1, 'the clock is live');
  await screenshot(page, 'healthcode-yellow');

  const lab = await apiCall(base, 'POST', '/healthcode/tests', {
    token: adminToken,
    body: { id_number: patient.idNumber, sample_id: 'E2E-0001', result: 'negative', sampled_at: Date.now() - 3600_000 },
  });
  assert.equal(lab.status, 201, lab.text);
  assert.equal(lab.json.colour, 'green');
  await page.reload();
  await page.locator('[data-testid="hc-card"][data-colour="green"]').waitFor();
  await page.getByTestId('hc-no-reasons').waitFor();
  await screenshot(page, 'healthcode-green');
  const qr = await page.getByTestId('hc-qr').getAttribute('data-qr');
  assert.ok(qr.startsWith('shc:/'));

  // The gate: online first (keys cached, scan recorded), then tampered, then offline.
  const gateCtx = await env.browser.newContext({ viewport: { width: 800, height: 900 }, baseURL: base, locale: 'zh-CN' });
  const gate = watchPage(await gateCtx.newPage());
  await loginViaUi(gate, admin.phone, admin.password);
  await gate.waitForURL((u) => !u.pathname.startsWith('/login'));
  await gate.goto('/gate');
  await gate.getByTestId('gate-keys').filter({ hasText: '1' }).waitFor();
  await gate.locator('input[name="gate"]').fill('东门');
  await gate.getByTestId('gate-manual').fill(qr);
  await gate.getByTestId('gate-verify').click();
  const result = gate.getByTestId('gate-result');
  await gate.locator('[data-testid="gate-result"][data-result="valid"][data-colour="green"]').waitFor();
  await gate.getByTestId('gate-net').filter({ hasText: '已联网核验并登记' }).waitFor();
  await screenshot(gate, 'gate-valid-green');
  const scans = await apiCall(base, 'GET', '/healthcode/scans', { token: adminToken });
  assert.equal(scans.json.items[0].result, 'valid');
  assert.equal(scans.json.items[0].gate, '东门');
  await result.click();

  const digits = qr.slice(5);
  const tampered = `shc:/${digits.slice(0, -6)}${digits.slice(-6, -4) === '10' ? '11' : '10'}${digits.slice(-4)}`;
  await gate.getByTestId('gate-manual').fill(tampered);
  await gate.getByTestId('gate-verify').click();
  await gate.locator('[data-testid="gate-result"][data-result="invalid_signature"]').waitFor();
  await screenshot(gate, 'gate-tampered');
  await result.click();

  await gateCtx.setOffline(true);
  await gate.getByTestId('gate-manual').fill(qr);
  await gate.getByTestId('gate-verify').click();
  await gate.locator('[data-testid="gate-result"][data-result="valid"][data-colour="green"]').waitFor();
  await gate.getByTestId('gate-net').filter({ hasText: '离线核验' }).waitFor();
  await result.click();
  await gate.getByTestId('gate-manual').fill(tampered);
  await gate.getByTestId('gate-verify').click();
  await gate.locator('[data-testid="gate-result"][data-result="invalid_signature"]').waitFor();
  await result.click();

  // Expired: the device clock 15 minutes on (cards live 5), still offline.
  await gate.clock.install({ time: new Date(Date.now() + 15 * 60_000) });
  await gate.getByTestId('gate-manual').fill(qr);
  await gate.getByTestId('gate-verify').click();
  await gate.locator('[data-testid="gate-result"][data-result="expired"]').waitFor();
  await screenshot(gate, 'gate-expired-offline');
  await gateCtx.close();
});

test('the authority desk flags a confirmed case and lists the contact found at the same venue', async () => {
  const base = env.server.baseUrl;
  const adminToken = await token(base, admin);
  const me = await apiCall(base, 'GET', '/me', { token: adminToken });
  for (const role of ['health_authority', 'lab'])
    await apiCall(base, 'POST', `/admin/users/${me.json.id}/roles`, { token: adminToken, body: { role } });
  const venue = await apiCall(base, 'POST', '/healthcode/venues', {
    token: adminToken,
    body: { name: '测试·朝阳超市', kind: 'supermarket', region_code: '110105' },
  });
  assert.equal(venue.status, 201, venue.text);
  const kase = { realName: '吴建国', phone: '13700006666', password: 'Ihos-e2e-pass-7', idNumber: idNumber('19800808', '437') };
  const contact = { realName: '郑美玲', phone: '13700007777', password: 'Ihos-e2e-pass-8', idNumber: idNumber('19950909', '446') };
  for (const u of [kase, contact]) {
    await registerViaApi(base, u);
    const r = await apiCall(base, 'POST', '/me/checkins', { token: await token(base, u), body: { venue_code: `ihos-venue:${venue.json.code}` } });
    assert.equal(r.status, 201, r.text);
  }

  const page = watchPage(await env.browser.newPage({ viewport: { width: 1280, height: 800 }, baseURL: base, locale: 'zh-CN' }));
  await loginViaUi(page, admin.phone, admin.password);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto('/healthcode/desk');
  await page.getByTestId('desk-areas').waitFor();
  await page.getByRole('tab', { name: '病例与密接' }).click();
  await page.getByTestId('desk-flag-id').fill(kase.idNumber);
  await page.getByTestId('desk-flag').click();
  await page.getByTestId('desk-ok').filter({ hasText: '发现可能密接 1 人' }).waitFor();
  await page.getByTestId('desk-contacts').getByText('郑*玲').waitFor();
  await screenshot(page, 'healthcode-desk-contacts');
  const code = await apiCall(base, 'GET', '/me/healthcode', { token: await token(base, contact) });
  assert.equal(code.json.colour, 'yellow');
  assert.equal(code.json.reasons[0].code, 'exposure.possible_contact');
  await page.close();
});
