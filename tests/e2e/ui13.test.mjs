// Issue 13's remaining UI defects in the browser: the staff frame on the health authority's pages,
// the lab import and the gate (phone and desktop width); the colour rules as a form with field
// errors from the client and from the server; the travel declaration's region picker and the
// health code's colours, QR name and targets (issue 19); 未读 cleared by a reply, live and after a
// reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiCall,
  DEMO_PASSWORD,
  DESKTOP,
  expectAccessible,
  idNumber,
  loginToken,
  loginViaUi,
  newPage,
  PHONE,
  registerViaApi,
  screenshot,
  seedDemo,
  useServerAndBrowser,
} from './helpers.mjs';

const env = useServerAndBrowser({ prepare: seedDemo });
const LAB = '13800000020'; // 演示·检验科
const AUTHORITY = '13800000021'; // 演示·疾控中心
const GATE_NURSE = '13800000022'; // 演示·门岗护士
const DOCTOR = '13800000003'; // 演示·李医生
const cstToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

async function staffPage(phone, device) {
  const page = await newPage(env.browser, env.server.baseUrl, device);
  await loginViaUi(page, phone, DEMO_PASSWORD);
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByTestId('staff-layout').waitFor();
  return page;
}

test('the authority desk, risk map, lab import and gate have the staff frame at phone and desktop width', async () => {
  const pages = [
    [AUTHORITY, '/healthcode/desk', '健康码工作台（卫健 / 检验）', 'nav-codeRules'],
    [AUTHORITY, '/healthcode/risk-map', null, 'nav-riskAreas'],
    [LAB, '/healthcode/lab-import', null, 'nav-results'],
    [GATE_NURSE, '/gate', '健康码核验', 'nav-gate'],
  ];
  for (const [device, width] of [
    [PHONE, 390],
    [DESKTOP, 1440],
  ]) {
    for (const [phone, path, title, nav] of pages) {
      const page = await staffPage(phone, device);
      await page.goto(path);
      await page.getByTestId('staff-layout').waitFor();
      const heading = (await page.getByTestId('staff-title').textContent()).trim();
      assert.ok(heading.length > 0 && !heading.endsWith('工作台'), `${path} shows its own title, not the workbench's (${heading})`);
      if (title) assert.equal(heading, title, `${path} title`);
      // Menu (its item for this page is the current one), back, sign-out, 中/EN.
      if (nav) assert.equal(await page.getByTestId(nav).evaluate((el) => el.classList.contains('is-active')), true, `${nav} is current on ${path}`);
      await page.getByTestId('staff-back').waitFor();
      await page.getByTestId('logout').waitFor();
      await page.getByTestId('lang-en').waitFor();
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scroll <= width, `${path} fits ${width} px (${scroll})`);
      // …and nothing scrolls sideways inside the work area either.
      const [inner, room] = await page.locator('.staff__main').evaluate((el) => [el.scrollWidth, el.clientWidth]);
      assert.ok(inner <= room, `${path}: the work area's content fits it at ${width} px (${inner} > ${room})`);
      const back = await page.getByTestId('staff-back').boundingBox();
      assert.ok(back.width >= 44 && back.height >= 44, `back is a 44 px target on ${path}`);
      await expectAccessible(page, `staff frame on ${path} at ${width} px`, '.staff__header');
      await screenshot(page, `ui13-frame${path.replaceAll('/', '-')}-${width}`);
      // 中/EN switches the frame too.
      await page.getByTestId('lang-en').click();
      await page.getByTestId('staff-back').and(page.locator('[aria-label="Back"]')).waitFor();
      assert.notEqual((await page.getByTestId('staff-title').textContent()).trim(), heading, `${path} title in English`);
      await page.getByTestId('lang-zh').click();
      // Back leads to the workbench (the page was opened directly).
      await page.getByTestId('staff-back').click();
      await page.waitForURL((u) => u.pathname === '/');
      await page.context().close();
    }
  }
});

