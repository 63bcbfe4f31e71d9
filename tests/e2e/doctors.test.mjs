// Issue #3 in the browser, end to end: an admin adds a hospital; a user applies to practise with
// four uploaded certificates; the admin reviews them side by side and approves; the doctor sets
// weekly hours; a patient books for themself and, as guardian, for their child; another patient
// sees the one-place slot as full; the doctor's day view lists both bookings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAdmin } from './server.mjs';
import {
  DESKTOP,
  PHONE,
  apiCall,
  birthForAge,
  fill,
  idNumber,
  loginViaUi,
  newPage,
  registerViaApi,
  screenshot,
  useServerAndBrowser,
} from './helpers.mjs';
import { makePdf, makePng } from './doctors-files.mjs';

const admin = { phone: '13900000011', password: 'Ihos-admin-pass-3', realName: '赵审核', idNumber: idNumber('19800101', '019') };
const doctor = { phone: '13700001111', password: 'Ihos-e2e-doc-1', realName: '李明华', idNumber: idNumber('19780312', '035') };
const guardian = { phone: '13600003333', password: 'Ihos-e2e-pat-1', realName: '王芳', idNumber: idNumber('19880520', '042') };
const other = { phone: '13600004444', password: 'Ihos-e2e-pat-2', realName: '周强', idNumber: idNumber('19910704', '053') };
const ward = { name: '王小乐', id: idNumber(birthForAge(7), '061') };
const hospital = { name: '北京示例第一医院', licence: 'PDY00001-111010512A1001', region: '110105' };
const LICENCE = '110110000123456';

const env = useServerAndBrowser({ prepare: (work) => createAdmin(work, admin) });

