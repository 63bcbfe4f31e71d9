// The drug distribution network end to end (issue 15), as ONE chain at phone width (390×844):
// a chronic patient registers a medicine need (氨氯地平, 2 boxes, 2 days left, 朝阳区) → the matched
// demo pharmacy answers "can supply" → the patient starts the follow-up consultation from the need
// with the record of the offline diagnosis → the doctor verifies it and prescribes, the hospital
// pharmacist approves (their steps through the API with the demo doctor and pharmacist) → the
// patient orders the prescription at that pharmacy for delivery and pays with the demo insurance
// (the need is then fulfilled by the order) → the pharmacy's counter accepts and dispenses on its
// order desk (a courier on the same desk sees no counter buttons) → the courier takes, picks up and
// delivers → the patient sees the timeline. Then a pickup order: the QR on the patient's page is
// read back (zbarimg, as a counter's scanner would) and its text entered at the counter, handed
// over once. Every page is checked with axe-core and photographed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './server.mjs';
import { DEMO_PASSWORD, PHONE, apiCall, drugDataDir, expectAccessible, fefoBatchCodes, idNumber, loginToken, loginViaUi, newPage, registerViaApi, scanAndDispense, screenshot, seedDemo, useServerAndBrowser } from './helpers.mjs';
import { makePng } from './doctors-files.mjs';

const execFileP = promisify(execFile);
const ADMIN = '13800000001';
const DOCTOR = '13800000003'; // 演示·李医生, endocrinology
const PHARMACIST = '13800000004'; // 演示·赵药师
const COUNTER = '13800000030'; // 演示·陈店员, manager of the first demo pharmacy
const PIN = '246810';
const patient = { phone: '13600001555', password: 'Ihos-e2e-chain-1', realName: '钱慢病', idNumber: idNumber('19580212', '155') };
const courier = { phone: '13600001556', password: 'Ihos-e2e-chain-2', realName: '孙骑手', idNumber: idNumber('19930909', '156') };

const env = useServerAndBrowser({
  prepare: async (work) => {
    if (!drugDataDir()) throw new Error('drug data not found: set IHOS_DRUG_DATA or put shared/data beside the repository');
    await seedDemo(work, { icd10: true });
  },
});

const axe = (page, what) => expectAccessible(page, what);
const api = (method, p, token, body) => apiCall(env.server.baseUrl, method, p, { token, body });

