// Drug orders in the browser (src/domain/dispensing). A patient with an approved prescription
// (consultation, signature and review prepared through the API with the demo doctor and pharmacist)
// opens 药品订单 → 处方购药, finds pharmacies nearby, orders for home delivery, pays on the billing pay
// sheet with insurance (demo adapter; the cash part on the demo provider's page); the pharmacy's
// counter accepts and dispenses on its order desk (1280×800); the courier (DEMO in-house) takes,
// picks up and delivers on the courier page; the patient's order page shows the timeline. Then a
// pickup order: its code is pasted at the counter and the order is handed over; a second scan is
// refused (pickup_code_used). Every new page is checked with axe-core (no critical or serious
// violation) and photographed at phone and desktop width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, DESKTOP, PHONE, apiCall, expectAccessible, drugDataDir, fefoBatchCodes, idNumber, loginToken, loginViaUi, newPage, registerViaApi, screenshot, seedDemo, useServerAndBrowser } from './helpers.mjs';
import { makePng } from './doctors-files.mjs';

const ADMIN = '13800000001';
const DOCTOR = '13800000003'; // 演示·李医生
const PHARMACIST = '13800000004'; // 演示·赵药师
const PIN = '246810';
const WIDE = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
const patient = { phone: '13600003030', password: 'Ihos-e2e-drug-30', realName: '周建国', idNumber: idNumber('19600415', '057') };

const env = useServerAndBrowser({
  prepare: async (work) => {
    if (!drugDataDir()) throw new Error('drug data not found: set IHOS_DRUG_DATA or put shared/data beside the repository');
    await seedDemo(work, { icd10: true });
  },
});

/** No critical or serious axe-core violation on the page as it is now. */
const axe = (page, _t, what) => expectAccessible(page, what);

async function api(method, p, token, body) {
  return apiCall(env.server.baseUrl, method, p, { token, body });
}

/** Polls the API until `check` accepts the answer or 30 s pass (no fixed sleeps). */
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

