// Issue #4, phone consultation (电话问诊) in the browser: a patient (phone) asks a doctor for a
// phone consultation; the doctor (1280 px workstation) accepts, opens "call back" and sees the
// patient's number (only the treating doctor may; the reveal is in the patient's access log),
// records a call that did not get through and then one that did, with a note; both calls appear
// as call cards in the chat on both sides, in Chinese and, after switching, in English.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAccessible,
  DEMO_PASSWORD,
  PHONE,
  apiCall,
  idNumber,
  loginToken,
  loginViaUi,
  newPage,
  registerViaApi,
  screenshot,
  seedDemo,
  useServerAndBrowser,
} from './helpers.mjs';

const DOCTOR = '13800000003'; // 演示·李医生 (seed-demo)
const OTHER_DOCTOR = '13800000009'; // 演示·钱医生: not this patient's doctor
const patient = { phone: '13600006666', password: 'Ihos-e2e-phone-1', realName: '赵建国', idNumber: idNumber('19620308', '071') };
const WIDE = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
const NOTE = '已电话说明：硝苯地平每日一次，早晨服用；一周后复测血压';

const env = useServerAndBrowser({ prepare: seedDemo });
const token = (phone, password) => loginToken(env.server.baseUrl, phone, password);

/** An Element Plus input by test id (the id lands on the wrapper or on the native element). */
function field(scope, testId, tag) {
  return scope.locator(`[data-testid="${testId}"] ${tag}, ${tag}[data-testid="${testId}"]`).first();
}

/** Records one call in the open workstation's call-back dialog. */
async function recordCall(doc, { reached, minutes = 0, seconds = 0, note = '' }) {
  await doc.getByTestId('desk-callback').click();
  const dialog = doc.getByTestId('callback-dialog');
  await dialog.getByTestId('callback-phone').waitFor();
  await dialog.getByTestId(reached ? 'call-reached' : 'call-missed').click();
  if (reached) {
    await field(dialog, 'call-minutes', 'input').fill(String(minutes));
    await field(dialog, 'call-seconds', 'input').fill(String(seconds));
  }
  if (note) await field(dialog, 'call-note', 'textarea').fill(note);
  return dialog;
}

