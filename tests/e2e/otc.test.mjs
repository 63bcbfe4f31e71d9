// OTC (非处方药) orders in the browser (src/domain/drugs OTC marks, src/domain/dispensing PlaceOtc).
// seed-demo marks demo formulary lines OTC (布洛芬片 甲类, 氯雷他定片/对乙酰氨基酚片 乙类, each with a
// DEMO reference) and stocks the demo pharmacies. A patient at phone width opens 买药 on the home
// screen, finds an OTC drug, puts it on the list with the keyboard, finds the demo pharmacy nearby
// with it in stock, orders for pickup and pays (self-pay, DEMO provider). A prescription-only drug
// (阿莫西林, in the demo formulary, never marked) is shown as such and cannot be added; a line whose
// mark a pharmacist revokes after it was put on the list is refused by the server with its message;
// a guardian buys a 甲类 line for a minor ward after acknowledging the pharmacist's advice.
// The pharmacist's OTC page shows a line's marks. axe-core (critical/serious) on every page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, DESKTOP, PHONE, apiCall, drugDataDir, expectAccessible, idNumber, loginToken, loginViaUi, newPage, registerViaApi, screenshot, seedDemo, useServerAndBrowser } from './helpers.mjs';

const PHARMACIST = '13800000004'; // 演示·赵药师
const MANAGER = '13800000030'; // 演示·陈店员, manager of the first demo pharmacy
const patient = { phone: '13600003150', password: 'Ihos-e2e-otc-150', realName: '孙晓燕', idNumber: idNumber('19880612', '064') };

const env = useServerAndBrowser({
  prepare: async (work) => {
    if (!drugDataDir()) throw new Error('drug data not found: set IHOS_DRUG_DATA or put shared/data beside the repository');
    await seedDemo(work);
  },
});

const api = (method, p, token, body) => apiCall(env.server.baseUrl, method, p, { token, body });

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

/** The first demo pharmacy, open around the clock (the nearby search lists pharmacies open now). */
async function openDemoPharmacy() {
  const token = await loginToken(env.server.baseUrl, MANAGER);
  const mine = await api('GET', '/me/pharmacy-staff', token);
  assert.equal(mine.status, 200, mine.text);
  const id = mine.json.pharmacy_ids[0];
  const ph = await api('GET', `/pharmacies/${id}`, token);
  assert.equal(ph.status, 200, ph.text);
  const hours = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
  const set = await api('PUT', `/pharmacies/${id}/settings`, token, {
    hours, status: 'open', delivers: true, delivery_radius_m: Math.max(ph.json.delivery_radius_m, 3000),
    delivery_fee_fen: ph.json.delivery_fee_fen, pickup_counter: ph.json.pickup_counter || '1 号窗口', phone: ph.json.phone || '010-00000000',
  });
  assert.equal(set.status, 200, set.text);
  return { id, lat: Number((ph.json.lat + 0.003).toFixed(6)), lon: ph.json.lon };
}

/** The OTC line of the seed named `name` (its formulary id). */
async function otcLine(token, name) {
  const r = await api('GET', `/otc/drugs?q=${encodeURIComponent(name)}`, token);
  assert.equal(r.status, 200, r.text);
  const line = r.json.items.find((i) => i.drug.name === name);
  assert.ok(line, `seed-demo marked ${name} OTC: ${r.text}`);
  return line;
}