test('the colour rules are a form: rows from the vocabulary, add / move / remove, field errors from the form and the server', async () => {
  const base = env.server.baseUrl;
  const token = await loginToken(base, AUTHORITY);
  const before = await apiCall(base, 'GET', '/healthcode/rules', { token });
  const rulesBefore = before.json.current.rules.rules;

  const page = await staffPage(AUTHORITY, DESKTOP);
  await page.goto('/healthcode/desk?tab=rules');
  const form = page.getByTestId('rules-form');
  await page.getByTestId(`rule-${rulesBefore.length - 1}`).waitFor();
  assert.equal(await form.locator('li.rule').count(), rulesBefore.length);
  assert.equal(await page.getByTestId('rule-0-fact').inputValue(), rulesBefore[0].fact);
  assert.equal(await page.getByTestId('rule-0-value').inputValue(), rulesBefore[0].value ?? rulesBefore[0].risk);
  // The value list is the chosen fact's vocabulary, in words.
  await page.getByTestId('rule-0-fact').selectOption('travel');
  assert.equal(await page.getByTestId('rule-0-value').inputValue(), '', 'a value of another fact is cleared');
  assert.deepEqual(await page.getByTestId('rule-0-value').locator('option:not([disabled])').allTextContents(), ['低风险', '中风险', '高风险']);
  await page.getByTestId('rule-0-fact').selectOption(rulesBefore[0].fact);
  await page.getByTestId('rule-0-value').selectOption(rulesBefore[0].value);

  // The form's own check: days out of range, an empty value; nothing is sent.
  await page.getByTestId('rule-0-days').fill('0');
  await page.getByTestId('rules-add').click();
  const n = rulesBefore.length; // the new row's index
  await page.getByTestId('desk-save-rules').click();
  await page.getByTestId('rule-0-days-err').waitFor();
  await page.getByTestId(`rule-${n}-value-err`).waitFor();
  assert.equal(await page.getByTestId('rule-0-days').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('rule-0-days').getAttribute('aria-describedby'), 'rule-0-days-err');
  await screenshot(page, 'ui13-rules-errors');
  assert.equal((await apiCall(base, 'GET', '/healthcode/rules', { token })).json.current.version, before.json.current.version);

  // Fix, fill the new row (cough → yellow 3 days, no test), move it up one, remove the first row.
  await page.getByTestId('rule-0-days').fill(String(rulesBefore[0].days));
  await page.getByTestId(`rule-${n}-fact`).selectOption('symptom');
  await page.getByTestId(`rule-${n}-value`).selectOption('cough');
  await page.getByTestId(`rule-${n}-days`).fill('3');
  await page.getByTestId(`rule-${n}-tests`).fill('0');
  await page.getByTestId(`rule-${n}-up`).click();
  assert.equal(await page.getByTestId(`rule-${n - 1}-value`).inputValue(), 'cough');
  await page.getByTestId('rule-0-remove').click();
  await page.getByTestId('rules-note').fill('e2e: 咳嗽黄码 3 天');
  await expectAccessible(page, 'the colour-rule form', '[data-testid="rules-form"]');
  await page.getByTestId('desk-save-rules').click();
  await page.getByTestId('rules-ok').waitFor();
  const after = await apiCall(base, 'GET', '/healthcode/rules', { token });
  const saved = after.json.current.rules.rules;
  assert.equal(after.json.current.version, before.json.current.version + 1);
  assert.equal(saved.length, rulesBefore.length);
  assert.deepEqual(saved[0], rulesBefore[1], 'the first rule was removed');
  assert.deepEqual(saved[n - 2], { fact: 'symptom', value: 'cough', colour: 'yellow', days: 3, negative_tests: 0 }, 'moved above the old last rule');
  assert.deepEqual(saved[n - 1], rulesBefore[n - 1]);
  // The read-only JSON view shows the same.
  await page.locator('details.json summary').click();
  assert.deepEqual(JSON.parse(await page.getByTestId('rules-json').textContent()).rules, saved);

  // The server's check is the last word: with a vocabulary out of step (a value the server does not
  // accept), its field error shows next to that field.
  await page.route('**/api/v1/healthcode/rules', async (route) => {
    if (route.request().method() !== 'GET') return route.continue();
    const res = await route.fetch();
    const body = await res.json();
    body.vocabulary.symptom = [...body.vocabulary.symptom, 'headache'];
    await route.fulfill({ response: res, json: body });
  });
  await page.reload();
  await page.getByTestId(`rule-${n - 2}-value`).waitFor();
  await page.getByTestId(`rule-${n - 2}-value`).selectOption('headache');
  await page.getByTestId('desk-save-rules').click();
  await page.getByTestId(`rule-${n - 2}-value-err`).waitFor();
  await page.getByTestId('rules-error').waitFor();
  assert.equal(await page.getByTestId(`rule-${n - 2}-value`).getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'ui13-rules-server-error');
  assert.equal((await apiCall(base, 'GET', '/healthcode/rules', { token })).json.current.version, after.json.current.version, 'nothing saved');
  await page.context().close();
  // Put the rules back for the other tests (a confirmed case is red again).
  const restore = await apiCall(base, 'POST', '/healthcode/rules', { token, body: { rules: before.json.current.rules, note: 'e2e: restore' } });
  assert.equal(restore.status, 201, restore.text);
});

