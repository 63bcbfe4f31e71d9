// Issue #4 "ask now in a department" in the browser: from the department's doctor list a patient
// asks the department (no doctor chosen), fills the questionnaire and waits first in the shared
// queue; the department's doctor takes it and the patient's page turns active without a reload;
// the price is the taking doctor's hospital's general outpatient fee. The free-clinic entry of a
// department with a volunteer (义诊) starts a free consultation.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { makeWorkDir, startServer } from './server.mjs';
import { CHROMIUM_ARGS, apiCall, idNumber, loginViaUi, newPage, registerViaApi, screenshot, seedDemo } from './helpers.mjs';

const DEMO_PASSWORD = 'Demo2026ihos';
const DERMATOLOGIST = '13800000009'; // 演示·钱医生, 皮肤科 (seed-demo)
const patient = { phone: '13600008888', password: 'Ihos-e2e-askdept-1', realName: '林海', idNumber: idNumber('19900521', '095') };

const env = { server: undefined, browser: undefined };
before(async () => {
  const work = await makeWorkDir();
  await seedDemo(work);
  env.server = await startServer(work);
  env.browser = await chromium.launch({ executablePath: process.env.IHOS_CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});
after(async () => {
  await env.browser?.close();
  await env.server?.stop();
});

async function fillQuestionnaire(page, complaint) {
  await page.getByTestId('consult-department').waitFor();
  await page.locator('[data-testid="intake-complaint"] textarea').fill(complaint);
  await page.getByTestId('duration-d3').click();
  await page.getByTestId('followup-no').click();
  await page.getByTestId('consult-submit').click();
  await page.waitForURL(/\/consult\/\d+$/);
  return page.url().split('/').pop();
}

test('ask the dermatology department now: shared queue, taken by its doctor, priced at their hospital', async () => {
  const base = env.server.baseUrl;
  await registerViaApi(base, patient);
  const pat = await newPage(env.browser, base);
  await loginViaUi(pat, patient.phone, patient.password);
  await pat.getByTestId('patient-home').waitFor();
  await pat.goto('/doctors?department=dermatology');
  await pat.getByTestId('ask-department').waitFor();
  await screenshot(pat, 'ask-department-list');
  await pat.getByTestId('ask-now').click();
  await pat.waitForURL('**/consult/new?department=dermatology');
  await pat.getByTestId('consult-department').getByText('向皮肤科提问').waitFor();
  // The questionnaire says what it costs: the general fee of the hospitals with a dermatologist.
  await pat.getByTestId('consult-price').filter({ hasText: /费用：¥\d+/ }).waitFor();
  const id = await fillQuestionnaire(pat, '手臂起红疹三天，瘙痒');
  await pat.getByTestId('waiting-panel').waitFor();
  assert.equal(await pat.getByTestId('queue-position').textContent(), '1');
  // A paid department consultation is the department's, not a free clinic's (义诊).
  await pat.locator('.m-nav').getByText('皮肤科医生').waitFor();
  assert.doesNotMatch(await pat.locator('.m-nav').textContent(), /义诊/);
  assert.match(await pat.getByTestId('consult-kind').textContent(), /图文问诊 · 接诊后按医院定价/);

  // The department's doctor sees it in the shared queue and takes it.
  const login = await apiCall(base, 'POST', '/auth/login', { body: { phone: DERMATOLOGIST, password: DEMO_PASSWORD } });
  assert.equal(login.status, 200, login.text);
  const doc = login.json.token;
  const ws = await apiCall(base, 'GET', '/workstation', { token: doc });
  const item = ws.json.waiting.find((w) => String(w.id) === id);
  assert.ok(item, 'the ask-now consultation is in the dermatologist\'s workstation');
  assert.equal(item.shared_queue, true);
  const taken = await apiCall(base, 'POST', `/consultations/${id}/accept`, { token: doc, body: {} });
  assert.equal(taken.status, 200, taken.text);
  assert.ok(taken.json.price_fen > 0, 'priced at the taking doctor\'s hospital');
  assert.equal(taken.json.practitioner.name, '演示·钱医生');
  // The patient's page follows without a reload.
  await pat.locator('[data-testid="consultation-page"][data-status="active"]').waitFor({ timeout: 15_000 });
  await pat.getByTestId('consult-kind').filter({ hasText: `图文问诊 · ¥${(taken.json.price_fen / 100).toFixed(2)}` }).waitFor();
  await screenshot(pat, 'ask-department-taken');
  // 我的问诊 lists it with its kind and price, and offers a new consultation.
  await pat.goto('/consultations');
  const row = pat.getByTestId('consultation-item').first();
  await row.waitFor();
  assert.match(await row.textContent(), /演示·钱医生/);
  assert.match(await row.getByTestId('consultation-kind').textContent(), /图文问诊 · ¥/);
  await pat.getByTestId('new-consultation').click();
  await pat.waitForURL('**/departments');
});

test('the free clinic of a department with a volunteer starts a free consultation', async () => {
  const base = env.server.baseUrl;
  const pat = await newPage(env.browser, base);
  await loginViaUi(pat, patient.phone, patient.password);
  await pat.getByTestId('patient-home').waitFor();
  await pat.goto('/doctors?department=general_practice');
  await pat.getByTestId('ask-free').click();
  await pat.getByTestId('consult-department').getByText('义诊 · 全科').waitFor();
  await pat.getByTestId('consult-price').filter({ hasText: '免费' }).waitFor();
  const id = await fillQuestionnaire(pat, '体检发现血脂偏高，想咨询饮食');
  await pat.getByTestId('waiting-panel').waitFor();
  await pat.getByTestId('consult-kind').filter({ hasText: '义诊 · 免费' }).waitFor();
  const login = await apiCall(base, 'POST', '/auth/login', { body: { phone: patient.phone, password: patient.password } });
  const c = await apiCall(base, 'GET', `/consultations/${id}`, { token: login.json.token });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.kind, 'free_clinic');
  assert.equal(c.json.price_fen, 0);
});