/** Polls until `check` accepts the answer or 30 s pass (no fixed sleeps). */
async function until(fn, check, what) {
  const deadline = Date.now() + 30_000;
  let last;
  while (Date.now() < deadline) {
    last = await fn();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.fail(`${what}: still ${JSON.stringify(last?.json ?? last)}`);
}

async function login(phone, password = DEMO_PASSWORD) {
  const page = await newPage(env.browser, env.server.baseUrl, PHONE);
  await loginViaUi(page, phone, password);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

/** The doctor takes the consultation, verifies the follow-up, writes the record and prescribes; the pharmacist approves. */
async function prescribe(consultationId, docToken, phToken, drug) {
  const c = `/consultations/${consultationId}`;
  let r = await api('POST', `${c}/accept`, docToken, {});
  assert.equal(r.status, 200, r.text);
  r = await api('POST', `${c}/follow-up`, docToken, { decision: 'verified', note: '已核对门诊病历' });
  assert.equal(r.status, 200, r.text);
  r = await api('PUT', `${c}/record`, docToken, { chief_complaint: '高血压复诊', present_illness: '血压控制平稳，药将用完', diagnosis_code: 'I10.X00', advice: '继续服药' });
  if (r.status !== 200 && r.status !== 201)
    r = await api('PUT', `${c}/record`, docToken, { chief_complaint: '高血压复诊', present_illness: '血压控制平稳，药将用完', diagnosis_code: 'I10', advice: '继续服药' });
  assert.ok(r.status === 200 || r.status === 201, r.text);
  const f = await api('GET', `/drugs?q=${encodeURIComponent(drug.name)}`, docToken);
  assert.equal(f.status, 200, f.text);
  const rx = await api('POST', '/prescriptions', docToken, {
    consultation_id: consultationId,
    items: [{ formulary_id: f.json.items[0].id, single_dose_milli: drug.dose, route: 'oral', frequency: drug.frequency, days: 7 }],
    pin: PIN,
  });
  assert.equal(rx.status, 201, rx.text);
  const rv = await api('POST', `/pharmacist/prescriptions/${rx.json.id}/review`, phToken, {
    outcome: 'approved', legality: 'pass', normativity: 'pass', suitability: 'pass', reason: '', pin: PIN,
  });
  assert.equal(rv.status, 200, rv.text);
  assert.equal((await api('POST', `${c}/close`, docToken, {})).status, 200);
  return rx.json.id;
}

/** Province, then city and county (a municipality lists its districts at the city level). */
async function pickRegion(page, county) {
  await page.getByTestId('region-province').selectOption(`${county.slice(0, 2)}0000`);
  const city = page.getByTestId('region-city');
  await city.locator(`option[value="${county}"]`).waitFor({ state: 'attached' });
  await city.selectOption(county);
}

test('need → pharmacy answers → follow-up → prescription approved → order with insurance → delivered; a pickup scanned at the counter', async () => {
  const base = env.server.baseUrl;
  await registerViaApi(base, patient);
  await registerViaApi(base, courier);
  const adminToken = await loginToken(base, ADMIN);
  const patToken = await loginToken(base, patient.phone, patient.password);
  const docToken = await loginToken(base, DOCTOR);
  const phToken = await loginToken(base, PHARMACIST);
  const counterToken = await loginToken(base, COUNTER);
  // Insured (demo insurance adapter) in the demo policy's region.
  const policy = (await api('GET', '/billing/policies', adminToken)).json.items.find((p) => p.scheme === 'employee');
  assert.ok(policy, 'the demo seed has an employee policy');
  assert.equal((await api('PUT', '/billing/profile', patToken, { scheme: 'employee', region_code: policy.region_code })).status, 200);
  // The demo pharmacy open around the clock (the chain must not depend on the hour it runs at),
  // and a courier who joins it through the onboarding flow.
  const shopId = (await api('GET', '/me/pharmacy-staff', counterToken)).json.pharmacy_ids[0];
  const shop = (await api('GET', `/pharmacies/${shopId}`, counterToken)).json;
  const hours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
  const set = await api('PUT', `/pharmacies/${shopId}/settings`, counterToken, {
    hours, status: 'open', delivers: true, delivery_radius_m: Math.max(shop.delivery_radius_m, 3000), delivery_fee_fen: shop.delivery_fee_fen,
    pickup_counter: shop.pickup_counter || '1 号窗口', phone: shop.phone || '010-00000000',
  });
  assert.equal(set.status, 200, set.text);
  const courierToken = await loginToken(base, courier.phone, courier.password);
  const applied = await api('POST', '/pharmacy-applications', courierToken, { kind: 'join', pharmacy_id: shopId, duty: 'courier' });
  assert.equal(applied.status, 201, applied.text);
  assert.equal((await api('POST', `/admin/pharmacy-applications/${applied.json.id}/approve`, adminToken, {})).status, 200);

  // 1. The patient registers the need on the phone and sees the demo pharmacy matched.
  const pat = await login(patient.phone, patient.password);
  await pat.goto('/needs/new');
  await pat.getByTestId('need-form').waitFor();
  await pat.getByTestId('nf-drug-search').fill('氨氯地平');
  await pat.getByTestId('nf-drug-results').locator('button').first().click();
  await pat.getByTestId('nf-drug-picked').waitFor();
  await pat.getByTestId('nf-quantity').fill('2');
  await pat.getByTestId('nf-days-left').fill('2');
  await pat.getByTestId('nf-condition').fill('高血压');
  await pat.getByTestId('nf-needs-rx').check();
  await pickRegion(pat, '110105');
  await pat.getByTestId('nf-submit').click();
  await pat.waitForURL(/\/needs\/\d+$/);
  const needId = pat.url().split('/').pop();
  await pat.getByTestId('need-matches').getByText(shop.name).waitFor();
  await screenshot(pat, 'chain-1-need-matched');
  await axe(pat, 'the need with its matches');

  // 2. The matched pharmacy answers "can supply" (its needs page, at phone width).
  const desk = await login(COUNTER);
  await desk.goto('/needs/pharmacy');
  await desk.getByTestId(`pn-answer-btn-${needId}`).click();
  await desk.getByTestId('answer-kind-can_supply').click();
  await desk.locator('#answer-note').fill('有货，可配送');
  await desk.getByTestId('answer-send').click();
  await desk.getByTestId(`pn-answer-${needId}`).waitFor();
  assert.equal(await desk.getByTestId(`pn-answer-${needId}`).getAttribute('data-kind'), 'can_supply');
  await screenshot(desk, 'chain-2-pharmacy-answered');

  // 3. The patient sees the answer and starts the follow-up from the need, with the record of the
  // offline diagnosis, in the doctor's department.
  await pat.reload();
  await pat.getByTestId('need-answers').locator('li[data-kind="can_supply"]').waitFor();
  await pat.getByTestId('need-dept').selectOption('endocrinology');
  await pat.getByTestId('need-proof').setInputFiles({ name: '门诊病历.png', mimeType: 'image/png', buffer: makePng(200, 140, [230, 236, 245]) });
  await pat.getByTestId('need-proofs').getByText('门诊病历.png').waitFor();
  await screenshot(pat, 'chain-3-need-follow-up');
  await axe(pat, 'the need with the follow-up form');
  await pat.getByTestId('need-consult-start').click();
  await pat.getByTestId('need-consult-linked').waitFor();
  const need = (await api('GET', `/needs/${needId}`, patToken)).json;
  assert.ok(need.consultation_id, 'the need links the consultation');

  // 4. The doctor prescribes, the pharmacist approves.
  const rxId = await prescribe(need.consultation_id, docToken, phToken, { name: '氨氯地平', dose: 5000, frequency: 'qd' });
  await pat.reload();
  await pat.getByTestId('need-rx-status').getByText(/已审核|Approved/).waitFor();

  // 5. The patient orders at that pharmacy for delivery and pays with insurance.
  await pat.goto('/drug-orders');
  await pat.getByTestId(`order-rx-${rxId}`).click();
  await pat.getByTestId('rx-order-page').waitFor();
  await pat.getByTestId('order-address').locator('input').fill('朝阳区测试路1号');
  await pat.getByTestId('order-lat').locator('input').fill((shop.lat + 0.003).toFixed(6));
  await pat.getByTestId('order-lon').locator('input').fill(String(shop.lon));
  await pat.getByTestId('order-find').click();
  await pat.getByTestId(`nearby-${shopId}`).waitFor();
  await screenshot(pat, 'chain-4-nearby');
  await pat.getByTestId(`choose-${shopId}`).click();
  await pat.waitForURL(/\/drug-orders\/\d+$/);
  const orderId = Number(pat.url().split('/').pop());
  await pat.getByTestId('drug-order-pay').click();
  await pat.getByTestId('pay-sheet').getByTestId('pay-split').waitFor();
  await screenshot(pat, 'chain-5-pay-insurance');
  await pat.getByTestId('pay-sheet').getByTestId('pay-confirm').click();
  const bill = await until(() => api('GET', `/billing/orders?source_kind=drug_order&source_id=${orderId}`, patToken), (r) => r.json.items[0]?.status !== 'pending', 'the bill leaves pending');
  if (bill.json.items[0].status !== 'paid') {
    await pat.waitForURL(/\/pay\/demo\//);
    await pat.getByTestId('demo-pay-confirm').click();
    await pat.getByTestId('demo-pay-done').waitFor();
  }
  await until(() => api('GET', `/drug-orders/${orderId}`, patToken), (r) => r.json.paid === true, 'the order is paid');
  const paid = (await api('GET', `/billing/orders?source_kind=drug_order&source_id=${orderId}`, patToken)).json.items[0];
  assert.ok(paid.settlement.fund_fen > 0, 'the insurance fund paid its share');
  // The order met the need: fulfilled, with the order named.
  const met = (await api('GET', `/needs/${needId}`, patToken)).json;
  assert.equal(met.status, 'fulfilled');
  assert.equal(met.close_note, `drug_order:${orderId}`);

  // 6. A courier on the order desk sees the order but no counter buttons; the counter accepts and dispenses.
  const cour = await login(courier.phone, courier.password);
  await cour.goto('/pharmacy/orders');
  await cour.getByTestId('desk-courier-note').waitFor();
  await cour.getByTestId(`desk-status-${orderId}`).waitFor();
  assert.equal(await cour.getByTestId(`desk-accept-${orderId}`).count(), 0, 'no accept button for a courier');
  assert.equal(await cour.getByTestId('pickup-scan').count(), 0, 'no pickup scan for a courier');
  await screenshot(cour, 'chain-6-desk-courier');
  await axe(cour, 'the order desk as a courier');
  // The pharmacy console is usable at 390 px: nothing scrolls sideways.
  await desk.goto('/pharmacy/console');
  await desk.getByTestId('stock-list').waitFor();
  const overflow = await desk.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `the pharmacy console scrolls sideways by ${overflow} px at 390 px`);
  const clipped = await desk.evaluate(() => {
    const list = document.querySelector('[data-testid="stock-list"]').getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid="stock-list"] .card *')].filter((e) => e.getBoundingClientRect().right > list.right + 1).length;
  });
  assert.equal(clipped, 0, 'nothing in the stock cards reaches past the list at 390 px');
  await screenshot(desk, 'chain-6b-console-phone');
  await axe(desk, 'the pharmacy console at phone width');
  await desk.goto('/pharmacy/orders');
  await desk.getByTestId(`desk-accept-${orderId}`).click();
  await scanAndDispense(desk, orderId, await fefoBatchCodes(base, counterToken, orderId));
  await desk.getByTestId(`desk-status-${orderId}`).getByText(/已调配|Dispensed/).waitFor();
  await screenshot(desk, 'chain-7-desk-dispensed');
  await axe(desk, 'the order desk at the counter');

  // 7. The courier delivers; the patient sees the timeline.
  await cour.goto('/courier');
  await cour.getByTestId(`courier-take-${orderId}`).click();
  await cour.getByTestId(`courier-picked-${orderId}`).click();
  await cour.getByTestId(`courier-delivered-${orderId}`).click();
  await pat.goto(`/drug-orders/${orderId}`);
  await pat.locator('[data-testid="drug-order-page"][data-status="delivered"]').waitFor({ timeout: 60_000 });
  for (const s of ['placed', 'accepted', 'dispensed', 'assigned', 'picked_up', 'delivered'])
    await pat.locator(`[data-testid="drug-order-timeline"] [data-event="${s}"]`).waitFor();
  await screenshot(pat, 'chain-8-delivered');
  await axe(pat, 'the delivered order');

  // 8. A pickup order of a second prescription (metformin), the QR scanned at the counter.
  const c2 = await api('POST', '/consultations', patToken, {
    kind: 'text',
    practitioner_id: (await api('GET', '/me/practitioner', docToken)).json.id,
    intake: { chief_complaint: '糖尿病复诊开药', duration: '3年', symptoms: ['口干'], history: '2型糖尿病3年', allergies: '无', medications: '二甲双胍', is_follow_up: true, proof_upload_ids: need.consultation_id ? (await api('GET', `/consultations/${need.consultation_id}`, patToken)).json.intake.proof_upload_ids : [] },
  });
  assert.equal(c2.status, 201, c2.text);
  const rx2 = await prescribe(c2.json.id, docToken, phToken, { name: '二甲双胍', dose: 500_000, frequency: 'bid' });
  await pat.goto('/drug-orders');
  await pat.getByTestId(`order-rx-${rx2}`).click();
  await pat.getByTestId('order-mode-pickup').click();
  await pat.getByTestId('order-lat').locator('input').fill(String(shop.lat));
  await pat.getByTestId('order-lon').locator('input').fill(String(shop.lon));
  await pat.getByTestId('order-find').click();
  await pat.getByTestId(`choose-${shopId}`).click();
  await pat.waitForURL(/\/drug-orders\/\d+$/);
  const pickupId = Number(pat.url().split('/').pop());
  const bill2 = (await api('GET', `/billing/orders?source_kind=drug_order&source_id=${pickupId}`, patToken)).json.items[0];
  const paying = await api('POST', `/billing/orders/${bill2.id}/pay`, patToken, { use_insurance: true, use_personal_account: false });
  assert.equal(paying.status, 200, paying.text);
  if (paying.json.status !== 'paid') assert.equal((await api('POST', `/demo-pay/${paying.json.payment.out_trade_no}/confirm`, patToken, {})).status, 200);
  await until(() => api('GET', `/drug-orders/${pickupId}`, patToken), (r) => r.json.paid === true, 'the pickup order is paid');
  await desk.reload();
  await desk.getByTestId(`desk-accept-${pickupId}`).click();
  await scanAndDispense(desk, pickupId, await fefoBatchCodes(base, counterToken, pickupId));
  await desk.getByTestId(`desk-status-${pickupId}`).getByText(/已调配|Dispensed/).waitFor();
  await pat.goto(`/drug-orders/${pickupId}`);
  const qr = pat.getByTestId('pickup-code').locator('.code__qr');
  await qr.waitFor();
  await screenshot(pat, 'chain-9-pickup-code');
  await axe(pat, 'the pickup code');
  // The counter's scanner reads the QR (zbarimg on its picture) and types what it read.
  const shot = path.join(repoRoot, 'test-results', 'chain-pickup-qr.png');
  await qr.screenshot({ path: shot });
  const { stdout } = await execFileP('zbarimg', ['--raw', '-q', shot], { timeout: 30_000 });
  const read = stdout.trim();
  assert.equal(read, await pat.getByTestId('pickup-code-text').inputValue(), 'the QR holds the pickup code');
  await desk.locator('[data-testid="pickup-scan"] textarea').fill(read);
  await desk.getByTestId('pickup-scan-submit').click();
  await desk.getByTestId('pickup-scan-ok').waitFor();
  await screenshot(desk, 'chain-10-pickup-scanned');
  await desk.locator('[data-testid="pickup-scan"] textarea').fill(read);
  await desk.getByTestId('pickup-scan-submit').click();
  await desk.getByText(/已使用|already used/).waitFor();
  assert.equal((await api('GET', `/drug-orders/${pickupId}`, patToken)).json.status, 'handed_over');
  for (const p of [pat, desk, cour]) await p.context().close();
});