test('the doctor calls a phone consultation back, records the calls, and both sides see them in the chat', async () => {
  const base = env.server.baseUrl;
  await registerViaApi(base, patient);
  const docToken = await token(DOCTOR);
  const me = await apiCall(base, 'GET', '/me/practitioner', { token: docToken });
  assert.equal(me.status, 200, me.text);

  // 1. The patient asks this doctor for a phone consultation.
  const pat = await newPage(env.browser, base, PHONE);
  await loginViaUi(pat, patient.phone, patient.password);
  await pat.getByTestId('patient-home').waitFor();
  await pat.goto(`/doctors/${me.json.id}`);
  await pat.getByTestId('start-consultation').click();
  await pat.getByTestId('consult-start-page').waitFor();
  await pat.getByTestId('kind-phone').click();
  await pat.locator('[data-testid="intake-complaint"] textarea').fill('高血压复查，想电话咨询降压药怎么吃');
  await pat.getByTestId('duration-w1').click();
  await pat.getByTestId('followup-no').click();
  await pat.getByTestId('consult-submit').click();
  await pat.waitForURL(/\/consult\/\d+$/);
  const id = pat.url().split('/').pop();
  await pat.getByTestId('waiting-panel').waitFor();

  // 2. The doctor accepts it in the workstation; it is marked as a phone consultation.
  const doc = await newPage(env.browser, base, WIDE);
  await loginViaUi(doc, DOCTOR, DEMO_PASSWORD);
  await doc.getByTestId('staff-layout').waitFor();
  await doc.goto(`/staff/queue?c=${id}`);
  await doc.getByTestId('desk-accept').click();
  await doc.getByTestId('desk-status').getByText('问诊中').waitFor();
  await doc.getByTestId('desk-kind').getByText('电话问诊').waitFor();
  await pat.locator('[data-testid="consultation-page"][data-status="active"]').waitFor({ timeout: 15_000 });

  // 3. "Call back" shows the patient's number in full (to this doctor only).
  let dialog = await recordCall(doc, { reached: false, note: '无人接听' });
  assert.equal(await dialog.getByTestId('callback-phone').textContent(), patient.phone);
  assert.equal(await dialog.getByTestId('callback-phone').getAttribute('href'), `tel:${patient.phone}`);
  await dialog.getByText('赵建国 · 患者本人').waitFor();
  await dialog.getByTestId('call-submit').click();
  await dialog.waitFor({ state: 'hidden' });
  const missed = doc.getByTestId('chat-call').filter({ hasText: '无人接听' });
  await missed.getByText('未接通').waitFor();

  // The second try gets through: 3 min 5 s, with a note for the patient.
  dialog = await recordCall(doc, { reached: true, minutes: 3, seconds: 5, note: NOTE });
  await screenshot(doc, 'consult-phone-doctor-callback-dialog-zh');
  await expectAccessible(doc, 'consult-phone-doctor-callback-dialog-zh'); // issue 19: axe on every page shown
  await dialog.getByTestId('call-submit').click();
  await dialog.waitFor({ state: 'hidden' });
  const talked = doc.getByTestId('chat-call').filter({ hasText: NOTE });
  assert.equal(await talked.getByTestId('chat-call-outcome').textContent(), '通话 3分05秒');
  await screenshot(doc, 'consult-phone-doctor-chat-zh');
  await expectAccessible(doc, 'consult-phone-doctor-chat-zh'); // issue 19: axe on every page shown

  // 4. The patient sees both calls in the chat, without reloading.
  const patCall = pat.getByTestId('chat-call').filter({ hasText: NOTE });
  await patCall.waitFor({ timeout: 15_000 });
  assert.equal(await patCall.getByTestId('chat-call-outcome').textContent(), '通话 3分05秒');
  assert.match(await patCall.textContent(), /医生电话回拨/);
  const patMissed = pat.getByTestId('chat-call').filter({ hasText: '无人接听' });
  assert.equal(await patMissed.getByTestId('chat-call-outcome').textContent(), '未接通');
  await screenshot(pat, 'consult-phone-patient-chat-zh');
  await expectAccessible(pat, 'consult-phone-patient-chat-zh'); // issue 19: axe on every page shown

  // ... and in English after switching the language.
  await pat.evaluate(() => localStorage.setItem('ihos.locale', 'en'));
  await pat.reload();
  const enCall = pat.getByTestId('chat-call').filter({ hasText: NOTE });
  await enCall.waitFor();
  assert.equal(await enCall.getByTestId('chat-call-outcome').textContent(), 'Talked 3 min 05 s');
  assert.match(await enCall.textContent(), /Doctor called back/);
  assert.equal(await pat.getByTestId('chat-call').filter({ hasText: '无人接听' }).getByTestId('chat-call-outcome').textContent(), 'Not reached');
  await screenshot(pat, 'consult-phone-patient-chat-en');
  await expectAccessible(pat, 'consult-phone-patient-chat-en'); // issue 19: axe on every page shown

  // 5. Privacy: another doctor and the patient cannot read the number; the reveals are in the
  // patient's access log.
  const other = await apiCall(base, 'GET', `/consultations/${id}/callback-number`, { token: await token(OTHER_DOCTOR) });
  assert.equal(other.status, 404, other.text);
  assert.equal(other.json.code, 'not_found');
  const patToken = await token(patient.phone, patient.password);
  const self = await apiCall(base, 'GET', `/consultations/${id}/callback-number`, { token: patToken });
  assert.equal(self.status, 403, self.text);
  const log = await apiCall(base, 'GET', '/me/access-log', { token: patToken });
  assert.equal(log.status, 200, log.text);
  const reveals = (log.json.items ?? []).filter((e) => e.action === 'consultation.callback_number');
  assert.equal(reveals.length, 2, JSON.stringify(log.json.items?.map((e) => e.action)));
});