test('travel is declared with a province → city → county picker; green, yellow and red codes are readable and named', async () => {
  const base = env.server.baseUrl;
  const patient = { realName: '孙丽华', phone: '13700001313', password: 'Ihos-e2e-ui13-1', idNumber: idNumber('19880808', '131') };
  await registerViaApi(base, patient);
  const authority = await loginToken(base, AUTHORITY);
  // 朝阳区 (110105) a medium-risk area from today: a visit there makes the code yellow.
  const area = await apiCall(base, 'POST', '/healthcode/risk-areas', { token: authority, body: { region_code: '110105', level: 'medium', start_date: cstToday() } });
  assert.equal(area.status, 201, area.text);

  const page = await newPage(env.browser, base, PHONE);
  await loginViaUi(page, patient.phone, patient.password);
  await page.waitForURL((u) => u.pathname === '/');
  await page.goto('/healthcode');
  const check = async (colour, name) => {
    await page.locator(`[data-testid="hc-card"][data-colour="${colour}"]`).waitFor();
    const qr = page.getByTestId('hc-qr');
    assert.equal(await qr.getAttribute('role'), 'img');
    assert.equal(await qr.getAttribute('aria-label'), name);
    for (const b of await page.locator('.box .van-button').all()) {
      const box = await b.boundingBox();
      assert.ok(box.height >= 44, `a health-code button is ${box.height} px tall`);
    }
    await screenshot(page, `ui13-healthcode-${colour}`);
    // The toast of a declaration is gone before axe judges the code page.
    await page.locator('.van-toast').waitFor({ state: 'hidden' });
    await expectAccessible(page, `the ${colour} health code`);
  };
  await check('green', '健康码二维码，绿码');

  // No typed code: province → city → county by their names.
  assert.equal(await page.locator('input[name="region_code"]').count(), 0, 'no 6-digit code to type');
  assert.equal(await page.getByTestId('hc-declare-travel').isDisabled(), true, 'nothing to declare before a region is picked');
  await page.locator('#hc-region-province').selectOption({ label: '北京市' });
  await page.locator('#hc-region-city:not([disabled])').waitFor();
  // A municipality's districts come straight under it (北京市 → 朝阳区; no 市辖区 step).
  await page.locator('#hc-region-city').selectOption({ label: '朝阳区' });
  assert.equal(await page.locator('#hc-region-city').inputValue(), '110105');
  await page.getByTestId('hc-declare-travel').and(page.locator(':not([disabled])')).waitFor();
  await page.getByTestId('hc-declare-travel').click();
  await check('yellow', '健康码二维码，黄码');
  await page.getByTestId('hc-reason').filter({ hasText: '到访中风险地区' }).waitFor();
  // Dark text on yellow, at full opacity.
  const ink = await page.getByTestId('hc-name').evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).opacity]);
  assert.deepEqual(ink, ['rgb(31, 41, 55)', '1']);

  const flag = await apiCall(base, 'POST', '/healthcode/exposures', { token: authority, body: { id_number: patient.idNumber, value: 'confirmed', detail: 'e2e' } });
  assert.equal(flag.status, 201, flag.text);
  await page.reload();
  await check('red', '健康码二维码，红码');
  await page.getByTestId('lang-en').click();
  await page.getByTestId('hc-qr').and(page.locator('[aria-label="Health code QR, red"]')).waitFor();
  await page.context().close();
});

test('a reply clears 未读 on the other side, live and after a reload', async () => {
  const base = env.server.baseUrl;
  const patient = { realName: '钱小梅', phone: '13700001314', password: 'Ihos-e2e-ui13-2', idNumber: idNumber('19900101', '141') };
  await registerViaApi(base, patient);
  const pt = await loginToken(base, patient.phone, patient.password);
  const dt = await loginToken(base, DOCTOR);
  const practitioner = await apiCall(base, 'GET', '/me/practitioner', { token: dt });
  const intake = { chief_complaint: '咳嗽一周', duration: '1周', symptoms: ['咳嗽'], history: '无', allergies: '无', medications: '无', is_follow_up: false };
  const started = await apiCall(base, 'POST', '/consultations', { token: pt, body: { kind: 'text', practitioner_id: practitioner.json.id, intake } });
  assert.equal(started.status, 201, started.text);
  const id = started.json.id;
  assert.equal((await apiCall(base, 'POST', `/consultations/${id}/accept`, { token: dt, body: {} })).status, 200);

  const page = await newPage(env.browser, base, PHONE);
  await loginViaUi(page, patient.phone, patient.password);
  await page.waitForURL((u) => u.pathname === '/');
  await page.goto(`/consult/${id}`);
  const send = await apiCall(base, 'POST', `/consultations/${id}/messages`, { token: pt, body: { client_msg_id: 'ui13-p1', kind: 'text', text: '晚上咳得厉害' } });
  assert.equal(send.status, 201, send.text);
  const receipt = page.getByTestId('chat-receipt');
  await receipt.filter({ hasText: '未读' }).waitFor();
  // The doctor answers without opening a read receipt of their own: the patient's message is read.
  const reply = await apiCall(base, 'POST', `/consultations/${id}/messages`, { token: dt, body: { client_msg_id: 'ui13-d1', kind: 'text', text: '有没有发热？' } });
  assert.equal(reply.status, 201, reply.text);
  await page.getByTestId('chat-messages').getByText('有没有发热？', { exact: true }).waitFor();
  await receipt.filter({ hasText: '已读' }).waitFor();
  await page.reload();
  await page.getByTestId('chat-messages').getByText('有没有发热？', { exact: true }).waitFor();
  await receipt.filter({ hasText: '已读' }).waitFor();
  assert.equal(await receipt.textContent().then((s) => s.trim()), '已读');
  await screenshot(page, 'ui13-chat-read');
  await page.context().close();
});
