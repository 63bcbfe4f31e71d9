// E-prescriptions in the browser end to end on the demo data (drug catalogue imported
// before seed-demo: the demo formulary, 演示·李医生 and 演示·赵药师 with the signing PIN 246810).
// A new patient records a penicillin allergy on the allergies page; the doctor (1280 px workstation)
// prescribes in the consultation: 阿莫西林 shows the allergy hit live and signing is blocked; 布洛芬
// is signed with the PIN; the pharmacist reviews it (合法性 / 规范性 / 适宜性) and approves with the
// PIN; the doctor sees the answer without reloading; the patient sees it approved with a QR and a
// printable sheet. Then: the pharmacist rejects a second prescription, the doctor writes a new
// version from it, and it is approved. The consultation (a verified follow-up with a record and an
// ICD-10 diagnosis) is prepared through the API; the flows under test go through the pages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot } from './server.mjs';
import { DEMO_PASSWORD, PHONE, apiCall, drugDataDir, idNumber, loginToken, loginViaUi, newPage, registerViaApi, screenshot, seedDemo, useServerAndBrowser, useToken } from './helpers.mjs';
import { makePng } from './doctors-files.mjs';

const DOCTOR = '13800000003'; // 演示·李医生
const PHARMACIST = '13800000004'; // 演示·赵药师
const PIN = '246810';
const WIDE = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
const patient = { phone: '13600002020', password: 'Ihos-e2e-rx-20', realName: '孙丽华', idNumber: idNumber('19790312', '046') };

const env = useServerAndBrowser({
  prepare: async (work) => {
    if (!drugDataDir()) throw new Error('drug data not found: set IHOS_DRUG_DATA or put shared/data beside the repository');
    await seedDemo(work, { icd10: true });
  },
});

const state = { consultationId: '', docToken: '', patToken: '', doc: null, ph: null, pat: null };