test('a patient buys an OTC drug from 买药 and pays; a prescription-only drug is refused with its message', async () => {
  const base = env.server.baseUrl;
  await registerViaApi(base, patient);
  const patToken = await loginToken(base, patient.phone, patient.password);
  const shop = await openDemoPharmacy();
  const loratadine = await otcLine(patToken, '氯雷他定');
  assert.equal(loratadine.otc.otc_class, 'B');
  assert.match(loratadine.otc.reference, /DEMO/);

  const pat = await newPage(env.browser, base, PHONE);
  await loginViaUi(pat, patient.phone, patient.password);
  await pat.waitForURL((u) => !u.pathname.startsWith('/login'));
  // 买药 reached from 处方购药 (my drug orders); the home screen's 买药 tile is tested in home.test.mjs.
  await pat.getByTestId('tile-medicine').click();
  await pat.getByTestId('my-drug-orders-otc').click();
  await pat.getByTestId('otc-shop').waitFor();
  assert.match(await pat.getByTestId('otc-shop').innerText(), /买药（非处方药）/);

  // A line nobody marked OTC: listed as not marked, nothing to add; ordering it anyway (the API, as
  // a stale page would) gets the server's rule: amoxicillin is a prescription drug.
  await pat.getByTestId('otc-q').locator('input').fill('阿莫西林');
  await pat.getByTestId('otc-q').locator('input').press('Enter');
  const rxNote = pat.locator('[data-testid^="otc-rx-note-"]').first();
  await rxNote.waitFor();
  assert.match(await rxNote.innerText(), /“阿莫西林”未经药师标记为非处方药/);
  assert.equal(await pat.locator('[data-testid="otc-results"] [data-testid^="otc-add-"]').count(), 0, 'an unmarked line cannot be put on the list');
  const amoxicillinId = Number((await rxNote.getAttribute('data-testid')).replace('otc-rx-note-', ''));
  const rxOrder = await api('POST', '/otc-orders', patToken, { pharmacy_id: shop.id, mode: 'pickup', lines: [{ formulary_item_id: amoxicillinId, quantity: 1 }], advice_acknowledged_items: [] });
  assert.equal(rxOrder.status, 409, rxOrder.text);
  assert.equal(rxOrder.json.code, 'rx_required');
  assert.match(rxOrder.json.message['zh-CN'], /“阿莫西林”是处方药，须凭审核通过的处方购买/);
  await expectAccessible(pat, 'the OTC shop with a prescription-only result');

  // The OTC drug, put on the list with the keyboard.
  await pat.getByTestId('otc-q').locator('input').fill('氯雷他定');
  await pat.getByTestId('otc-q').locator('input').press('Enter');
  const item = pat.getByTestId(`otc-item-${loratadine.id}`);
  await item.waitFor();
  assert.match(await item.innerText(), /乙类OTC/);
  assert.match(await item.innerText(), /DEMO/);
  await pat.getByTestId(`otc-add-${loratadine.id}`).focus();
  await pat.keyboard.press('Enter');
  await pat.getByTestId(`otc-qty-${loratadine.id}`).waitFor();
  await pat.getByTestId('otc-mode-pickup').click();
  await pat.getByTestId('otc-lat').locator('input').fill(String(shop.lat));
  await pat.getByTestId('otc-lon').locator('input').fill(String(shop.lon));
  await pat.getByTestId('otc-find').click();
  await pat.getByTestId(`otc-nearby-${shop.id}`).waitFor();
  assert.match(await pat.getByTestId(`otc-nearby-${shop.id}`).innerText(), /¥/);
  const sideways = await pat.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(sideways <= 0, `no sideways scrolling at 390 px (${sideways})`);
  await expectAccessible(pat, 'the OTC shop with pharmacies nearby');
  await screenshot(pat, 'otc-shop-zh');
  // A desktop browser (1280×800): the same page in the phone column, and still nothing axe minds.
  await pat.setViewportSize({ width: 1280, height: 800 });
  await expectAccessible(pat, 'the OTC shop with pharmacies nearby at 1280×800');
  await screenshot(pat, 'otc-shop-desktop');
  await pat.setViewportSize(PHONE.viewport);
  await pat.getByTestId(`otc-choose-${shop.id}`).click();
  await pat.waitForURL(/\/drug-orders\/\d+$/);
  const orderId = Number(pat.url().split('/').pop());
  await pat.locator('[data-testid="drug-order-page"][data-status="placed"]').waitFor();
  const placed = await api('GET', `/drug-orders/${orderId}`, patToken);
  assert.equal(placed.json.kind, 'otc');
  assert.equal(placed.json.prescription_id, null);

  // Pay (self-pay: the DEMO provider's page).
  await pat.getByTestId('drug-order-pay').click();
  await pat.getByTestId('pay-sheet').getByTestId('pay-confirm').click();
  const bill = await until(() => api('GET', `/billing/orders?source_kind=drug_order&source_id=${orderId}`, patToken), (r) => r.json.items[0]?.status !== 'pending', 'the bill leaves pending');
  if (bill.json.items[0].status !== 'paid') {
    await pat.waitForURL(/\/pay\/demo\//);
    await pat.getByTestId('demo-pay-confirm').click();
    await pat.getByTestId('demo-pay-done').waitFor();
  }
  await until(() => api('GET', `/drug-orders/${orderId}`, patToken), (r) => r.json.paid === true, 'the order is paid');
  await pat.goto(`/drug-orders/${orderId}`);
  await pat.locator('[data-testid="drug-order-page"][data-status="placed"]').waitFor();
  const paidBill = (await api('GET', `/billing/orders?source_kind=drug_order&source_id=${orderId}`, patToken)).json.items[0];
  assert.equal(paidBill.status, 'paid');
  assert.ok(paidBill.settlement, 'a paid bill is settled');
  assert.equal(paidBill.settlement.fund_fen, 0, 'self-pay: the insurance fund pays nothing');
  assert.equal(paidBill.payment.amount_fen, paidBill.total_fen, 'all of it paid in cash');

  // A line put on the list whose mark is revoked before the order: the server refuses it and the
  // page shows the rule's message.
  const phToken = await loginToken(base, PHARMACIST);
  const paracetamol = await otcLine(patToken, '对乙酰氨基酚');
  await pat.goto('/otc');
  await pat.getByTestId('otc-q').locator('input').fill('对乙酰氨基酚');
  await pat.getByTestId('otc-search').click();
  await pat.getByTestId(`otc-add-${paracetamol.id}`).click();
  await pat.getByTestId('otc-lat').locator('input').fill(String(shop.lat));
  await pat.getByTestId('otc-lon').locator('input').fill(String(shop.lon));
  await pat.getByTestId('otc-find').click();
  await pat.getByTestId(`otc-nearby-${shop.id}`).waitFor();
  const revoked = await api('POST', `/formulary/${paracetamol.id}/otc/revoke`, phToken, { reason: '演示：撤销标记' });
  assert.equal(revoked.status, 201, revoked.text);
  await pat.getByTestId(`otc-choose-${shop.id}`).click();
  const refusal = pat.getByTestId('otc-place-error');
  await refusal.getByText(/“对乙酰氨基酚”未经药师标记为非处方药/).waitFor();
  await expectAccessible(pat, 'the OTC shop with the refusal');
  assert.match(pat.url(), /\/otc$/);

  // A 甲类 line bought by a guardian for a minor ward: the pharmacist's advice is shown and must be
  // acknowledged before pharmacies are searched.
  const ibuprofen = await otcLine(patToken, '布洛芬');
  assert.equal(ibuprofen.otc.otc_class, 'A');
  const ward = await api('POST', '/me/dependents', patToken, { real_name: '孙小雨', id_number: idNumber(`${new Date().getFullYear() - 8}0101`, '072'), relationship: 'parent' });
  assert.equal(ward.status, 201, ward.text);
  await pat.goto('/otc');
  await pat.getByTestId('otc-q').locator('input').fill('布洛芬');
  await pat.getByTestId('otc-q').locator('input').press('Enter');
  assert.match(await pat.getByTestId(`otc-item-${ibuprofen.id}`).innerText(), /甲类OTC/);
  await pat.getByTestId(`otc-add-${ibuprofen.id}`).click();
  await pat.getByTestId(`otc-advice-${ibuprofen.id}`).waitFor();
  await pat.getByTestId('otc-lat').locator('input').fill(String(shop.lat));
  await pat.getByTestId('otc-lon').locator('input').fill(String(shop.lon));
  assert.equal(await pat.getByTestId('otc-find').isDisabled(), true, 'not before the advice is acknowledged');
  assert.equal(await pat.getByTestId('otc-ack').getAttribute('aria-describedby'), `otc-advice-text-${ibuprofen.id}`);
  assert.match(await pat.getByTestId(`otc-class-note-${ibuprofen.id}`).innerText(), /须在药师指导下购买/);
  await pat.getByTestId('otc-ack').click();
  await pat.locator('[data-testid="otc-find"]:not([disabled])').waitFor();
  // The tick covers the 甲类 lines it was given for: taken off and put back, it is asked again.
  await pat.getByRole('button', { name: '移除 布洛芬' }).click();
  await pat.getByTestId(`otc-add-${ibuprofen.id}`).click();
  await pat.locator('[data-testid="otc-find"][disabled]').waitFor();
  assert.equal(await pat.getByTestId('otc-ack').getAttribute('aria-checked'), 'false');
  await pat.getByTestId('otc-ack').click();
  await pat.locator('[data-testid="otc-find"]:not([disabled])').waitFor();
  await pat.getByTestId('otc-for').getByText('孙小雨').click();
  await expectAccessible(pat, 'the OTC shop with a class A line, its advice and a ward');
  await pat.getByTestId('otc-find').click();
  await pat.getByTestId(`otc-choose-${shop.id}`).click();
  await pat.waitForURL(/\/drug-orders\/\d+$/);
  const forWard = await api('GET', `/drug-orders/${pat.url().split('/').pop()}`, patToken);
  assert.equal(forWard.json.patient_id, ward.json.id, 'ordered for the ward');
  assert.equal(forWard.json.lines[0].otc_class, 'A');
  assert.equal(forWard.json.lines[0].otc_mark_id, ibuprofen.otc.id, 'the line keeps the mark whose advice was acknowledged');
  assert.equal(forWard.json.events[0].note, 'otc_advice_acknowledged');
});

test('the pharmacist marks and revokes OTC with the reference on the OTC page', async () => {
  const base = env.server.baseUrl;
  const page = await newPage(env.browser, base, DESKTOP);
  await loginViaUi(page, PHARMACIST, DEMO_PASSWORD);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await page.goto('/staff/otcMark');
  await page.getByTestId('otc-mark').waitFor();
  await page.locator('#otc-mark-q').fill('布洛芬');
  await page.locator('#otc-mark-q').press('Enter');
  const line = page.locator('[data-testid^="otc-mark-line-"]').first();
  await line.waitFor();
  await line.focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('otc-mark-history').waitFor();
  assert.match(await page.getByTestId('otc-mark-history').innerText(), /DEMO/);
  await expectAccessible(page, 'the pharmacist OTC page');
  // Marking without the reference is refused with the field's message; with it, a new row.
  await page.getByTestId('otc-mark-b').click();
  await page.getByTestId('otc-mark-submit').click();
  await page.getByTestId('otc-mark-error').waitFor();
  await page.locator('#otc-mark-ref').fill('国家药监局公告（e2e 测试引用）');
  await page.getByTestId('otc-mark-submit').click();
  await page.getByTestId('otc-mark-history').getByText(/e2e 测试引用/).waitFor();
  assert.match(await page.getByTestId('otc-mark-current').innerText(), /乙类OTC/);
  await screenshot(page, 'otc-mark-zh');
  // Revoked with a reason (keyboard): the line is no longer OTC and the history says so.
  await page.locator('#otc-revoke-reason').fill('e2e：目录核对后撤销');
  await page.getByTestId('otc-revoke').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('otc-mark-history').getByText(/e2e：目录核对后撤销/).waitFor();
  await page.getByTestId('otc-mark-current').filter({ hasText: /未标记/ }).waitFor();
});