/** China Standard Time date (YYYY-MM-DD) `days` from today. */
function chinaDate(days = 0) {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

/** Fills an Element Plus input (the data-testid lands on the <input> or on its wrapper). */
async function elFill(page, testid, value) {
  const sel = `input[data-testid="${testid}"], textarea[data-testid="${testid}"], [data-testid="${testid}"] input, [data-testid="${testid}"] textarea`;
  const input = page.locator(sel).first();
  await input.fill(String(value));
  await input.blur(); // number inputs take the value on change
}

/** Opens an Element Plus select and picks the option with exactly this text. */
async function elSelect(page, target, text) {
  const select = typeof target === 'string' ? page.getByTestId(target) : target;
  await select.click();
  const option = page.locator('.el-select-dropdown__item:visible').getByText(text, { exact: true });
  await option.click();
  await page.locator('.el-select-dropdown:visible').waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
}

async function token(user) {
  const r = await apiCall(env.server.baseUrl, 'POST', '/auth/login', { body: { phone: user.phone, password: user.password } });
  assert.equal(r.status, 200, r.text);
  return r.json.token;
}

test('apply with certificates → admin approves → hours → patients book → the doctor sees the day', async (t) => {
  const base = env.server.baseUrl;
  await registerViaApi(base, doctor);
  await registerViaApi(base, guardian);
  await registerViaApi(base, other);
  const wardRes = await apiCall(base, 'POST', '/me/dependents', {
    token: await token(guardian),
    body: { real_name: ward.name, id_number: ward.id, relationship: 'parent' },
  });
  assert.equal(wardRes.status, 201, wardRes.text);
  const wardId = wardRes.json.id;

  // 1. The admin adds a hospital running internal medicine and paediatrics online.
  const adminPage = await newPage(env.browser, base, DESKTOP);
  await loginViaUi(adminPage, admin.phone, admin.password);
  await adminPage.getByTestId('staff-layout').waitFor();
  await adminPage.getByTestId('nav-hospitals').click();
  await adminPage.waitForURL('**/staff/hospitals');
  await adminPage.getByTestId('hospital-create').click();
  await elFill(adminPage, 'hospital-name', hospital.name);
  await elFill(adminPage, 'hospital-address', '北京市朝阳区示例路 1 号');
  await elFill(adminPage, 'hospital-region', hospital.region);
  await elFill(adminPage, 'hospital-licence', hospital.licence);
  await adminPage.getByTestId('hd-internal_medicine').click();
  await adminPage.getByTestId('hd-pediatrics').click();
  const [created] = await Promise.all([
    adminPage.waitForResponse((r) => r.url().endsWith('/api/v1/admin/hospitals') && r.request().method() === 'POST'),
    adminPage.getByTestId('hospital-save').click(),
  ]);
  assert.equal(created.status(), 201, await created.text());
  await adminPage.getByTestId('hospital-table').getByText(hospital.name).waitFor();
  await screenshot(adminPage, 'doctors-admin-hospitals-zh');

  // 2. The user applies to practise from the patient home ("apply to practise").
  const docPage = await newPage(env.browser, base, DESKTOP);
  await loginViaUi(docPage, doctor.phone, doctor.password);
  await docPage.getByTestId('patient-home').waitFor();
  await docPage.getByTestId('tab-me').click();
  await docPage.getByTestId('tile-practise').click();
  await docPage.waitForURL('**/practise');
  await docPage.getByTestId('apply-form').waitFor();

  // Submitting an empty form: the page names every missing field and sends nothing.
  let posted = false;
  const watchPost = (r) => {
    if (r.url().endsWith('/practitioner-applications') && r.method() === 'POST') posted = true;
  };
  docPage.on('request', watchPost);
  await docPage.getByTestId('apply-submit').click();
  await docPage.locator('.el-form-item__error').first().waitFor();
  assert.ok((await docPage.locator('.el-form-item__error').count()) >= 8, 'hospital, department, title, scope, licence and the four certificates are asked for');
  assert.equal(posted, false);
  docPage.off('request', watchPost);
  await screenshot(docPage, 'doctors-apply-empty-zh');

  await elSelect(docPage, 'apply-hospital', hospital.name);
  await elSelect(docPage, 'apply-department', '内科');
  await elSelect(docPage, 'apply-title', '主任医师');
  await elFill(docPage, 'apply-scope', '内科专业');
  await elFill(docPage, 'apply-licence', LICENCE);
  await elFill(docPage, 'apply-years', 12);
  await elFill(docPage, 'apply-specialties', '高血压、糖尿病、冠心病');
  await elFill(docPage, 'apply-intro', '从事内科临床工作二十余年，擅长慢病管理。');
  await docPage.locator('[data-testid="apply-free"]').click();
  const files = {
    id_card_upload: { name: 'id-card.png', mimeType: 'image/png', buffer: makePng(200, 126, [60, 120, 200]) },
    licence_upload: { name: '执业证.png', mimeType: 'image/png', buffer: makePng(160, 220, [20, 140, 120]) },
    qualification_upload: { name: 'qualification.png', mimeType: 'image/png', buffer: makePng(220, 160, [190, 80, 60]) },
    title_upload: { name: 'title.pdf', mimeType: 'application/pdf', buffer: makePdf('Chief physician certificate') },
  };
  for (const [field, file] of Object.entries(files)) {
    const [up] = await Promise.all([
      docPage.waitForResponse((r) => r.url().endsWith('/api/v1/files') && r.request().method() === 'POST'),
      docPage.getByTestId(`upload-${field}`).setInputFiles(file),
    ]);
    assert.equal(up.status(), 201, await up.text());
    assert.equal(up.request().headers()['content-type'], file.mimeType, 'the raw body carries the file type');
    await docPage.getByTestId(`cert-${field}`).getByTestId('cert-thumb').waitFor();
  }
  await screenshot(docPage, 'doctors-apply-filled-zh');
  const [applied] = await Promise.all([
    docPage.waitForResponse((r) => r.url().endsWith('/api/v1/practitioner-applications') && r.request().method() === 'POST'),
    docPage.getByTestId('apply-submit').click(),
  ]);
  assert.equal(applied.status(), 201, await applied.text());
  const status = docPage.getByTestId('application').first();
  await status.getByTestId('application-status').filter({ hasText: '审核中' }).waitFor();
  await screenshot(docPage, 'doctors-apply-pending-zh');
  await docPage.getByTestId('lang-en').click();
  await status.getByTestId('application-status').filter({ hasText: 'Under review' }).waitFor();
  await screenshot(docPage, 'doctors-apply-pending-en');
  await docPage.getByTestId('lang-zh').click();

  // 3. The admin reviews the four certificates side by side and approves.
  await adminPage.getByTestId('nav-doctorReview').click();
  await adminPage.waitForURL('**/staff/doctorReview');
  const detail = adminPage.getByTestId('review-detail');
  await detail.waitFor();
  assert.match(await detail.textContent(), new RegExp(doctor.realName));
  await adminPage.getByTestId('review-licence').filter({ hasText: LICENCE }).waitFor();
  await detail.getByTestId('cert-image').nth(2).waitFor();
  assert.equal(await detail.getByTestId('cert-image').count(), 3, 'three certificates are images shown inline');
  await detail.getByTestId('cert-pdf').waitFor();
  await adminPage.waitForFunction(() => [...document.querySelectorAll('[data-testid="cert-image"]')].every((i) => i.complete && i.naturalWidth > 0));
  await screenshot(adminPage, 'doctors-admin-review-zh');
  const [approved] = await Promise.all([
    adminPage.waitForResponse((r) => /\/practitioner-applications\/[^/]+\/approve$/.test(r.url())),
    (async () => {
      await adminPage.getByTestId('review-approve').click();
      // Approving asks for confirmation first.
      const box = adminPage.locator('.el-message-box').filter({ hasText: '确认通过审核' });
      await box.waitFor();
      await box.locator('.el-button--primary').click();
    })(),
  ]);
  assert.equal(approved.status(), 200, await approved.text());
  assert.match(JSON.parse(approved.request().postData()).licence_expires_on, /^\d{4}-\d{2}-\d{2}$/);
  await adminPage.getByText('没有待审核的申请').waitFor();

  // The practitioners list shows the new doctor, active.
  await adminPage.getByTestId('nav-practitioners').click();
  const prow = adminPage.getByTestId('practitioner-table').locator('.el-table__row').filter({ hasText: doctor.realName });
  await prow.getByTestId('practitioner-status').filter({ hasText: '执业中' }).waitFor();
  await screenshot(adminPage, 'doctors-admin-practitioners-zh');

  // 4. The doctor (now with the doctor role) sets weekly hours for tomorrow's weekday:
  //    09:00–10:00 in person, one place, ¥30; 10:00–11:00 text consultation, five places.
  await docPage.goto('/staff/schedule');
  await docPage.getByTestId('staff-layout').waitFor();
  assert.equal(await docPage.getByTestId('staff-layout').getAttribute('data-role'), 'doctor');
  await docPage.getByTestId('schedule-panel').waitFor();
  const rows = docPage.getByTestId('template-table').locator('.el-table__body .el-table__row');
  await docPage.getByTestId('add-period').click();
  await rows.nth(0).waitFor();
  await rows.nth(0).locator('input[type="time"]').nth(0).fill('09:00');
  await rows.nth(0).locator('input[type="time"]').nth(1).fill('10:00');
  await elSelect(docPage, rows.nth(0).getByTestId('period-service'), '门诊');
  await rows.nth(0).locator('[data-testid="period-capacity"] input').fill('1');
  await rows.nth(0).locator('[data-testid="period-price"] input').fill('30');
  await rows.nth(0).locator('[data-testid="period-price"] input').blur();
  await docPage.getByTestId('add-period').click();
  await rows.nth(1).waitFor();
  assert.equal(await rows.nth(1).locator('input[type="time"]').nth(0).inputValue(), '10:00', 'a new period continues the last one');
  await elSelect(docPage, rows.nth(1).getByTestId('period-service'), '图文问诊');
  await rows.nth(1).locator('[data-testid="period-capacity"] input').fill('5');
  await rows.nth(1).locator('[data-testid="period-capacity"] input').blur();
  const [saved] = await Promise.all([
    docPage.waitForResponse((r) => r.url().endsWith('/api/v1/me/schedule/template') && r.request().method() === 'PUT'),
    docPage.getByTestId('save-template').click(),
  ]);
  assert.equal(saved.status(), 200, await saved.text());
  const sent = JSON.parse(saved.request().postData());
  assert.equal(sent.periods.length, 2);
  assert.deepEqual(
    sent.periods.map((p) => [p.start_time, p.end_time, p.service, p.capacity, p.price_fen]),
    [
      ['09:00', '10:00', 'offline', 1, 3000],
      ['10:00', '11:00', 'text', 5, undefined],
    ],
  );
  await docPage.getByTestId('unsaved').waitFor({ state: 'hidden' });
  await screenshot(docPage, 'doctors-schedule-zh');
  await docPage.getByTestId('lang-en').click();
  await docPage.getByText('Weekly hours').waitFor();
  await screenshot(docPage, 'doctors-schedule-en');
  await docPage.getByTestId('lang-zh').click();

  // 5. A patient on a phone: home → book → department → doctor → tomorrow's text slot → confirm.
  const patPage = await newPage(env.browser, base, PHONE);
  await loginViaUi(patPage, guardian.phone, guardian.password);
  await patPage.getByTestId('patient-home').waitFor();
  await patPage.getByTestId('tile-booking').click();
  await patPage.waitForURL('**/departments');
  const dept = patPage.getByTestId('department-internal_medicine');
  await dept.filter({ hasText: '1 位医生' }).waitFor();
  await screenshot(patPage, 'doctors-departments-zh');
  await dept.click();
  await patPage.waitForURL(/\/doctors\?department=internal_medicine/);
  const card = patPage.getByTestId('doctor-card').filter({ hasText: doctor.realName });
  await card.waitFor();
  const cardText = await card.textContent();
  assert.match(cardText, /主任医师/);
  assert.match(cardText, new RegExp(hospital.name));
  assert.match(cardText, /义诊/, 'the free-clinic volunteer badge');
  await card.getByTestId('next-free').filter({ hasText: '最近可约' }).waitFor();
  await screenshot(patPage, 'doctors-list-zh');
  await card.click();
  await patPage.getByTestId('doctor-profile-page').waitFor();
  await patPage.getByTestId('doctor-licence').filter({ hasText: LICENCE }).waitFor();
  const tomorrow = chinaDate(1);
  await patPage.getByTestId(`day-${tomorrow}`).click();
  const textSlot = patPage.getByTestId('slot').filter({ hasText: '图文问诊' });
  await textSlot.filter({ hasText: '10:00' }).waitFor();
  assert.match(await textSlot.textContent(), /剩余 5\/5/);
  await screenshot(patPage, 'doctors-profile-zh');
  await textSlot.click();
  await patPage.getByTestId('book-confirm-page').waitFor();
  await patPage.getByTestId('booking-summary').waitFor();
  await patPage.getByTestId('cutoff-note').filter({ hasText: '2 小时' }).waitFor();
  await screenshot(patPage, 'doctors-confirm-zh');
  const [booked] = await Promise.all([
    patPage.waitForResponse((r) => r.url().endsWith('/api/v1/appointments') && r.request().method() === 'POST'),
    patPage.getByTestId('book-submit').click(),
  ]);
  assert.equal(booked.status(), 201, await booked.text());
  await patPage.waitForURL('**/appointments**');
  const mine = patPage.getByTestId('appointment').filter({ hasText: doctor.realName });
  await mine.getByTestId('queue-number').filter({ hasText: '1 号' }).waitFor();
  assert.match(await mine.getByTestId('appointment-status').textContent(), /待就诊/);
  await screenshot(patPage, 'doctors-my-appointments-zh');

  // 6. The same user books the one-place in-person slot for their child, as guardian.
  await patPage.goto(`/doctors/${JSON.parse(await booked.text()).practitioner.id}`);
  await patPage.getByTestId(`day-${tomorrow}`).click();
  const offline = patPage.getByTestId('slot').filter({ hasText: '门诊' });
  await offline.filter({ hasText: '¥30.00' }).waitFor();
  await offline.click();
  await patPage.getByTestId(`who-${wardId}`).click();
  await patPage.getByTestId('summary-price').filter({ hasText: '¥30.00' }).waitFor();
  await screenshot(patPage, 'doctors-confirm-ward-zh');
  const [wardBooked] = await Promise.all([
    patPage.waitForResponse((r) => r.url().endsWith('/api/v1/appointments') && r.request().method() === 'POST'),
    patPage.getByTestId('book-submit').click(),
  ]);
  assert.equal(wardBooked.status(), 201, await wardBooked.text());
  assert.equal(String(JSON.parse(wardBooked.request().postData()).patient_id), String(wardId));
  await patPage.waitForURL(`**/appointments?**patient=${wardId}**`);
  await patPage.getByTestId('appointment').filter({ hasText: ward.name }).waitFor();
  await screenshot(patPage, 'doctors-ward-appointment-zh');
  await patPage.getByTestId('lang-en').click();
  await patPage.getByTestId('appointment-status').filter({ hasText: 'Booked' }).first().waitFor();
  await screenshot(patPage, 'doctors-ward-appointment-en');
  await patPage.getByTestId('lang-zh').click();

  // 7. Another patient sees the in-person slot as full and cannot choose it.
  const otherPage = await newPage(env.browser, base, PHONE);
  await loginViaUi(otherPage, other.phone, other.password);
  await otherPage.getByTestId('patient-home').waitFor();
  await otherPage.goto(`/doctors?department=internal_medicine`);
  await otherPage.getByTestId('doctor-card').filter({ hasText: doctor.realName }).click();
  await otherPage.getByTestId(`day-${tomorrow}`).click();
  await otherPage.getByTestId('slot').filter({ hasText: '门诊' }).filter({ hasText: '已约满' }).waitFor();
  const fullId = await otherPage.getByTestId('slot').filter({ hasText: '门诊' }).getAttribute('data-slot-id');
  const full = otherPage.locator(`[data-testid="slot"][data-slot-id="${fullId}"]`);
  assert.equal(await full.getAttribute('data-full'), 'true');
  assert.ok(await full.isDisabled(), 'a full slot cannot be chosen');
  assert.match(await otherPage.getByTestId('slot').filter({ hasText: '图文问诊' }).textContent(), /剩余 4\/5/);
  await screenshot(otherPage, 'doctors-profile-full-zh');
  await otherPage.getByTestId('lang-en').click();
  await full.filter({ hasText: 'Full' }).waitFor();
  await screenshot(otherPage, 'doctors-profile-full-en');

  // 8. The doctor's day view for tomorrow lists both bookings in their slots.
  await docPage.getByTestId('nav-day').click();
  await docPage.waitForURL('**/staff/day**');
  await docPage.getByTestId('day-next').click();
  await docPage.getByTestId('day-patient').filter({ hasText: guardian.realName }).waitFor();
  await docPage.getByTestId('day-patient').filter({ hasText: ward.name }).waitFor();
  const offlineSlot = docPage.getByTestId('day-slot').filter({ hasText: '09:00' });
  assert.match(await offlineSlot.textContent(), /已约 1\/1/);
  await screenshot(docPage, 'doctors-day-zh');

  // The doctor cancels the child's visit with a reason; the guardian sees why.
  await offlineSlot.getByTestId('day-cancel').click();
  await docPage.locator('.el-message-box input').fill('临时手术，无法出诊');
  const [cancelled] = await Promise.all([
    docPage.waitForResponse((r) => /\/appointments\/[^/]+\/cancel$/.test(r.url())),
    docPage.locator('.el-message-box__btns .el-button--primary').click(),
  ]);
  assert.equal(cancelled.status(), 200, await cancelled.text());
  await offlineSlot.getByTestId('day-status').filter({ hasText: '已取消' }).waitFor();
  await screenshot(docPage, 'doctors-day-cancelled-zh');

  await patPage.goto(`/appointments?patient=${wardId}`);
  const wardAppt = patPage.getByTestId('appointment').filter({ hasText: ward.name });
  await wardAppt.getByTestId('appointment-status').filter({ hasText: '已取消' }).waitFor();
  assert.match(await wardAppt.getByTestId('cancel-reason').textContent(), /临时手术/);
  await screenshot(patPage, 'doctors-ward-cancelled-zh');

  // 9. The admin suspends the doctor: the guardian's remaining booking is cancelled by the system
  //    with a notification, and the doctor is no longer listed for patients.
  await adminPage.getByTestId('nav-practitioners').click();
  const activeRow = adminPage.getByTestId('practitioner-table').locator('.el-table__row').filter({ hasText: doctor.realName });
  await activeRow.getByTestId('practitioner-suspend').click();
  await adminPage.locator('.el-message-box input').fill('执业证信息待核实');
  const [suspended] = await Promise.all([
    adminPage.waitForResponse((r) => /\/admin\/practitioners\/[^/]+\/suspend$/.test(r.url())),
    adminPage.locator('.el-message-box__btns .el-button--primary').click(),
  ]);
  assert.equal(suspended.status(), 200, await suspended.text());
  await activeRow.getByTestId('practitioner-status').filter({ hasText: '已停诊' }).waitFor();
  await screenshot(adminPage, 'doctors-admin-suspended-zh');

  await patPage.goto('/appointments');
  const own = patPage.getByTestId('appointment').filter({ hasText: doctor.realName }).first();
  await own.getByTestId('appointment-status').filter({ hasText: '已取消' }).waitFor();
  const why = await own.getByTestId('cancel-reason').textContent();
  assert.match(why, /系统已取消/);
  assert.ok(!why.includes('practitioner_suspended'), `the system's reason is shown in words: ${why}`);
  await screenshot(patPage, 'doctors-suspended-appointment-zh');
  await patPage.locator('.van-tab').filter({ hasText: '通知' }).click();
  await patPage.getByTestId('notification').first().waitFor();
  assert.ok((await patPage.getByTestId('notification').count()) >= 2, 'the doctor’s and the system’s cancellations are notified');
  await screenshot(patPage, 'doctors-notifications-zh');
  await patPage.goto('/doctors?department=internal_medicine');
  await patPage.getByTestId('doctor-empty').waitFor();

  for (const p of [adminPage, docPage, patPage, otherPage]) await p.context().close();
});

test('a rejected application shows the reason to the applicant', async (t) => {
  const base = env.server.baseUrl;
  const applicant = { phone: '13700002222', password: 'Ihos-e2e-doc-2', realName: '陈立新', idNumber: idNumber('19820817', '074') };
  await registerViaApi(base, applicant);
  const adminToken = await token(admin);
  const hospitals = await apiCall(base, 'GET', '/hospitals');
  assert.equal(hospitals.status, 200);
  const h = hospitals.json.items.find((x) => x.name === hospital.name);
  assert.ok(h, 'the hospital of the first test');

  // Upload through the API (as the browser does: raw body with its Content-Type), apply in the UI.
  const page = await newPage(env.browser, base, DESKTOP);
  await loginViaUi(page, applicant.phone, applicant.password);
  await page.getByTestId('patient-home').waitFor();
  await page.goto('/practise');
  await page.getByTestId('apply-form').waitFor();
  await elSelect(page, 'apply-hospital', hospital.name);
  await elSelect(page, 'apply-department', '儿科');
  await elSelect(page, 'apply-title', '主治医师');
  await elFill(page, 'apply-scope', '儿科专业');
  await elFill(page, 'apply-licence', '110110000654321');
  await elFill(page, 'apply-years', 2);
  for (const field of ['id_card_upload', 'licence_upload', 'qualification_upload', 'title_upload']) {
    await page.getByTestId(`upload-${field}`).setInputFiles({ name: `${field}.png`, mimeType: 'image/png', buffer: makePng(120, 80, [120, 90, 200]) });
    await page.getByTestId(`cert-${field}`).getByTestId('cert-thumb').waitFor();
  }
  // Two years of practice: the page says at least three, before asking the server.
  await page.getByTestId('apply-submit').click();
  await page.locator('.el-form-item__error').filter({ hasText: '3–70 年' }).waitFor();
  await elFill(page, 'apply-years', 5);
  const [applied] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/practitioner-applications') && r.request().method() === 'POST'),
    page.getByTestId('apply-submit').click(),
  ]);
  assert.equal(applied.status(), 201, await applied.text());
  const appId = JSON.parse(await applied.text()).id;

  const rejected = await apiCall(base, 'POST', `/admin/practitioner-applications/${appId}/reject`, {
    token: adminToken,
    body: { reason: '资格证照片不清晰，请重新上传' },
  });
  assert.equal(rejected.status, 200, rejected.text);

  await page.reload();
  const app = page.getByTestId('application').first();
  await app.getByTestId('application-status').filter({ hasText: '未通过' }).waitFor();
  assert.match(await app.getByTestId('review-reason').textContent(), /资格证照片不清晰/);
  await page.getByTestId('apply-again').waitFor();
  await screenshot(page, 'doctors-apply-rejected-zh');
  await page.context().close();
});