/** A verified follow-up consultation with the demo doctor, with a record and an ICD-10 diagnosis. */
async function prepareConsultation(base, { who = patient, doctor = DOCTOR, register = true } = {}) {
  if (register) await registerViaApi(base, who);
  const patToken = await loginToken(base, who.phone, who.password);
  const docToken = await loginToken(base, doctor);
  const me = await apiCall(base, 'GET', '/me/practitioner', { token: docToken });
  assert.equal(me.status, 200, me.text);
  const up = await fetch(`${base}/api/v1/files`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${patToken}`, 'Content-Type': 'image/png', 'X-File-Name': encodeURIComponent('门诊病历.png') },
    body: makePng(200, 140, [230, 236, 245]),
  });
  const uploadText = await up.text();
  assert.equal(up.status, 201, uploadText);
  const upload = JSON.parse(uploadText);
  const started = await apiCall(base, 'POST', '/consultations', {
    token: patToken,
    body: {
      kind: 'text',
      practitioner_id: me.json.id,
      intake: {
        chief_complaint: '咽痛发热两天，伴头痛',
        duration: '2天',
        symptoms: ['咽痛', '发热'],
        history: '无',
        allergies: '青霉素',
        medications: '无',
        is_follow_up: true,
        proof_upload_ids: [upload.id],
      },
    },
  });
  assert.equal(started.status, 201, started.text);
  const id = started.json.id;
  let r = await apiCall(base, 'POST', `/consultations/${id}/accept`, { token: docToken, body: {} });
  assert.equal(r.status, 200, r.text);
  r = await apiCall(base, 'POST', `/consultations/${id}/follow-up`, { token: docToken, body: { decision: 'verified', note: '已核对门诊病历' } });
  assert.equal(r.status, 200, r.text);
  r = await apiCall(base, 'PUT', `/consultations/${id}/record`, {
    token: docToken,
    body: { chief_complaint: '咽痛发热两天', present_illness: '咽痛2天，最高体温38.2℃，无咳嗽气短。青霉素过敏史。', diagnosis_code: 'J02.900', advice: '多饮水，对症退热；加重请线下就诊。' },
  });
  if (r.status !== 200 && r.status !== 201) {
    // The clinical extension code may differ between catalogue versions: fall back to the 3-character category.
    r = await apiCall(base, 'PUT', `/consultations/${id}/record`, {
      token: docToken,
      body: { chief_complaint: '咽痛发热两天', present_illness: '咽痛2天，最高体温38.2℃，无咳嗽气短。青霉素过敏史。', diagnosis_code: 'J02', advice: '多饮水，对症退热；加重请线下就诊。' },
    });
  }
  assert.ok(r.status === 200 || r.status === 201, r.text);
  return { consultationId: String(id), docToken, patToken };
}

/** Opens the drawer and adds a drug found by a query, picking the option that contains `name`. */
async function addDrug(doc, query, name) {
  const search = doc.locator('[data-testid="rx-search"] input, input[data-testid="rx-search"]').first();
  await search.fill(query);
  const opt = doc.locator('.rx-drug-popper [data-testid="rx-drug-option"]').filter({ hasText: name }).first();
  await opt.waitFor();
  await opt.click();
  await doc.locator(`[data-testid="rx-line"][data-drug="${name}"]`).waitFor();
}

async function signWithPin(page) {
  await page.getByTestId('pin-dialog').locator('[data-testid="pin-input"] input, input[data-testid="pin-input"]').first().fill(PIN);
  await page.getByTestId('pin-submit').click();
}

async function pharmacistReview(ph, { approve, reason }) {
  await ph.goto('/staff/review');
  await ph.getByTestId('rx-queue-table').waitFor();
  await ph.getByTestId('rx-open').first().click();
  await ph.getByTestId('rx-review').waitFor();
  await ph.getByTestId('rv-form').waitFor();
  for (const g of ['legality', 'normativity', 'suitability']) await ph.getByTestId(`rv-${g}-${approve ? 'pass' : g === 'suitability' ? 'fail' : 'pass'}`).click();
  if (reason) await ph.locator('[data-testid="rv-reason"] textarea, textarea[data-testid="rv-reason"]').first().fill(reason);
  if (approve) {
    await ph.getByTestId('rv-approve').click();
    await signWithPin(ph);
  } else {
    await ph.getByTestId('rv-reject').click();
  }
  await ph.getByTestId('rx-queue').waitFor();
}

/** Runs a test body; on failure saves a screenshot of every open page (test-results/rx-fail-*.png). */
async function withShots(name, body) {
  try {
    await body();
  } catch (e) {
    for (const k of ['doc', 'ph', 'pat']) if (state[k]) await state[k].screenshot({ path: path.join(repoRoot, 'test-results', `rx-fail-${name}-${k}.png`), fullPage: true }).catch(() => {});
    throw e;
  }
}

test('doctor prescribes (allergy hit live, blocked) → signs with PIN → pharmacist approves → patient sees the QR', () => withShots('approve', async () => {
  const base = env.server.baseUrl;
  Object.assign(state, await prepareConsultation(base));

  // The patient records a penicillin allergy (drug class) on the allergies page.
  const pat = await newPage(env.browser, base, PHONE);
  state.pat = pat;
  await loginViaUi(pat, patient.phone, patient.password);
  await pat.getByTestId('patient-home').waitFor();
  await pat.goto('/allergies');
  await pat.getByTestId('allergies-page').waitFor();
  await pat.getByTestId('allergy-class-penicillins').click();
  await pat.locator('[data-testid="allergy-reaction"] input, input[name="reaction"]').first().fill('皮疹、瘙痒');
  await pat.getByTestId('allergy-save').click();
  await pat.getByTestId('allergy-item').filter({ hasText: '青霉素类' }).waitFor();
  await screenshot(pat, 'rx-patient-allergies-zh');

  // The doctor opens the consultation in the workstation, the prescription tab, and the editor.
  const doc = await newPage(env.browser, base, WIDE);
  state.doc = doc;
  await loginViaUi(doc, DOCTOR, DEMO_PASSWORD);
  await doc.getByTestId('staff-layout').waitFor();
  await doc.goto(`/staff/queue?c=${state.consultationId}`);
  await doc.getByTestId('desk-status').getByText('问诊中').waitFor();
  await doc.getByTestId('tab-rx').click();
  await doc.getByTestId('doctor-rx').waitFor();
  await doc.getByTestId('rx-new').click();
  await doc.getByTestId('rx-drawer').waitFor();

  // 阿莫西林 (pinyin initials amxl) for a penicillin-allergic patient: the allergy hit shows live,
  // in red, naming the drug, and signing is blocked.
  await addDrug(doc, 'amxl', '阿莫西林');
  const allergyHit = doc.locator('[data-testid="rx-line"][data-drug="阿莫西林"] [data-testid="rx-hit"][data-code="rx_allergy"]');
  await allergyHit.waitFor();
  assert.match(await allergyHit.textContent(), /阿莫西林/);
  assert.equal(await allergyHit.getAttribute('data-blocking'), '1');
  await doc.locator('[data-testid="rx-check-state"][data-can-sign="0"]').waitFor();
  assert.equal(await doc.getByTestId('rx-sign').isDisabled(), true);
  await screenshot(doc, 'rx-doctor-allergy-blocked-zh');

  // Remove it. 辛伐他汀 with 氟康唑: a high-priority interaction blocks until a reason is recorded.
  await doc.locator('[data-testid="rx-line"][data-drug="阿莫西林"] [data-testid="rx-remove"]').click();
  await addDrug(doc, 'xftt', '辛伐他汀');
  await addDrug(doc, 'fkz', '氟康唑');
  const interaction = doc.locator('[data-testid="rx-hit"][data-code="rx_interaction"]');
  await interaction.waitFor();
  assert.match(await interaction.textContent(), /氟康唑|辛伐他汀/);
  await doc.locator('[data-testid="rx-check-state"][data-can-sign="0"]').waitFor();
  await interaction.locator('[data-testid="rx-override"] input, input[data-testid="rx-override"]').first().fill('已告知患者，停用期间监测肌痛');
  await doc.locator('[data-testid="rx-hit"][data-code="rx_interaction"][data-blocking="0"]').waitFor();
  await doc.locator('[data-testid="rx-check-state"][data-can-sign="1"]').waitFor();
  await screenshot(doc, 'rx-doctor-interaction-override-zh');
  for (const name of ['辛伐他汀', '氟康唑']) await doc.locator(`[data-testid="rx-line"][data-drug="${name}"] [data-testid="rx-remove"]`).click();
  // 布洛芬 by pinyin initials (blf) can be signed.
  await addDrug(doc, 'blf', '布洛芬');
  await doc.locator('[data-testid="rx-check-state"][data-can-sign="1"]').waitFor();
  await screenshot(doc, 'rx-doctor-editor-zh');
  await doc.getByTestId('rx-sign').click();
  await doc.getByTestId('pin-dialog').waitFor();
  // A wrong PIN is refused with the reason; the right one signs.
  await doc.getByTestId('pin-dialog').locator('input').first().fill('111111');
  await doc.getByTestId('pin-submit').click();
  await doc.getByTestId('pin-error').getByText('签名密码不正确').waitFor();
  await signWithPin(doc);
  const item = doc.locator('[data-testid="doctor-rx-item"]').first();
  await item.locator('[data-testid="doctor-rx-status"]').getByText('待审核').waitFor();
  await screenshot(doc, 'rx-doctor-pending-zh');

  // The pharmacist: the queue (waiting time), the review page side by side, approve with the PIN.
  const ph = await newPage(env.browser, base, WIDE);
  state.ph = ph;
  await loginViaUi(ph, PHARMACIST, DEMO_PASSWORD);
  await ph.getByTestId('staff-layout').waitFor();
  await ph.getByTestId('nav-review').click();
  await ph.getByTestId('rx-queue-table').waitFor();
  assert.match(await ph.getByTestId('rx-waited').first().textContent(), /秒|分钟/);
  await screenshot(ph, 'rx-pharmacist-queue-zh');
  await ph.getByTestId('rx-open').first().click();
  await ph.getByTestId('rx-review').waitFor();
  await ph.getByTestId('rv-allergies').getByText(/青霉素类/).waitFor();
  await ph.getByTestId('rv-diagnosis').getByText(/J02/).waitFor();
  await ph.getByTestId('rx-sheet').getByText(/布洛芬/).first().waitFor();
  // Approving without the three groups passed is refused on the page.
  await ph.getByTestId('rv-approve').click();
  await ph.getByTestId('rv-error').getByText('三项均通过才能审核通过').waitFor();
  for (const g of ['legality', 'normativity', 'suitability']) await ph.getByTestId(`rv-${g}-pass`).click();
  await screenshot(ph, 'rx-pharmacist-review-zh');
  await ph.getByTestId('rv-approve').click();
  await signWithPin(ph);
  await ph.getByTestId('rx-queue').waitFor();
  await ph.getByTestId('rx-queue-empty').waitFor();

  // The doctor sees the answer without reloading.
  await item.locator('[data-testid="doctor-rx-status"]').getByText('审核通过').waitFor({ timeout: 15_000 });

  // The patient: the consultation lists its prescription with the status…
  await pat.goto(`/consult/${state.consultationId}`);
  await pat.locator('[data-testid="consultation-rx-item"][data-status="approved"]').waitFor();
  await screenshot(pat, 'rx-patient-consultation-zh');
  // …and my prescriptions → approved → the QR with an accessible name, and the printable sheet.
  await pat.goto('/prescriptions');
  const row = pat.locator('[data-testid="rx-item"][data-status="approved"]').first();
  await row.waitFor();
  await screenshot(pat, 'rx-patient-list-zh');
  await row.click();
  await pat.locator('[data-testid="prescription-page"][data-status="approved"]').waitFor();
  const qr = pat.getByRole('img', { name: '处方二维码' });
  await qr.waitFor();
  assert.equal(await qr.locator('svg').count(), 1);
  await screenshot(pat, 'rx-patient-detail-zh');
  await pat.getByTestId('rx-print-link').click();
  await pat.getByTestId('rx-print-page').waitFor();
  assert.equal(await pat.getByTestId('rx-sheet').getAttribute('data-category'), 'ordinary');
  await screenshot(pat, 'rx-patient-print-zh');
  // The same sheet at desktop width (what is printed).
  const print = await newPage(env.browser, base, WIDE);
  await useToken(print, base, state.patToken);
  await print.goto(pat.url());
  await print.getByTestId('rx-sheet').waitFor();
  await screenshot(print, 'rx-patient-print-desktop-zh');
  await print.emulateMedia({ media: 'print' });
  const pdf = await print.pdf({ preferCSSPageSize: true });
  assert.ok(pdf.length > 1000);
  await print.close();
}));

test('pharmacist rejects → doctor writes a new version from it → approved', () => withShots('reject', async () => {
  const base = env.server.baseUrl;
  const { doc, ph, pat } = state;
  assert.ok(doc && ph && pat, 'the first test ran');

  // A second prescription: 氯雷他定 (lltd).
  await doc.getByTestId('rx-new').click();
  await doc.getByTestId('rx-drawer').waitFor();
  await addDrug(doc, 'lltd', '氯雷他定');
  await doc.locator('[data-testid="rx-check-state"][data-can-sign="1"]').waitFor();
  await doc.getByTestId('rx-sign').click();
  await signWithPin(doc);
  const first = doc.locator('[data-testid="doctor-rx-item"][data-status="pending_review"]').first();
  await first.waitFor();
  const rejectedId = await first.getAttribute('data-id');

  // The pharmacist rejects it with a reason.
  await pharmacistReview(ph, { approve: false, reason: '疗程过短：氯雷他定建议连用5天后复诊，请修改天数。' });

  // The doctor sees the rejection and its reason live, and writes a new version prefilled from it.
  const rejected = doc.locator(`[data-testid="doctor-rx-item"][data-id="${rejectedId}"]`);
  await rejected.locator('[data-testid="doctor-rx-status"]').getByText('已驳回').waitFor({ timeout: 15_000 });
  await rejected.getByTestId('doctor-rx-reject').getByText(/疗程过短/).waitFor();
  await screenshot(doc, 'rx-doctor-rejected-zh');
  await rejected.getByTestId('rx-new-version').click();
  await doc.getByTestId('rx-drawer').waitFor();
  await doc.getByTestId('rx-prev-reason').getByText(/疗程过短/).waitFor();
  await doc.locator('[data-testid="rx-line"][data-drug="氯雷他定"]').waitFor();
  // As the pharmacist asks: 5 days instead of 3 (布洛芬 would now duplicate the approved prescription).
  const days = doc.locator('[data-testid="rx-line"][data-drug="氯雷他定"]').locator('[data-testid="rx-days"] input, input[data-testid="rx-days"]').first();
  await days.fill('5');
  await days.press('Tab');
  // The check of the edited draft (not the one before the edit) allows signing.
  await doc.locator('[data-testid="rx-check-state"][data-checking="0"][data-can-sign="1"]').waitFor();
  await screenshot(doc, 'rx-doctor-new-version-zh');
  await doc.getByTestId('rx-sign').click();
  await signWithPin(doc);
  await doc.getByTestId('rx-drawer').waitFor({ state: 'hidden' });
  await doc.locator('[data-testid="doctor-rx-item"][data-status="pending_review"]').waitFor();
  const versions = await apiCall(base, 'GET', `/consultations/${state.consultationId}/prescriptions`, { token: state.docToken });
  assert.equal(versions.status, 200, versions.text);
  const newest = versions.json.items.find((p) => String(p.previous_id) === rejectedId);
  assert.ok(newest, 'the new version points to the rejected one');
  assert.equal(newest.items[0].days, 5);
  assert.equal(newest.status, 'pending_review');

  // Approved this time; the doctor sees it.
  await pharmacistReview(ph, { approve: true });
  await doc.locator(`[data-testid="doctor-rx-item"][data-id="${newest.id}"] [data-testid="doctor-rx-status"]`).getByText('审核通过').waitFor({ timeout: 15_000 });

  // The pharmacist's own page: two approved and one rejected.
  await ph.getByTestId('nav-reviewHistory').click();
  await ph.getByTestId('rx-stats').waitFor();
  assert.equal((await ph.getByTestId('stat-reviewed').textContent()).trim(), '3');
  assert.match(await ph.getByTestId('stat-intervention').textContent(), /33\.3%/);
  await screenshot(ph, 'rx-pharmacist-stats-zh');

  // The patient's list shows every version with its status.
  await pat.goto('/prescriptions');
  await pat.locator('[data-testid="rx-item"][data-status="rejected"]').waitFor();
  assert.equal(await pat.locator('[data-testid="rx-item"][data-status="approved"]').count(), 2);

  // English: the patient's detail page and the phone width of the review page.
  await pat.evaluate(() => localStorage.setItem('ihos.locale', 'en'));
  await pat.goto(`/prescriptions/${newest.id}`);
  await pat.getByRole('img', { name: /Prescription QR code|处方二维码/ }).waitFor();
  await screenshot(pat, 'rx-patient-detail-en');
  // English on the doctor's editor (a live hit) and on the pharmacist's review page.
  await doc.evaluate(() => localStorage.setItem('ihos.locale', 'en'));
  await doc.reload();
  await doc.getByTestId('tab-rx').click();
  await doc.getByTestId('rx-new').click();
  await addDrug(doc, 'amxl', '阿莫西林');
  await doc.locator('[data-testid="rx-hit"][data-code="rx_allergy"]').getByText(/allergic/i).waitFor();
  await screenshot(doc, 'rx-doctor-editor-en');
  await doc.keyboard.press('Escape');
  await ph.evaluate(() => localStorage.setItem('ihos.locale', 'en'));
  await ph.goto(`/staff/review?rx=${newest.id}`);
  await ph.getByTestId('rx-review').getByText('Approved').first().waitFor();
  await screenshot(ph, 'rx-pharmacist-review-en');
  const phPhone = await newPage(env.browser, base, PHONE);
  await useToken(phPhone, base, await loginToken(base, PHARMACIST));
  await phPhone.goto('/staff/review');
  await phPhone.getByTestId('rx-queue').waitFor();
  await screenshot(phPhone, 'rx-pharmacist-queue-phone-zh');
  await phPhone.close();
}));

test('a child\'s prescription is 儿科 on pale green paper; the guardian sees it under the child', () => withShots('pediatric', async () => {
  const base = env.server.baseUrl;
  const { pat } = state;
  assert.ok(pat, 'the first test ran');
  // Set up through the API: the patient's 8-year-old child, a verified follow-up with the demo
  // doctor, a record, a prescription signed with the PIN and approved by the pharmacist.
  const dep = await apiCall(base, 'POST', '/me/dependents', {
    token: state.patToken,
    body: { real_name: '孙小宇', id_number: idNumber(birthYearsAgo(8), '071'), relationship: 'parent' },
  });
  assert.equal(dep.status, 201, dep.text);
  const childId = dep.json.id;
  const me = await apiCall(base, 'GET', '/me/practitioner', { token: state.docToken });
  const up = await fetch(`${base}/api/v1/files`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${state.patToken}`, 'Content-Type': 'image/png' },
    body: makePng(120, 90, [220, 230, 240]),
  });
  const upload = JSON.parse(await up.text());
  const started = await apiCall(base, 'POST', '/consultations', {
    token: state.patToken,
    body: {
      kind: 'text',
      patient_id: childId,
      practitioner_id: me.json.id,
      intake: { chief_complaint: '发热一天，咽痛', duration: '1天', symptoms: ['发热'], history: '无', allergies: '无', medications: '无', is_follow_up: true, proof_upload_ids: [upload.id] },
    },
  });
  assert.equal(started.status, 201, started.text);
  const cid = started.json.id;
  for (const [m, p, body] of [
    ['POST', `/consultations/${cid}/accept`, {}],
    ['POST', `/consultations/${cid}/follow-up`, { decision: 'verified' }],
    ['PUT', `/consultations/${cid}/record`, { chief_complaint: '发热一天', present_illness: '发热1天，最高38.5℃', diagnosis_code: 'J02', advice: '多饮水，对症退热' }],
  ]) {
    const r = await apiCall(base, m, p, { token: state.docToken, body });
    assert.ok(r.status === 200 || r.status === 201, `${p}: ${r.text}`);
  }
  const lines = await apiCall(base, 'GET', '/drugs?q=blf', { token: state.docToken });
  const syrup = lines.json.items.find((f) => f.package_unit === '瓶') ?? lines.json.items[0];
  const signed = await apiCall(base, 'POST', '/prescriptions', {
    token: state.docToken,
    body: { consultation_id: cid, patient_weight_g: 25000, items: [{ formulary_id: syrup.id, single_dose_milli: 200000, route: 'oral', frequency: 'q8h', days: 3 }], pin: PIN },
  });
  assert.equal(signed.status, 201, signed.text);
  assert.equal(signed.json.category, 'pediatric');
  const phToken = await loginToken(base, PHARMACIST);
  const ok = await apiCall(base, 'POST', `/pharmacist/prescriptions/${signed.json.id}/review`, {
    token: phToken,
    body: { outcome: 'approved', legality: 'pass', normativity: 'pass', suitability: 'pass', pin: PIN },
  });
  assert.equal(ok.status, 200, ok.text);

  // The guardian: my prescriptions → the child's tab → the detail on pale green paper.
  await pat.evaluate(() => localStorage.setItem('ihos.locale', 'zh-CN'));
  await pat.goto('/prescriptions');
  await pat.getByTestId('my-prescriptions-page').waitFor();
  await pat.getByRole('tab', { name: '孙小宇' }).click();
  const row = pat.locator('[data-testid="rx-item"][data-status="approved"]').first();
  await row.waitFor();
  await row.click();
  const sheet = pat.getByTestId('rx-sheet');
  await sheet.waitFor();
  assert.equal(await sheet.getAttribute('data-category'), 'pediatric');
  assert.equal(await pat.getByTestId('rx-category').textContent(), '儿科处方');
  const bg = await sheet.evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(bg, 'rgb(233, 247, 233)', 'pale green paper');
  await screenshot(pat, 'rx-patient-detail-pediatric-zh');
  await pat.getByTestId('rx-print-link').click();
  await pat.getByTestId('rx-print-page').waitFor();
  await screenshot(pat, 'rx-patient-print-pediatric-zh');
}));

