// Issue #14 in the browser: payment and medical insurance. An insured patient (bound on 我的医保 with
// the demo adapter) pays for a follow-up consultation: the pay sheet shows the split (医保统筹 /
// 个人账户 / 自付) from pre-settlement before confirming, the cash part is paid on the demo
// provider's page, the bill turns paid and has an e-receipt. The patient then withdraws the waiting
// consultation and sees the refund (fund, personal account and cash parts) on the bill. A duplicated
// payment notification (the demo page's resend button, twice) changes nothing. The admin pages
// (prices, policies with field errors, reconciliation, ledger check) at 1280×800. A priced home
// nurse is paid from its order (pay bar, pay sheet, demo provider) before a nurse can take it. Every page is
// checked with axe-core (no critical or serious violation) when axe-core is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, PHONE, apiCall, expectAccessible, idNumber, loginToken, loginViaUi, newPage, registerViaApi, screenshot, seedDemo, useServerAndBrowser } from './helpers.mjs';
import { makePng } from './doctors-files.mjs';

const ADMIN = '13800000001';
const DOCTOR = '13800000003';
const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
const patient = { phone: '13600001414', password: 'Ihos-e2e-billing-1', realName: '林医保', idNumber: idNumber('19780512', '146') };

const env = useServerAndBrowser({
  prepare: seedDemo,
});

/** No critical or serious axe-core violation on the page as it is now. */
const axe = (page, _t, what, include) => expectAccessible(page, what, include);

const yuan = (fen) => `¥${(fen / 100).toFixed(2)}`;
let state = {};

async function api(method, p, token, body) {
  return apiCall(env.server.baseUrl, method, p, { token, body });
}

/** Polls the API (not a fixed sleep) until `check` accepts the answer or 30 s pass. */
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

