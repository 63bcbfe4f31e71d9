// The chronic-medicine need registry (慢病用药需求登记) in the browser, on the demo data (demo
// formulary, demo pharmacies with stock in 北京市朝阳区, 演示·陈店员 13800000030 managing of
// the first). A chronic patient registers a need on the phone (氨氯地平, 2 boxes, 2 days left, 朝阳区)
// and sees the matched demo pharmacy; the pharmacy answers "reserved" on its desktop page; the
// patient sees the answer and starts the follow-up consultation from the need (cardiology, the
// drug in the request); the admin sees the need on the shortage map (map, chart and table). Then a
// community worker, registered by the admin on the workers page, registers a need for an elderly
// patient, which stays "awaiting consent" (invisible to the pharmacy) until the patient agrees in
// their own app. Pages are checked with axe-core (no critical or serious violation) and
// photographed at 390×844 and 1280×800.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, PHONE, apiCall, idNumber, loginToken, loginViaUi, newPage, registerViaApi, screenshot, seedDemo, useServerAndBrowser, expectAccessible } from './helpers.mjs';

const ADMIN = '13800000001';
const PHARMACY_STAFF = '13800000030';
const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
const patient = { phone: '13600001515', password: 'Ihos-e2e-needs-1', realName: '赵慢病', idNumber: idNumber('19560310', '151') };
const worker = { phone: '13600001516', password: 'Ihos-e2e-needs-2', realName: '刘网格', idNumber: idNumber('19800115', '152') };
const elder = { phone: '13600001517', password: 'Ihos-e2e-needs-3', realName: '孙奶奶', idNumber: idNumber('19420601', '153') };

const env = useServerAndBrowser({ prepare: seedDemo });

/** No critical or serious axe-core violation on the page as it is now. */
const axe = (page, _t, what) => expectAccessible(page, what);

const api = (method, p, token, body) => apiCall(env.server.baseUrl, method, p, { token, body });

