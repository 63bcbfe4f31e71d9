// Everyday pages a user meets on the seeded demo (seed-demo): the ward's chip says what the child is
// to the guardian; the doctor's workstation opens the list that holds the open chat after a reload,
// and its queue card shows a department question's kind and price; the authority's empty appeals
// table speaks the UI's language; a department nobody can take a question in offers neither
// 立即问诊 nor 义诊提问 but a related department and booking; the self-check points from a
// department without doctors to a related one that has them, or says none can and when the
// earliest free time is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEMO_PASSWORD,
  apiCall,
  expectAccessible,
  idNumber,
  loginToken,
  loginViaUi,
  newPage,
  registerViaApi,
  screenshot,
  seedDemo,
  useServerAndBrowser,
} from './helpers.mjs';

const env = useServerAndBrowser({ prepare: seedDemo });
const STAFF = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
const GUARDIAN = '13800000002'; // 演示·王芳, guardian of 演示·王小明 (relationship: parent)
const DOCTOR = '13800000003'; // 演示·李医生, 内分泌科, in a consultation with 演示·王芳
const AUTHORITY = '13800000021'; // 演示·疾控中心
const ADMIN = '13800000001';
const yuan = (fen) => (fen / 100).toFixed(2);

async function signIn(page, phone, password = DEMO_PASSWORD) {
  await loginViaUi(page, phone, password);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}

test('the ward chip says what the child is to me (子女 / child), never 父母', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await signIn(page, GUARDIAN);
  await page.goto('/tests');
  const chip = page.getByTestId('who').getByRole('radio', { name: /演示·王小明/ });
  await chip.waitFor();
  const zh = (await chip.textContent()).replace(/\s+/g, ' ').trim();
  assert.match(zh, /演示·王小明 子女/);
  assert.doesNotMatch(zh, /父母/);
  await page.getByTestId('lang-en').click();
  await page.getByTestId('who').getByRole('radio', { name: /演示·王小明 child/ }).waitFor();
  await page.getByTestId('lang-zh').click();
  await page.context().close();
});

test('after a reload the workstation opens 进行中 with the open chat; a department question shows 图文问诊 and its price', async () => {
  const base = env.server.baseUrl;
  const docToken = await loginToken(base, DOCTOR);
  const ws = await apiCall(base, 'GET', '/workstation', { token: docToken });
  assert.equal(ws.status, 200, ws.text);
  assert.equal(ws.json.waiting.length, 0, 'the demo has no one waiting');
  const open = ws.json.active[0];
  assert.ok(open, 'the demo consultation with 演示·王芳 is in progress');

  const page = await newPage(env.browser, base, STAFF);
  await signIn(page, DOCTOR);
  await page.goto(`/staff/queue?c=${open.id}`);
  const activeTab = page.locator('.queue__tabs .el-tabs__item.is-active');
  await page.getByTestId('desk-patient').filter({ hasText: '演示·王芳' }).waitFor();
  for (let i = 0; i < 2; i++) {
    // Opened (and reopened after a reload) on the list that holds the chat, not the empty 候诊.
    await activeTab.filter({ hasText: '进行中' }).waitFor();
    await page.getByTestId('ws-active-item').filter({ hasText: '演示·王芳' }).waitFor();
    if (i === 0) await page.reload();
  }

  // A patient asks 内分泌科 now (no doctor chosen): the doctor's card says what it is and what it
  // costs at the doctor's hospital — not 义诊.
  const patient = { phone: '13600001313', password: 'Ihos-e2e-everyday-1', realName: '赵一诺', idNumber: idNumber('19920303', '131') };
  await registerViaApi(base, patient);
  const pt = await loginToken(base, patient.phone, patient.password);
  const started = await apiCall(base, 'POST', '/consultations', {
    token: pt,
    body: { kind: 'text', department_code: 'endocrinology', intake: { chief_complaint: '口渴多尿两周', duration: '2周', symptoms: [], history: '', allergies: '', medications: '', is_follow_up: false } },
  });
  assert.equal(started.status, 201, started.text);
  const doctors = await apiCall(base, 'GET', '/doctors?department=endocrinology');
  const hospitals = await apiCall(base, 'GET', '/hospitals');
  const hospital = hospitals.json.items.find((h) => h.id === doctors.json.items.find((d) => d.name === '演示·李医生').hospital_id);
  assert.ok(hospital.general_price_fen > 0);

  // A reload with the chat still open: its list (进行中) again, though someone now waits.
  await page.reload();
  await page.getByTestId('desk-patient').filter({ hasText: '演示·王芳' }).waitFor();
  await activeTab.filter({ hasText: '进行中' }).waitFor();
  await page.getByTestId('ws-waiting-badge').filter({ hasText: '1' }).waitFor();
  await page.locator('.queue__tabs .el-tabs__item').filter({ hasText: '候诊' }).click();
  const card = page.getByTestId('ws-waiting-item').filter({ hasText: '赵一诺' });
  await card.waitFor();
  assert.equal((await card.getByTestId('ws-kind').textContent()).trim(), `图文问诊 · ¥${yuan(hospital.general_price_fen)}`);
  await card.getByTestId('ws-dept-queue').waitFor();
  assert.doesNotMatch(await card.textContent(), /义诊/);
  await screenshot(page, 'everyday-workstation-dept-card');
  await expectAccessible(page, 'workstation with a department question');

  // Without an open chat, the waiting patient comes first.
  await page.goto('/staff/queue');
  await activeTab.filter({ hasText: '候诊' }).waitFor();
  await page.context().close();
});