async function startFollowUp(patToken, practitionerId, complaint) {
  const up = await fetch(`${env.server.baseUrl}/api/v1/files`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${patToken}`, 'Content-Type': 'image/png', 'X-File-Name': encodeURIComponent('门诊病历.png') },
    body: makePng(200, 140, [230, 236, 245]),
  });
  const upload = JSON.parse(await up.text());
  assert.equal(up.status, 201, JSON.stringify(upload));
  const started = await api('POST', '/consultations', patToken, {
    kind: 'text',
    practitioner_id: practitionerId,
    intake: { chief_complaint: complaint, duration: '1月', symptoms: ['口渴'], history: '2型糖尿病3年', allergies: '无', medications: '二甲双胍', is_follow_up: true, proof_upload_ids: [upload.id] },
  });
  assert.equal(started.status, 201, started.text);
  return started.json.id;
}

test('an insured patient binds insurance, sees the split, pays the cash part on the demo provider page, and gets a receipt', async (t) => {
  const base = env.server.baseUrl;
  await registerViaApi(base, patient);
  const adminToken = await loginToken(base, ADMIN);
  const patToken = await loginToken(base, patient.phone, patient.password);
  const docToken = await loginToken(base, DOCTOR);
  // The demo policy of 城镇职工 (seed-demo's when it has one; else one made here by the admin).
  const policies = await api('GET', '/billing/policies', adminToken);
  assert.equal(policies.status, 200, policies.text);
  let policy = policies.json.items.find((p) => p.scheme === 'employee');
  if (!policy) {
    const provinces = await api('GET', '/healthcode/regions?parent=', patToken);
    const beijing = provinces.json.items.find((r) => r.code === '110000') ?? provinces.json.items[0];
    const cities = await api('GET', `/healthcode/regions?parent=${beijing.code}`, patToken);
    const made = await api('POST', '/billing/policies', adminToken, {
      region_code: cities.json.items[0].code,
      scheme: 'employee',
      deductible_fen: 0,
      annual_cap_fen: 2_000_000,
      personal_account_pays: true,
      ratios: [
        { grade: '*', item_class: 'A', ratio_bp: 7000 },
        { grade: '*', item_class: 'B', ratio_bp: 6000 },
      ],
    });
    assert.equal(made.status, 201, made.text);
    policy = made.json;
  }
  const doctor = await api('GET', '/me/practitioner', docToken);
  assert.equal(doctor.status, 200, doctor.text);
  state = { adminToken, patToken, docToken, policy, practitionerId: doctor.json.id };

  // 我的医保: not bound yet; bind 城镇职工 in the demo policy's region with the selects.
  const pat = await newPage(env.browser, base, PHONE);
  state.pat = pat;
  await loginViaUi(pat, patient.phone, patient.password);
  await pat.waitForURL((u) => !u.pathname.startsWith('/login'));
  await pat.goto('/insurance');
  await pat.locator('[data-testid="insurance-card"][data-bound="0"]').waitFor();
  await pat.getByTestId('insurance-edit').click();
  await pat.getByTestId(`scheme-${policy.scheme}`).check();
  const code = policy.region_code;
  await pat.getByTestId('region-province').selectOption(`${code.slice(0, 2)}0000`);
  const city = pat.getByTestId('region-city');
  await pat.waitForFunction(() => document.querySelector('[data-testid="region-city"]').options.length > 1);
  const cityCodes = await city.locator('option').evaluateAll((os) => os.map((o) => o.value));
  await city.selectOption(cityCodes.includes(code) ? code : `${code.slice(0, 4)}00`);
  if (!cityCodes.includes(code)) {
    await pat.waitForFunction(() => document.querySelector('[data-testid="region-county"]').options.length > 1);
    await pat.getByTestId('region-county').selectOption(code);
  }
  await screenshot(pat, 'billing-insurance-form-zh');
  await axe(pat, t, 'the insurance form');
  await pat.getByTestId('insurance-save').click();
  await pat.locator('[data-testid="insurance-card"][data-bound="1"]').waitFor();
  await pat.getByTestId('insurance-demo').waitFor();
  const profile = await api('GET', '/billing/profile', patToken);
  assert.equal(profile.json.bound, true, profile.text);
  assert.equal(profile.json.region_code, code);
  assert.equal(await pat.getByTestId('insurance-balance').textContent(), yuan(profile.json.personal_balance_fen));
  await screenshot(pat, 'billing-insurance-bound-zh');
  await axe(pat, t, 'my insurance');

  // A follow-up consultation waits: the waiting screen shows 去支付 (a consultation's bill holds
  // no place, so there is no countdown; a booked visit's has one).
  const cid = await startFollowUp(patToken, state.practitionerId, '糖尿病复诊，续开二甲双胍');
  state.consultationId = cid;
  await pat.goto(`/consult/${cid}`);
  await pat.getByTestId('waiting-panel').waitFor();
  const bar = pat.locator('[data-testid="pay-bar"][data-status="pending"]');
  await bar.waitFor();
  assert.equal(await pat.getByTestId('pay-bar-countdown').count(), 0);
  const orderId = await bar.getAttribute('data-order');
  state.orderId = orderId;
  await screenshot(pat, 'billing-consult-waiting-pay-zh');

  // The pay sheet: the split from pre-settlement, per line with its rule, before confirming.
  await pat.getByTestId('pay-open').click();
  const sheet = pat.getByTestId('pay-sheet');
  await sheet.getByTestId('pay-split').waitFor();
  const presettle = async (personal) => {
    const r = await api('POST', `/billing/orders/${orderId}/presettle`, patToken, { use_insurance: true, use_personal_account: personal });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.fund_fen + r.json.personal_fen + r.json.cash_fen, r.json.total_fen);
    return r.json;
  };
  const shows = async (split) => {
    await pat.waitForFunction((v) => document.querySelector('[data-testid="split-cash"]')?.textContent === v, yuan(split.cash_fen));
    assert.equal(await sheet.getByTestId('split-fund').textContent(), yuan(split.fund_fen));
    assert.equal(await sheet.getByTestId('split-personal').textContent(), yuan(split.personal_fen));
    assert.equal(await sheet.getByTestId('split-line').count(), split.lines.length);
  };
  const both = await presettle(true);
  assert.ok(both.fund_fen > 0, `the fund pays part of an insured follow-up: ${JSON.stringify(both)}`);
  await shows(both);
  assert.ok((await sheet.getByTestId('split-rule').first().textContent()).trim().length > 0);
  assert.equal(await sheet.getByTestId('pay-countdown').count(), 0);  // no place held
  await screenshot(pat, 'billing-pay-sheet-zh');
  // The sheet only: the consultation page under it is another capability's.
  await axe(pat, t, 'the pay sheet', '[data-testid="pay-sheet"]');

  // Keyboard: the personal-account switch toggles with Space and the split follows. The demo
  // account (¥500) would pay the whole patient share, so the patient pays that part in cash here
  // to go through the provider.
  await sheet.getByTestId('pay-use-personal').focus();
  await pat.keyboard.press('Space');
  const pre = { json: await presettle(false) };
  assert.equal(pre.json.personal_fen, 0);
  assert.ok(pre.json.cash_fen > 0, `cash is due without the personal account: ${JSON.stringify(pre.json)}`);
  await shows(pre.json);
  await screenshot(pat, 'billing-pay-sheet-cash-zh');
  state.split = pre.json;

  // 确认支付 (Enter on the focused button) → the demo provider's page for the cash part.
  await sheet.getByTestId('pay-confirm').focus();
  await pat.keyboard.press('Enter');
  if (pre.json.cash_fen > 0) {
    await pat.waitForURL(/\/pay\/demo\//);
    await pat.locator('[data-testid="demo-pay-page"][data-status="waiting"]').waitFor();
    await pat.getByTestId('demo-pay-badge').waitFor();
    assert.equal(await pat.getByTestId('demo-pay-amount').textContent(), yuan(pre.json.cash_fen));
    state.outTradeNo = decodeURIComponent(pat.url().split('/pay/demo/')[1]);
    await screenshot(pat, 'billing-demo-provider-zh');
    await axe(pat, t, 'the demo provider page');
    await pat.getByTestId('demo-pay-confirm').click();
    await pat.getByTestId('demo-pay-done').waitFor();
    await pat.getByTestId('demo-pay-back').click();
  }

  // The bill turns paid (the notification is asynchronous: the page asks again until it is).
  await pat.goto(`/bills/${orderId}`);
  await pat.locator('[data-testid="bill-page"][data-status="paid"]').waitFor({ timeout: 60_000 });
  assert.equal(await pat.getByTestId('bill-fund').textContent(), yuan(pre.json.fund_fen));
  assert.equal(await pat.getByTestId('bill-personal').textContent(), yuan(pre.json.personal_fen));
  assert.equal(await pat.getByTestId('bill-cash').textContent(), yuan(pre.json.cash_fen));
  await screenshot(pat, 'billing-bill-paid-zh');
  await axe(pat, t, 'the paid bill');

  // The e-receipt: number, payer, items, the insured / self-pay split.
  await pat.getByTestId('bill-receipt-link').click();
  await pat.getByTestId('receipt-page').waitFor();
  const receipt = await api('GET', `/billing/orders/${orderId}/receipt`, patToken);
  assert.equal(receipt.status, 200, receipt.text);
  await pat.getByTestId('receipt-number').getByText(receipt.json.number, { exact: true }).waitFor();
  assert.equal(await pat.getByTestId('receipt-payer').textContent(), receipt.json.payer_name);
  assert.equal(await pat.getByTestId('receipt-fund').textContent(), yuan(pre.json.fund_fen));
  assert.equal(await pat.getByTestId('receipt-cash').textContent(), yuan(pre.json.cash_fen));
  assert.ok((await pat.getByTestId('receipt-item').count()) >= 1);
  await screenshot(pat, 'billing-receipt-zh');
  await axe(pat, t, 'the receipt');
  state.receiptNumber = receipt.json.number;

  // The same receipt in English at desktop width.
  const wide = await newPage(env.browser, base, DESKTOP);
  await wide.addInitScript(() => localStorage.setItem('ihos.locale', 'en'));
  await loginViaUi(wide, patient.phone, patient.password);
  await wide.waitForURL((u) => !u.pathname.startsWith('/login'));
  await wide.goto(`/bills/${orderId}/receipt`);
  await wide.getByText('Medical charges e-receipt').waitFor();
  await screenshot(wide, 'billing-receipt-en-desktop');
  await wide.goto('/bills');
  await wide.getByTestId('bill-item').first().waitFor();
  await screenshot(wide, 'billing-bills-en-desktop');
  await axe(wide, t, 'my bills (en)');
  await wide.context().close();
});

test('a duplicate payment notification (resend twice on the demo page) changes nothing', async (t) => {
  assert.ok(state.orderId, 'the first test paid an order');
  const { pat, patToken, adminToken, orderId } = state;
  if (!state.outTradeNo) {
    t.diagnostic('nothing was due in cash: no provider payment to notify twice');
    return;
  }
  const before = await api('GET', `/billing/orders/${orderId}`, patToken);
  const ledgerBefore = await api('GET', '/billing/ledger/check', adminToken);
  assert.equal(ledgerBefore.status, 200, ledgerBefore.text);

  await pat.goto(`/pay/demo/${encodeURIComponent(state.outTradeNo)}`);
  await pat.locator('[data-testid="demo-pay-page"][data-status="paid"]').waitFor();
  await pat.getByTestId('demo-pay-resend').click();
  await pat.getByTestId('demo-pay-resent').getByText('×1').waitFor();
  await pat.getByTestId('demo-pay-resend').click();
  await pat.getByTestId('demo-pay-resent').getByText('×2').waitFor();
  await screenshot(pat, 'billing-demo-resent-zh');

  // The demo provider delivers due notifications every 200 ms and says nowhere when it did: the
  // order and the ledger are watched over 8 delivery rounds and must not change in any of them.
  const same = async () => {
    const o = await api('GET', `/billing/orders/${orderId}`, patToken);
    assert.deepEqual(o.json.payment, before.json.payment, 'still one payment, the same');
    assert.equal(o.json.receipt_number, before.json.receipt_number);
    const l = await api('GET', '/billing/ledger/check', adminToken);
    assert.equal(l.json.transactions, ledgerBefore.json.transactions, 'no new ledger transaction');
  };
  const watchUntil = Date.now() + 1_600;
  while (Date.now() < watchUntil) {
    await same();
    await new Promise((r) => setTimeout(r, 100));
  }
  const after = await api('GET', `/billing/orders/${orderId}`, patToken);
  assert.equal(after.json.status, 'paid');
  assert.equal(after.json.receipt_number, before.json.receipt_number);
  assert.equal(after.json.receipt_number, state.receiptNumber);
  assert.deepEqual(after.json.payment, before.json.payment, 'still one payment, the same');
  assert.deepEqual(after.json.settlement, before.json.settlement, 'the same amounts');
  assert.equal(after.json.refunded_fen, 0);
  const ledgerAfter = await api('GET', '/billing/ledger/check', adminToken);
  assert.equal(ledgerAfter.json.transactions, ledgerBefore.json.transactions, 'no new ledger transaction');
  assert.equal(ledgerAfter.json.unbalanced, 0);

  // The bill page shows the same.
  await pat.goto(`/bills/${orderId}`);
  await pat.locator('[data-testid="bill-page"][data-status="paid"]').waitFor();
  await pat.getByTestId('bill-receipt-link').getByText(state.receiptNumber).waitFor();
  assert.equal(await pat.getByTestId('bill-cash').textContent(), yuan(state.split.cash_fen));
});

test('the patient withdraws the waiting consultation and sees the refund of every part on the bill', async (t) => {
  assert.ok(state.orderId, 'the first test paid an order');
  const { pat, patToken, orderId, split } = state;
  await pat.goto(`/consult/${state.consultationId}`);
  await pat.getByTestId('waiting-panel').waitFor();
  await pat.locator('[data-testid="pay-bar"][data-status="paid"]').waitFor();
  await pat.getByTestId('consult-withdraw').click();
  await pat.locator('.van-dialog__confirm').click();
  await pat.locator('[data-testid="consultation-page"][data-status="cancelled"]').waitFor();

  // The refund is made from the consultation's status; wait for it through the API (bounded).
  const refunded = await until(
    () => api('GET', `/billing/orders/${orderId}`, patToken),
    (r) => r.json?.refunds?.length > 0 && r.json.refunds.every((x) => x.status === 'succeeded'),
    'the refund of the withdrawn consultation',
  );
  const refund = refunded.json.refunds[0];
  assert.equal(refunded.json.refunds.length, 1, 'one refund');
  assert.equal(refund.fund_fen, split.fund_fen);
  assert.equal(refund.personal_fen, split.personal_fen);
  assert.equal(refund.cash_fen, split.cash_fen);
  assert.equal(refunded.json.refunded_fen, split.total_fen);

  await pat.goto(`/bills/${orderId}`);
  const item = pat.getByTestId('refund-item');
  await item.waitFor();
  assert.equal(await item.getAttribute('data-status'), 'succeeded');
  assert.equal(await item.getByTestId('refund-fund').textContent(), yuan(split.fund_fen));
  assert.equal(await item.getByTestId('refund-personal').textContent(), yuan(split.personal_fen));
  assert.equal(await item.getByTestId('refund-cash').textContent(), yuan(split.cash_fen));
  await screenshot(pat, 'billing-bill-refunded-zh');
  await axe(pat, t, 'the refunded bill');
  await pat.goto('/bills');
  await pat.locator('[data-testid="bill-item"][data-status="refunded"]').waitFor();
  await screenshot(pat, 'billing-bills-zh');
  await axe(pat, t, 'my bills');
});

test('a home nurse is paid on 上门护理 before a nurse can take it: pay bar, pay sheet (自费), demo provider', async (t) => {
  assert.ok(state.pat, 'the first test signed the patient in');
  const { pat, patToken } = state;
  const base = env.server.baseUrl;
  // A priced order (the catalogue's demo price), placed through the API: the form is homecare's.
  const tomorrow = new Date(Date.now() + 8 * 3600_000 + 86400_000).toISOString().slice(0, 10);
  const placed = await api('POST', '/homecare/orders', patToken, {
    service_code: 'injection', region_code: '110105', address: '朝阳区测试小区 5 号楼 202', date: tomorrow, start_time: '09:00', end_time: '10:00',
  });
  assert.equal(placed.status, 201, placed.text);
  const careId = placed.json.id;
  // The demo nurse (Beijing) is not dispatched before payment.
  const nurseToken = await loginToken(base, '13800000022');
  const early = await api('POST', `/homecare/orders/${careId}/accept`, nurseToken, {});
  assert.equal(early.status, 409, early.text);
  assert.equal(early.json.code, 'homecare_payment_required');

  await pat.goto('/homecare?tab=mine');
  const card = pat.locator('[data-testid="care-order"][data-status="requested"]').first();
  const bar = card.locator('[data-testid="pay-bar"][data-status="pending"]');
  await bar.waitFor();
  const orderId = await bar.getAttribute('data-order');
  await screenshot(pat, 'billing-homecare-pay-bar-zh');
  await axe(pat, t, 'the pay bar on the home-care order', '[data-testid="pay-bar"]');
  await bar.getByTestId('pay-open').click();
  const sheet = pat.getByTestId('pay-sheet');
  await sheet.getByTestId('pay-split').waitFor();
  // Not insurable (自费): the fund pays nothing; without the personal account it is all cash.
  await sheet.getByTestId('pay-use-personal').focus();
  await pat.keyboard.press('Space');
  const split = await api('POST', `/billing/orders/${orderId}/presettle`, patToken, { use_insurance: true, use_personal_account: false });
  assert.equal(split.status, 200, split.text);
  assert.equal(split.json.fund_fen, 0);
  assert.equal(split.json.cash_fen, placed.json.price_fen);
  await pat.waitForFunction((v) => document.querySelector('[data-testid="split-cash"]')?.textContent === v, yuan(split.json.cash_fen));
  assert.equal(await sheet.getByTestId('split-fund').textContent(), yuan(0));
  await screenshot(pat, 'billing-homecare-pay-sheet-zh');
  await axe(pat, t, 'the pay sheet of a home-care order', '[data-testid="pay-sheet"]');
  await sheet.getByTestId('pay-confirm').click();
  await pat.waitForURL(/\/pay\/demo\//);
  assert.equal(await pat.getByTestId('demo-pay-amount').textContent(), yuan(placed.json.price_fen));
  await pat.getByTestId('demo-pay-confirm').click();
  await pat.getByTestId('demo-pay-done').waitFor();

  // Paid: the order's bar says so, the nurse sees it and takes it.
  await until(() => api('GET', `/billing/orders/${orderId}`, patToken), (r) => r.json?.status === 'paid', 'the home-care bill');
  await pat.goto('/homecare?tab=mine');
  await pat.locator('[data-testid="care-order"]').first().locator('[data-testid="pay-bar"][data-status="paid"]').waitFor();
  await screenshot(pat, 'billing-homecare-paid-zh');
  const board = await api('GET', '/homecare/board', nurseToken);
  assert.ok(board.json.open.some((o) => o.id === careId), board.text);
  const accepted = await api('POST', `/homecare/orders/${careId}/accept`, nurseToken, {});
  assert.equal(accepted.status, 200, accepted.text);
});

test('admin: prices and classes, a new policy version with field errors, reconciliation, ledger check (1280×800)', async (t) => {
  const base = env.server.baseUrl;
  const { policy } = state;
  assert.ok(policy, 'the first test found the demo policy');
  const page = await newPage(env.browser, base, DESKTOP);
  await loginViaUi(page, ADMIN, DEMO_PASSWORD);
  await page.getByTestId('staff-layout').waitFor();

  await page.getByTestId('nav-billingItems').click();
  await page.getByTestId('billing-items-table').locator('.el-table__row').first().waitFor();
  await screenshot(page, 'billing-admin-items-zh');
  await axe(page, t, 'admin items');

  await page.getByTestId('nav-billingPolicies').click();
  await page.getByTestId('policies-table').locator('.el-table__row').first().waitFor();
  await screenshot(page, 'billing-admin-policies-zh');
  await axe(page, t, 'admin policies');
  // A new version of the demo policy, first with a ratio over 100 %: the error is next to the row.
  const row = page.getByTestId('policies-table').locator('.el-table__row').filter({ hasText: policy.region_code }).first();
  await row.getByTestId('policy-new-version').click();
  await page.locator('#policy-region-province').waitFor();
  await page.waitForFunction((c) => document.querySelector('#policy-region-city')?.value === c || document.querySelector('#policy-region-county')?.value === c, policy.region_code);
  const pct = page.getByTestId('policy-ratio-pct-0').locator('input');
  await pct.fill('150');
  await pct.blur();
  await page.getByTestId('policy-create').click();
  await screenshot(page, 'billing-admin-policy-submitted-zh');
  await page.locator('[data-testid="policy-form"] [data-testid="policy-ratio-error-0"], [data-testid="policy-form"] .el-form-item__error, [data-testid="policy-form"] [data-testid="form-error"]').first().waitFor();
  await screenshot(page, 'billing-admin-policy-error-zh');
  await pct.fill('85');
  await pct.blur();
  await page.getByTestId('policy-create').click();
  const versions = await until(
    () => apiCall(base, 'GET', `/billing/policies?region_code=${policy.region_code}&scheme=${policy.scheme}`, { token: state.adminToken }),
    (r) => r.json?.items?.some((p) => p.version === policy.version + 1),
    'the new policy version',
  );
  assert.ok(versions.json.items.length >= 2);
  await row.getByTestId('policy-history').click();
  await page.getByTestId('policy-history-table').locator('.el-table__row').nth(1).waitFor();
  await screenshot(page, 'billing-admin-policy-history-zh');
  await page.keyboard.press('Escape');

  // Reconciliation of the demo region today: the settlement of the first test is there, balanced.
  await page.getByTestId('nav-billingReconciliation').click();
  await page.locator('#recon-region-province').selectOption(`${policy.region_code.slice(0, 2)}0000`);
  await page.waitForFunction(() => document.querySelector('#recon-region-city').options.length > 1);
  const cityCodes = await page.locator('#recon-region-city option').evaluateAll((os) => os.map((o) => o.value));
  await page.locator('#recon-region-city').selectOption(cityCodes.includes(policy.region_code) ? policy.region_code : `${policy.region_code.slice(0, 4)}00`);
  if (!cityCodes.includes(policy.region_code)) {
    await page.waitForFunction(() => document.querySelector('#recon-region-county').options.length > 1);
    await page.locator('#recon-region-county').selectOption(policy.region_code);
  }
  await page.getByTestId('recon-run').click();
  await page.getByTestId('recon-balanced').waitFor();
  assert.equal(await page.getByTestId('recon-balanced').getAttribute('data-balanced'), '1');
  if (state.receiptNumber) await page.getByTestId('recon-settlements').getByText(state.receiptNumber).waitFor();
  await screenshot(page, 'billing-admin-reconciliation-zh');
  await axe(page, t, 'admin reconciliation');

  await page.getByTestId('nav-billingLedger').click();
  await page.getByTestId('ledger-result').waitFor();
  assert.equal(await page.getByTestId('ledger-result').getAttribute('data-unbalanced'), '0');
  await screenshot(page, 'billing-admin-ledger-zh');
  await axe(page, t, 'admin ledger');
  await page.context().close();
});