async function login(device, phone, password) {
  const page = await newPage(env.browser, env.server.baseUrl, device);
  await loginViaUi(page, phone, password);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

/** Province, then city and county (a municipality lists its districts at the city level). */
async function pickRegion(page, county) {
  await page.getByTestId('region-province').selectOption(`${county.slice(0, 2)}0000`);
  const city = page.getByTestId('region-city');
  await city.locator('option').nth(1).waitFor({ state: 'attached' });
  if ((await city.locator(`option[value="${county}"]`).count()) > 0) {
    await city.selectOption(county);
    return;
  }
  await city.selectOption(`${county.slice(0, 4)}00`);
  await page.getByTestId('region-county').locator(`option[value="${county}"]`).waitFor({ state: 'attached' });
  await page.getByTestId('region-county').selectOption(county);
}

async function pickDrug(page, q) {
  await page.getByTestId('nf-drug-search').fill(q);
  await page.getByTestId('nf-drug-results').locator('button').first().click();
  await page.getByTestId('nf-drug-picked').waitFor();
}

let needId = null;

test('a chronic patient registers a need, a matched pharmacy reserves it, the patient starts the follow-up, the admin sees the shortage map', async (t) => {
  await registerViaApi(env.server.baseUrl, patient);
  const pat = await login(PHONE, patient.phone, patient.password);
  await pat.goto('/needs');
  await pat.getByTestId('needs-empty').waitFor();
  await axe(pat, t, 'my needs (empty)');
  await pat.getByTestId('need-add').click();
  await pat.getByTestId('need-form').waitFor();
  await pickDrug(pat, '氨氯地平');
  await pat.getByTestId('nf-quantity').fill('2');
  await pat.getByTestId('nf-days-left').fill('2');
  await pat.getByTestId('nf-condition').fill('高血压');
  await pat.getByTestId('nf-icd10').fill('I10');
  await pat.getByTestId('nf-needs-rx').check();
  await pickRegion(pat, '110105');
  await screenshot(pat, 'needs-form-zh');
  await axe(pat, t, 'the need form');
  await pat.getByTestId('nf-submit').click();
  await pat.waitForURL(/\/needs\/\d+$/);
  needId = pat.url().split('/').pop();
  await pat.getByTestId('need-card').waitFor();
  assert.equal(await pat.getByTestId('need-card').getAttribute('data-status'), 'open');
  assert.match(await pat.getByTestId('need-urgency').innerText(), /紧急/);
  assert.match(await pat.getByTestId('need-consent').innerText(), /本人或监护人登记/);
  const matches = pat.getByTestId('need-matches').locator('li');
  await matches.first().waitFor();
  assert.match(await pat.getByTestId('need-matches').innerText(), /演示·朝阳/);
  await screenshot(pat, 'needs-detail-matched-zh');
  await axe(pat, t, 'the need page');

  // The pharmacy (desktop) sees it near its pharmacy and reserves two boxes.
  const ph = await login(DESKTOP, PHARMACY_STAFF, DEMO_PASSWORD);
  await ph.goto('/needs/pharmacy');
  await ph.getByTestId('pharmacy-needs-table').waitFor();
  await ph.getByTestId(`pn-answer-btn-${needId}`).click();
  await ph.getByTestId('answer-kind-reserved').click();
  await ph.locator('#answer-note').fill('今天下午可取');
  await screenshot(ph, 'needs-pharmacy-answer-zh');
  await ph.getByTestId('answer-send').click();
  await ph.getByTestId(`pn-answer-${needId}`).waitFor();
  assert.equal(await ph.getByTestId(`pn-answer-${needId}`).getAttribute('data-kind'), 'reserved');
  await screenshot(ph, 'needs-pharmacy-zh');
  await axe(ph, t, 'needs near my pharmacy');

  // The patient sees the answer and starts the follow-up consultation with the drug in the request.
  await pat.reload();
  const answer = pat.getByTestId('need-answers').locator('li[data-kind="reserved"]');
  await answer.waitFor();
  assert.match(await answer.innerText(), /今天下午可取/);
  await pat.getByTestId('need-dept').selectOption('cardiology');
  await pat.getByTestId('need-consult-start').click();
  await pat.getByTestId('need-consult-linked').waitFor();
  assert.match(await pat.getByTestId('need-rx-status').innerText(), /尚未开具处方/);
  await screenshot(pat, 'needs-detail-answered-zh');
  await axe(pat, t, 'the need page with an answer and a consultation');
  await pat.getByTestId('need-consult-open').click();
  await pat.waitForURL(/\/consult\/\d+$/);
  const token = await loginToken(env.server.baseUrl, patient.phone, patient.password);
  const need = await api('GET', `/needs/${needId}`, token);
  const consult = await api('GET', `/consultations/${need.json.consultation_id}`, token);
  assert.equal(consult.status, 200);
  assert.match(consult.json.intake.chief_complaint, /氨氯地平/);

  // The admin sees the need on the shortage map (Beijing) and in the table.
  const admin = await login(DESKTOP, ADMIN, DEMO_PASSWORD);
  await admin.goto('/needs/shortage');
  await admin.getByTestId('shortage-total').waitFor();
  await admin.getByTestId('sr-110000-' + need.json.formulary_item_id).waitFor();
  const row = admin.getByTestId('shortage-table').locator('tr', { has: admin.getByTestId('sr-110000-' + need.json.formulary_item_id) });
  assert.match(await row.innerText(), /北京市/);
  await admin.getByTestId('shortage-map').locator('svg').waitFor();
  await screenshot(admin, 'needs-shortage-map-zh');
  await axe(admin, t, 'the shortage map');
  // In English, grouped by county (the table follows the filter).
  await admin.getByTestId('lang-en').first().click();
  await admin.getByText('Chronic medicine shortage map').first().waitFor();
  await admin.getByTestId('sf-level').click();
  await admin.locator('.el-select-dropdown__item', { hasText: 'County' }).click();
  await admin.getByTestId('shortage-table').getByText('朝阳区').first().waitFor();
  assert.match(await admin.getByTestId('shortage-total').innerText(), /needs, \d+ urgent/);
  await screenshot(admin, 'needs-shortage-map-en');
  await axe(admin, t, 'the shortage map in English by county');
  // The patient's need page at phone width in English.
  await pat.getByTestId('lang-en').first().click();
  await pat.goto(`/needs/${needId}`);
  await pat.getByTestId('need-status').getByText('Open').waitFor();
  await screenshot(pat, 'needs-detail-en');
  for (const p of [pat, ph, admin]) await p.context().close();
});

test('a community worker registers a need for an elderly patient, visible to pharmacies only after the patient agrees in the app', async (t) => {
  await registerViaApi(env.server.baseUrl, worker);
  await registerViaApi(env.server.baseUrl, elder);
  // The admin registers the worker on the workers page.
  const admin = await login(DESKTOP, ADMIN, DEMO_PASSWORD);
  await admin.goto('/needs/workers-admin');
  await admin.locator('#wk-phone').fill(worker.phone);
  await admin.locator('#wk-community').fill('三里屯社区');
  // 朝阳区 is chosen in the second list (a municipality's districts stand in its cities) and the
  // form sent at once, while the list under it is slow to come: the choice is sent all the same.
  await admin.route(/\/regions\?parent=110105/, async (route) => {
    await new Promise((r) => setTimeout(r, 3000));
    await route.continue();
  });
  await pickRegion(admin, '110105');
  await admin.getByTestId('wk-add').click();
  await admin.getByTestId('workers-table').getByText(worker.realName).waitFor();
  await screenshot(admin, 'needs-workers-zh');
  await axe(admin, t, 'the community workers page');

  const wk = await login(PHONE, worker.phone, worker.password);
  await wk.goto('/needs/worker');
  await wk.getByTestId('worker-add').click();
  await wk.getByTestId('need-form').waitFor();
  await wk.getByTestId('nf-subject-name').fill(elder.realName);
  await wk.getByTestId('nf-subject-phone').fill(elder.phone);
  await pickDrug(wk, '二甲双胍');
  await wk.getByTestId('nf-quantity').fill('3');
  await wk.getByTestId('nf-days-left').fill('1');
  await pickRegion(wk, '110105');
  await screenshot(wk, 'needs-worker-form-zh');
  await wk.getByTestId('nf-submit').click();
  await wk.waitForURL(/\/needs\/\d+$/);
  const id = wk.url().split('/').pop();
  assert.equal(await wk.getByTestId('need-card').getAttribute('data-status'), 'awaiting_consent');
  await wk.getByTestId('need-code-form').waitFor();
  await screenshot(wk, 'needs-worker-awaiting-zh');
  await axe(wk, t, 'a worker registration awaiting consent');

  // Not visible to the pharmacy before consent.
  const staff = await loginToken(env.server.baseUrl, PHARMACY_STAFF);
  const before = await api('GET', '/needs/nearby', staff);
  assert.equal(before.status, 200);
  assert.ok(!before.json.items.some((n) => String(n.id) === id), 'a need awaiting consent is hidden from pharmacies');

  // The elderly patient agrees in their own app.
  const el = await login(PHONE, elder.phone, elder.password);
  await el.goto('/needs');
  await el.getByTestId(`consent-${id}`).waitFor();
  await screenshot(el, 'needs-consent-zh');
  await axe(el, t, 'a registration awaiting my consent');
  await el.getByTestId(`consent-${id}`).getByTestId('consent-confirm').click();
  await el.getByTestId(`need-${id}`).waitFor();
  assert.equal(await el.getByTestId(`need-${id}`).getAttribute('data-status'), 'open');

  await wk.reload();
  assert.equal(await wk.getByTestId('need-card').getAttribute('data-status'), 'open');
  assert.match(await wk.getByTestId('need-consent').innerText(), /患者在应用内确认/);
  const after = await api('GET', '/needs/nearby', staff);
  assert.ok(after.json.items.some((n) => String(n.id) === id), 'visible once consented');
  for (const p of [admin, wk, el]) await p.context().close();
});