test('the empty appeals table says 暂无数据 in the Chinese UI and No Data in English', async () => {
  const page = await newPage(env.browser, env.server.baseUrl, STAFF);
  await signIn(page, AUTHORITY);
  await page.goto('/healthcode/desk');
  await page.getByRole('tab', { name: '申诉' }).click();
  const empty = page.getByTestId('desk-appeals').locator('.el-table__empty-text');
  await empty.filter({ hasText: '暂无数据' }).waitFor();
  assert.doesNotMatch(await page.getByTestId('desk-appeals').textContent(), /No Data/);
  await page.getByTestId('lang-en').click();
  await empty.filter({ hasText: 'No Data' }).waitFor();
  await page.getByTestId('lang-zh').click();
  await page.context().close();
});

test('a department no doctor can take offers neither 立即问诊 nor 义诊提问, but a related department and booking', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await signIn(page, GUARDIAN);

  // 眼科 has no doctor in the demo: no ask buttons, the reason, 全科 (which has one) and booking.
  await page.goto('/doctors?department=ophthalmology');
  const none = page.getByTestId('ask-none');
  await none.waitFor();
  assert.match(await none.textContent(), /本科室现在没有可接诊的医生/);
  assert.equal(await page.getByTestId('ask-now').count(), 0);
  assert.equal(await page.getByTestId('ask-free').count(), 0);
  await page.getByTestId('doctor-empty').waitFor();
  assert.match(await page.getByTestId('ask-related').textContent(), /去全科问诊（1 位医生可接诊）/);
  assert.equal(await page.getByTestId('ask-book-other').getAttribute('href'), '/departments');
  await screenshot(page, 'everyday-dept-no-doctor');
  await expectAccessible(page, 'a department without doctors');
  await page.getByTestId('ask-related').click();
  await page.waitForURL('**/doctors?department=general_practice');
  // 全科 has a volunteer: both ways to ask.
  await page.getByTestId('ask-now').waitFor();
  await page.getByTestId('ask-free').waitFor();

  // 皮肤科 has a doctor but no volunteer: 立即问诊 only, and why not 义诊.
  await page.goto('/doctors?department=dermatology');
  await page.getByTestId('ask-now').waitFor();
  await page.getByTestId('ask-free-none').filter({ hasText: '本科室暂无义诊医生' }).waitFor();
  assert.equal(await page.getByTestId('ask-free').count(), 0);

  await page.getByTestId('lang-en').click();
  await page.goto('/doctors?department=ophthalmology');
  await page.getByTestId('ask-related').filter({ hasText: 'Ask General Practice (one doctor can see you)' }).waitFor();
  await page.getByTestId('lang-zh').click();
  await page.context().close();
});