/** An approved prescription (氨氯地平 by default) for the patient: consultation, record, signature, review (API). */
async function approvedPrescription(patToken, docToken, phToken, drug = { name: '氨氯地平', dose: 5000, frequency: 'qd' }) {
  const me = await api('GET', '/me/practitioner', docToken);
  assert.equal(me.status, 200, me.text);
  const up = await fetch(`${env.server.baseUrl}/api/v1/files`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${patToken}`, 'Content-Type': 'image/png', 'X-File-Name': encodeURIComponent('门诊病历.png') },
    body: makePng(200, 140, [230, 236, 245]),
  });
  const upload = JSON.parse(await up.text());
  assert.equal(up.status, 201, JSON.stringify(upload));
  const c = await api('POST', '/consultations', patToken, {
    kind: 'text',
    practitioner_id: me.json.id,
    intake: { chief_complaint: '高血压复诊开药', duration: '5年', symptoms: ['头晕'], history: '高血压5年', allergies: '无', medications: '氨氯地平', is_follow_up: true, proof_upload_ids: [upload.id] },
  });
  assert.equal(c.status, 201, c.text);
  const cid = c.json.id;
  let r = await api('POST', `/consultations/${cid}/accept`, docToken, {});
  assert.equal(r.status, 200, r.text);
  r = await api('POST', `/consultations/${cid}/follow-up`, docToken, { decision: 'verified', note: '已核对门诊病历' });
  assert.equal(r.status, 200, r.text);
  r = await api('PUT', `/consultations/${cid}/record`, docToken, { chief_complaint: '高血压复诊', present_illness: '血压控制平稳', diagnosis_code: 'I10.X00', advice: '继续服药' });
  if (r.status !== 200 && r.status !== 201)
    r = await api('PUT', `/consultations/${cid}/record`, docToken, { chief_complaint: '高血压复诊', present_illness: '血压控制平稳', diagnosis_code: 'I10', advice: '继续服药' });
  assert.ok(r.status === 200 || r.status === 201, r.text);
  const f = await api('GET', `/drugs?q=${encodeURIComponent(drug.name)}`, docToken);
  assert.equal(f.status, 200, f.text);
  const line = f.json.items[0];
  const rx = await api('POST', '/prescriptions', docToken, {
    consultation_id: cid,
    items: [{ formulary_id: line.id, single_dose_milli: drug.dose, route: 'oral', frequency: drug.frequency, days: 7 }],
    pin: PIN,
  });
  assert.equal(rx.status, 201, rx.text);
  const rv = await api('POST', `/pharmacist/prescriptions/${rx.json.id}/review`, phToken, {
    outcome: 'approved', legality: 'pass', normativity: 'pass', suitability: 'pass', reason: '', pin: PIN,
  });
  assert.equal(rv.status, 200, rv.text);
  // Closed, so the next follow-up with the same doctor can start.
  const closed = await api('POST', `/consultations/${cid}/close`, docToken, {});
  assert.equal(closed.status, 200, closed.text);
  return { rxId: rx.json.id, formularyId: line.id, consultationId: cid };
}

/**
 * The demo pharmacy (seed-demo: 演示·陈店员 13800000030 manages the first, with stock of the demo
 * formulary) and a courier who joins it through the onboarding flow (application, admin approval).
 * The patient's home is about 300 m north of it.
 */
async function setupPharmacy(base, adminToken) {
  const managerToken = await loginToken(base, '13800000030');
  const mine = await api('GET', '/me/pharmacy-staff', managerToken);
  assert.equal(mine.status, 200, mine.text);
  const id = mine.json.pharmacy_ids[0];
  assert.ok(id, 'seed-demo made a demo pharmacy with 13800000030 as staff');
  const ph = await api('GET', `/pharmacies/${id}`, managerToken);
  assert.equal(ph.status, 200, ph.text);
  assert.ok(ph.json.delivers, 'the demo pharmacy delivers');
  // Open around the clock (the manager's settings), so the nearby search finds it whatever the
  // hour the test runs at (it lists pharmacies open now).
  const hours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
  const set = await api('PUT', `/pharmacies/${id}/settings`, managerToken, {
    hours, status: 'open', delivers: true, delivery_radius_m: Math.max(ph.json.delivery_radius_m, 3000),
    delivery_fee_fen: ph.json.delivery_fee_fen, pickup_counter: ph.json.pickup_counter || '1 号窗口', phone: ph.json.phone || '010-00000000',
  });
  assert.equal(set.status, 200, set.text);
  const courier = { phone: '13600003031', password: 'Ihos-e2e-cour-31', realName: '马骑手', idNumber: idNumber('19950720', '071') };
  await registerViaApi(base, courier);
  const courierToken = await loginToken(base, courier.phone, courier.password);
  const applied = await api('POST', '/pharmacy-applications', courierToken, { kind: 'join', pharmacy_id: id, duty: 'courier' });
  assert.equal(applied.status, 201, applied.text);
  const ok = await api('POST', `/admin/pharmacy-applications/${applied.json.id}/approve`, adminToken, {});
  assert.equal(ok.status, 200, ok.text);
  return {
    id,
    homeLat: Number((ph.json.lat + 0.003).toFixed(6)),
    homeLon: ph.json.lon,
    counter: { phone: '13800000030', password: DEMO_PASSWORD },
    courier,
  };
}

const state = {};

test('delivery: nearby pharmacies → pay with insurance → accepted and dispensed → courier delivers, the patient sees the timeline', async (t) => {
  const base = env.server.baseUrl;
  await registerViaApi(base, patient);
  const adminToken = await loginToken(base, ADMIN);
  const patToken = await loginToken(base, patient.phone, patient.password);
  const docToken = await loginToken(base, DOCTOR);
  const phToken = await loginToken(base, PHARMACIST);
  // Insured (demo adapter) in the demo policy's region.
  const policies = await api('GET', '/billing/policies', adminToken);
  const policy = policies.json.items.find((p) => p.scheme === 'employee');
  assert.ok(policy, policies.text);
  const bind = await api('PUT', '/billing/profile', patToken, { scheme: 'employee', region_code: policy.region_code });
  assert.equal(bind.status, 200, bind.text);
  // 阿托伐他汀 80 mg a day (high intensity, the label's maximum) for 7 days: four boxes of 7 to scan.
  const rx = await approvedPrescription(patToken, docToken, phToken, { name: '阿托伐他汀', dose: 80000, frequency: 'qd' });
  Object.assign(state, { adminToken, patToken, docToken, phToken, rx });
  const shop = await setupPharmacy(base, adminToken);
  Object.assign(state, { shop });

  // The patient: 药品订单 → 处方购药 → delivery, address and coordinates → pharmacies nearby.
  const pat = await newPage(env.browser, base, PHONE);
  const external = [];
  pat.on('request', (r) => {
    if (/^https?:/.test(r.url()) && !r.url().startsWith(base)) external.push(r.url());
  });
  await loginViaUi(pat, patient.phone, patient.password);
  await pat.waitForURL((u) => !u.pathname.startsWith('/login'));
  await pat.goto('/drug-orders');
  await pat.getByTestId(`order-rx-${rx.rxId}`).click();
  await pat.getByTestId('rx-order-page').waitFor();
  await pat.getByTestId('order-address').locator('input').fill('测试路1号');
  await pat.getByTestId('order-lat').locator('input').fill(String(shop.homeLat));
  await pat.getByTestId('order-lon').locator('input').fill(String(shop.homeLon));
  await pat.getByTestId('order-find').click();
  await pat.getByTestId(`nearby-${shop.id}`).waitFor();
  // The map around the patient's point: drawn without tiles (no request leaves this server), rings
  // at 1/3/5 km, and its text list; picking a pharmacy in the list moves the focus to its card.
  const map = pat.getByTestId('pharmacy-map');
  await map.getByTestId(`map-item-${shop.id}`).waitFor();
  for (const km of [1, 3, 5]) await map.locator('svg text', { hasText: `${km} km` }).first().waitFor();
  assert.match(await map.getByTestId(`map-item-${shop.id}`).innerText(), /公里/);
  await map.getByTestId(`map-item-${shop.id}`).locator('button').focus();
  await pat.keyboard.press('Enter');
  await pat.waitForFunction((id) => document.activeElement?.getAttribute('data-testid') === `nearby-${id}`, shop.id);
  assert.deepEqual(external, [], 'no request to another host (no map tiles)');
  await screenshot(pat, 'dispensing-nearby-zh');
  await axe(pat, t, 'the order page with pharmacies nearby');
  // A desktop browser (1280×800): the same page in the phone column, and still nothing axe minds.
  await pat.setViewportSize({ width: 1280, height: 800 });
  await axe(pat, t, 'the order page with pharmacies nearby at 1280×800');
  await screenshot(pat, 'dispensing-nearby-desktop');
  await pat.setViewportSize(PHONE.viewport);
  await pat.getByTestId(`choose-${shop.id}`).click();
  await pat.waitForURL(/\/drug-orders\/\d+$/);
  const orderId = Number(pat.url().split('/').pop());
  await pat.locator('[data-testid="drug-order-page"][data-status="placed"]').waitFor();

  // Pay with insurance on the billing pay sheet; the cash part on the demo provider's page.
  await pat.getByTestId('drug-order-pay').click();
  const sheet = pat.getByTestId('pay-sheet');
  await sheet.getByTestId('pay-split').waitFor();
  await screenshot(pat, 'dispensing-pay-sheet-zh');
  await sheet.getByTestId('pay-confirm').click();
  const bill = await until(() => api('GET', `/billing/orders?source_kind=drug_order&source_id=${orderId}`, patToken), (r) => r.json.items[0]?.status !== 'pending', 'the bill leaves pending');
  if (bill.json.items[0].status !== 'paid') {
    await pat.waitForURL(/\/pay\/demo\//);
    await pat.getByTestId('demo-pay-confirm').click();
    await pat.getByTestId('demo-pay-done').waitFor();
  }
  await until(() => api('GET', `/drug-orders/${orderId}`, patToken), (r) => r.json.paid === true, 'the order is paid');
  const paidBill = (await api('GET', `/billing/orders?source_kind=drug_order&source_id=${orderId}`, patToken)).json.items[0];
  assert.ok(paidBill.settlement.fund_fen > 0, 'the insurance fund paid its share');

  // The patient's page follows the order over the WebSocket from here on: no reload, no polling
  // (the page polls only while its socket is down).
  await pat.goto(`/drug-orders/${orderId}`);
  await pat.locator('[data-testid="drug-order-page"][data-status="placed"][data-live="socket"]').waitFor();
  await pat.evaluate(() => { window.__sameDocument = true; });

  // The counter (1280×800): accept, then scan every box's batch and dispense on the order desk.
  const desk = await newPage(env.browser, base, WIDE);
  await loginViaUi(desk, shop.counter.phone, shop.counter.password);
  await desk.waitForURL((u) => !u.pathname.startsWith('/login'));
  await desk.goto('/pharmacy/orders');
  await desk.locator('[data-testid="pharmacy-orders"][data-live="socket"]').waitFor();
  await desk.getByTestId(`desk-accept-${orderId}`).click();
  await pat.locator('[data-testid="drug-order-page"][data-status="accepted"]').waitFor({ timeout: 10_000 });
  await pat.locator('[data-testid="drug-order-timeline"] [data-event="accepted"]').waitFor();
  // The scan step: a code the stock ledger does not know is refused with its rule, named in the
  // message; a box of a batch that is not the earliest-expiring one likewise; then the right boxes.
  const counterToken = await loginToken(base, shop.counter.phone, shop.counter.password);
  const codes = await fefoBatchCodes(base, counterToken, orderId);
  await desk.getByTestId(`desk-dispense-${orderId}`).click();
  const scan = desk.getByTestId('batch-scan');
  await desk.locator('[data-testid="batch-scan"][data-ready="true"]').waitFor();
  await scan.getByTestId('batch-scan-input').fill('NO-SUCH-BATCH');
  await scan.getByTestId('batch-scan-input').press('Enter');
  await scan.getByText(/NO-SUCH-BATCH/).first().waitFor();
  await scan.getByText(/不在本药店的库存台账中|not in this pharmacy's stock ledger/).waitFor();
  assert.equal(await scan.locator('[data-testid="batch-scan-dispense"]').isDisabled(), true, 'nothing scanned: no dispensing');
  await screenshot(desk, 'dispensing-batch-scan-refused');
  await axe(desk, t, 'the batch scan with a refused code');
  await scan.getByTestId('batch-scan-cancel').click();
  await scan.waitFor({ state: 'detached' });
  // A barcode scanner is quick: every box is scanned without waiting for the previous check (each
  // check answers 0.8 s late here), and every box is kept.
  assert.ok(codes.length >= 3, `boxes to scan: ${codes.length}`);
  await desk.getByTestId(`desk-dispense-${orderId}`).click();
  await desk.locator('[data-testid="batch-scan"][data-ready="true"]').waitFor();
  await desk.route(/\/batch-check/, async (route) => {
    await new Promise((r) => setTimeout(r, 800));
    await route.continue().catch(() => undefined);
  });
  for (const c of codes) {
    await scan.getByTestId('batch-scan-input').fill(c);
    await scan.getByTestId('batch-scan-input').press('Enter');
  }
  await scan.locator(`[data-testid="batch-scan-list"] li:nth-child(${codes.length})`).waitFor();
  await scan.locator('[data-testid="batch-scan-dispense"]:not([disabled])').click();
  await scan.waitFor({ state: 'detached' });
  await desk.unroute(/\/batch-check/);
  await desk.getByTestId(`desk-status-${orderId}`).getByText(/已调配|Dispensed/).waitFor();
  // The patient's page changed by itself, in the same document.
  await pat.locator('[data-testid="drug-order-page"][data-status="dispensed"]').waitFor({ timeout: 10_000 });
  assert.equal(await pat.evaluate(() => window.__sameDocument === true), true, 'the patient page was not reloaded');
  const dispensed = await api('GET', `/drug-orders/${orderId}`, patToken);
  assert.deepEqual(dispensed.json.batches.flatMap((b) => Array(b.quantity).fill(b.batch_no)).sort(), [...codes].sort(), 'the boxes scanned are the boxes dispensed');
  await screenshot(desk, 'dispensing-desk-desktop');
  await axe(desk, t, 'the pharmacy order desk');

  // The courier (phone): take, picked up, delivered.
  const cour = await newPage(env.browser, base, PHONE);
  await loginViaUi(cour, shop.courier.phone, shop.courier.password);
  await cour.waitForURL((u) => !u.pathname.startsWith('/login'));
  await cour.goto('/courier');
  await cour.getByTestId(`courier-take-${orderId}`).click();
  await cour.getByTestId(`courier-picked-${orderId}`).click();
  await screenshot(cour, 'dispensing-courier-zh');
  await axe(cour, t, 'the courier page');
  await cour.getByTestId(`courier-delivered-${orderId}`).click();

  // The patient's page follows the timeline without a reload.
  await pat.goto(`/drug-orders/${orderId}`);
  await pat.locator('[data-testid="drug-order-page"][data-status="delivered"]').waitFor({ timeout: 60_000 });
  for (const s of ['placed', 'accepted', 'dispensed', 'assigned', 'picked_up', 'delivered'])
    await pat.locator(`[data-testid="drug-order-timeline"] [data-event="${s}"]`).waitFor();
  await screenshot(pat, 'dispensing-delivered-zh');
  await axe(pat, t, 'the delivered order');
  const wide = await newPage(env.browser, base, DESKTOP);
  await wide.addInitScript(() => localStorage.setItem('ihos.locale', 'en'));
  await loginViaUi(wide, patient.phone, patient.password);
  await wide.waitForURL((u) => !u.pathname.startsWith('/login'));
  await wide.goto(`/drug-orders/${orderId}`);
  await wide.getByText('Delivered').first().waitFor();
  await screenshot(wide, 'dispensing-delivered-en-desktop');
  await wide.goto('/drug-orders');
  await wide.getByTestId(`drug-order-${orderId}`).waitFor();
  await axe(wide, t, 'my drug orders');
});

test('pickup: the code is pasted at the counter and handed over once; a second scan is refused', async (t) => {
  const base = env.server.baseUrl;
  const { patToken, docToken, phToken, shop } = state;
  assert.ok(shop, 'the delivery test ran first');
  // Another drug (amlodipine is still an active prescription: a second one would duplicate it).
  const rx = await approvedPrescription(patToken, docToken, phToken, { name: '二甲双胍', dose: 500_000, frequency: 'bid' });
  const placed = await api('POST', '/drug-orders', patToken, { prescription_id: rx.rxId, pharmacy_id: shop.id, mode: 'pickup' });
  assert.equal(placed.status, 201, placed.text);
  const id = placed.json.id;
  // Paid through billing (insurance; the cash part confirmed on the demo provider).
  const bill = (await api('GET', `/billing/orders?source_kind=drug_order&source_id=${id}`, patToken)).json.items[0];
  const paying = await api('POST', `/billing/orders/${bill.id}/pay`, patToken, { use_insurance: true, use_personal_account: false });
  assert.equal(paying.status, 200, paying.text);
  if (paying.json.status !== 'paid') {
    const c = await api('POST', `/demo-pay/${paying.json.payment.out_trade_no}/confirm`, patToken, {});
    assert.equal(c.status, 200, c.text);
  }
  await until(() => api('GET', `/drug-orders/${id}`, patToken), (r) => r.json.paid === true, 'the pickup order is paid');
  const counterToken = await loginToken(base, shop.counter.phone, shop.counter.password);
  assert.equal((await api('POST', `/drug-orders/${id}/accept`, counterToken, {})).status, 200);
  assert.equal((await api('POST', `/drug-orders/${id}/dispense`, counterToken, {})).status, 200);

  // The patient shows the code (QR and text).
  const pat = await newPage(env.browser, base, PHONE);
  await loginViaUi(pat, patient.phone, patient.password);
  await pat.waitForURL((u) => !u.pathname.startsWith('/login'));
  await pat.goto(`/drug-orders/${id}`);
  await pat.getByTestId('pickup-code').waitFor();
  await screenshot(pat, 'dispensing-pickup-code-zh');
  await axe(pat, t, 'the pickup code');
  const code = await pat.getByTestId('pickup-code-text').inputValue();
  assert.match(code, /^IHOSPU1\./);

  // The counter pastes it: handed over; the same code again is refused.
  const desk = await newPage(env.browser, base, WIDE);
  await loginViaUi(desk, shop.counter.phone, shop.counter.password);
  await desk.waitForURL((u) => !u.pathname.startsWith('/login'));
  await desk.goto('/pharmacy/orders');
  await desk.locator('[data-testid="pickup-scan"] textarea').fill(code);
  await desk.getByTestId('pickup-scan-submit').click();
  await desk.getByTestId('pickup-scan-ok').waitFor();
  await desk.locator('[data-testid="pickup-scan"] textarea').fill(code);
  await desk.getByTestId('pickup-scan-submit').click();
  await desk.getByText(/已使用|already used/).waitFor();
  await screenshot(desk, 'dispensing-scan-used-desktop');
  const after = await api('GET', `/drug-orders/${id}`, patToken);
  assert.equal(after.json.status, 'handed_over');
});