test('a doctor without a signing PIN sets one in the PIN dialog, then signs', () => withShots('firstpin', async () => {
  const base = env.server.baseUrl;
  const DERMATOLOGIST = '13800000009'; // 演示·钱医生 (seed-demo): no signing key
  const { consultationId } = await prepareConsultation(base, { doctor: DERMATOLOGIST, register: false });
  const doc = await newPage(env.browser, base, WIDE);
  state.doc = doc;
  await loginViaUi(doc, DERMATOLOGIST, DEMO_PASSWORD);
  await doc.getByTestId('staff-layout').waitFor();
  await doc.goto(`/staff/queue?c=${consultationId}`);
  await doc.getByTestId('tab-rx').click();
  await doc.getByTestId('rx-new').click();
  // (氯雷他定 and 布洛芬 would duplicate the patient's approved prescriptions.)
  await addDrug(doc, 'amlz', '奥美拉唑');
  await doc.locator('[data-testid="rx-check-state"][data-can-sign="1"]').waitFor();
  await doc.getByTestId('rx-sign').click();
  await doc.getByTestId('pin-input').locator('input').or(doc.locator('input[data-testid="pin-input"]')).first().fill('13572468');
  await doc.getByTestId('pin-submit').click();
  // No key yet: the dialog asks to set a PIN (typed twice).
  await doc.getByText('首次开具处方需先设置签名密码。').waitFor();
  await screenshot(doc, 'rx-doctor-set-pin-zh');
  const dialog = doc.getByTestId('pin-dialog');
  await dialog.locator('[data-testid="pin-input"] input, input[data-testid="pin-input"]').first().fill('13572468');
  await dialog.locator('[data-testid="pin-again"] input, input[data-testid="pin-again"]').first().fill('13572468');
  await doc.getByTestId('pin-submit').click();
  await doc.getByText('首次开具处方需先设置签名密码。').waitFor({ state: 'hidden' });
  await dialog.locator('[data-testid="pin-input"] input, input[data-testid="pin-input"]').first().fill('13572468');
  await doc.getByTestId('pin-submit').click();
  await doc.locator('[data-testid="doctor-rx-item"][data-status="pending_review"]').waitFor();
  await doc.close();
}));

/** YYYYMMDD of the birthday `years` ago minus 40 days. */
function birthYearsAgo(years) {
  const d = new Date();
  d.setFullYear(d.getFullYear() - years);
  d.setDate(d.getDate() - 40);
  return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
}