/** Answers the self-check with `departments` (the model's suggestion is not what is under test here). */
async function fixTriage(page, departments) {
  await page.route('**/api/v1/triage', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        urgency: 'routine',
        red_flags: [],
        emergency_number: null,
        hotline: null,
        departments: departments.map(([code, zh, en], i) => ({ code, name_zh: zh, name_en: en, confidence: 0.6 - i * 0.2, evidence: [] })),
        model_available: true,
        low_confidence: false,
        fallback_department: { code: 'general_practice', name_zh: '全科', name_en: 'General Practice' },
        rules_version: 'test',
      }),
    }),
  );
}

test('self-check: a suggested department without doctors points to a related one that has them, or says none can and when the earliest time is', async () => {
  const base = env.server.baseUrl;
  const page = await newPage(env.browser, base);
  // The suggestion is fixed; the doctors, the related departments and the page are the real ones.
  await fixTriage(page, [
    ['hepatology', '肝病科', 'Hepatology'],
    ['ophthalmology', '眼科', 'Ophthalmology'],
  ]);
  await page.goto('/self-check');
  await page.getByTestId('triage-text').locator('textarea').fill('转氨酶升高，眼睛发黄');
  await page.getByTestId('triage-submit').click();

  // Neither has a doctor: the summary says so and names the related department that has one.
  const summary = page.getByTestId('triage-none-available');
  await summary.waitFor();
  assert.match(await summary.textContent(), /这些科室现在都没有可接诊的医生/);
  assert.equal(await summary.getByTestId('triage-none-related').getAttribute('href'), '/doctors?department=general_practice');
  for (const code of ['hepatology', 'ophthalmology']) {
    const card = page.locator(`[data-testid="triage-dept"][data-code="${code}"]`);
    await card.getByTestId('triage-no-doctor').waitFor();
    const related = card.locator('[data-testid="triage-related"][data-code="general_practice"]');
    await related.waitFor();
    assert.match(await related.textContent(), /相关科室「全科」现在有医生可以接诊/);
    // Its doctor, with when they are next free.
    assert.match(await related.getByTestId('triage-related-doctor').first().textContent(), /演示·吴医生.*(最早|暂无空闲号源)/s);
    assert.equal(await related.getByTestId('triage-related-book').getAttribute('href'), '/doctors?department=general_practice');
  }
  await screenshot(page, 'everyday-selfcheck-related');
  await expectAccessible(page, 'self-check pointing to a related department');

  // When 全科's only doctor stops practising, nothing related can: the page says so and gives the
  // earliest free time anywhere (a doctor of another department), to book.
  const admin = await loginToken(base, ADMIN);
  const gp = (await apiCall(base, 'GET', '/admin/practitioners?limit=100', { token: admin })).json.items.find((p) => p.name === '演示·吴医生');
  assert.ok(gp, 'the demo general practitioner');
  const suspended = await apiCall(base, 'POST', `/admin/practitioners/${gp.id}/suspend`, { token: admin, body: { reason: '演示：测试无医生' } });
  assert.equal(suspended.status, 200, suspended.text);
  try {
    await page.goto('/self-check');
    await page.getByTestId('triage-text').locator('textarea').fill('眼睛发红，看不清');
    await page.getByTestId('triage-submit').click();
    const eye = page.locator('[data-testid="triage-dept"][data-code="ophthalmology"]');
    await eye.getByTestId('triage-related-none').filter({ hasText: '相关科室现在也没有可接诊的医生' }).waitFor();
    const soonest = eye.getByTestId('triage-soonest-anywhere');
    await soonest.waitFor();
    assert.match(await soonest.textContent(), /全平台最早可约：.+（演示·.+，.+）/);
    assert.match(await soonest.locator('a').getAttribute('href'), /^\/doctors\/\d+$/);
    assert.equal(await page.getByTestId('triage-none-related').count(), 0);
    await screenshot(page, 'everyday-selfcheck-none');
  } finally {
    const back = await apiCall(base, 'POST', `/admin/practitioners/${gp.id}/reinstate`, { token: admin, body: { reason: '演示：恢复' } });
    assert.equal(back.status, 200, back.text);
  }
  await page.context().close();
});
