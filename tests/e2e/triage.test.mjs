// AI self-check, without an account: from the login page to /self-check; a chest-pain story gets
// emergency advice (call 120) before anything else; a thyroid question gets an endocrinology
// department with the words that weighed most, its doctors available soonest (the labelled demo
// directory is seeded), and the booking link; the text waits in sessionStorage for
// the pre-consultation questionnaire. The model is trained from the triage data folder
// ($IHOS_TRIAGE_DATA or ../shared/data/triage) before the server starts; without it this fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { expectAccessible, idNumber, loginViaUi, newPage, registerViaApi, screenshot, useServerAndBrowser, seedDemo } from './helpers.mjs';
import { buildDir, repoRoot } from './server.mjs';

const execFileP = promisify(execFile);

const env = useServerAndBrowser({
  prepare: async (work) => {
    const data = process.env.IHOS_TRIAGE_DATA || path.resolve(repoRoot, '..', 'shared', 'data', 'triage');
    if (!existsSync(path.join(data, 'haodf_xf2022_train.csv'))) {
      throw new Error(`triage data not found at ${data}: set IHOS_TRIAGE_DATA or put shared/data/triage beside the repository`);
    }
    const model = path.join(work.dir, 'triage.bin');
    await execFileP(path.join(buildDir, 'ihos'), // A smaller, quicker model than production's: the page needs a plausible answer, not the best one.
      ['triage', 'train', '--data', data, '--with-age', '--out', model, '--epoch', '10', '--dim', '30'], {
      cwd: repoRoot,
      timeout: 600_000,
    });
    process.env.IHOS_TRIAGE_MODEL = model;  // ihosd (started next) inherits it
    // The labelled demo directory: 演示·李医生 of 内分泌科 with open hours.
    await seedDemo(work);
  },
});

async function check(page, text) {
  await page.getByTestId('triage-text').locator('textarea').fill(text);
  await page.getByTestId('triage-submit').click();
}

test('anyone reaches the self-check from the login page; a chest-pain story gets emergency advice first', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await page.goto('/login');
  await page.getByTestId('to-self-check').click();
  await page.waitForURL('**/self-check');
  assert.match(await page.getByTestId('triage-guidance').textContent(), /医生决定/);

  await check(page, '我爸62岁，半小时前突然胸口压榨样疼痛，出了一身冷汗，喘不上气');
  const alert = page.getByTestId('triage-emergency');
  await alert.waitFor();
  assert.match(await alert.textContent(), /120/);
  assert.match(await alert.textContent(), /心肌梗死/);
  assert.equal(await page.getByTestId('call-120').getAttribute('href'), 'tel:120');
  // The emergency advice comes before any department suggestion.
  const order = await page.evaluate(() => {
    const a = document.querySelector('[data-testid="triage-emergency"]');
    const d = document.querySelector('[data-testid="triage-departments"]');
    return d ? a.compareDocumentPosition(d) & Node.DOCUMENT_POSITION_FOLLOWING : 4;
  });
  assert.ok(order, 'emergency advice is above the departments');
  assert.match(await page.getByTestId('triage-disclaimer').textContent(), /仅供参考/);
  await screenshot(page, 'triage-emergency-zh');

  // After a red flag the departments are for a follow-up: no match score ("匹配度 100%").
  await page.getByTestId('triage-after-emergency').waitFor();
  assert.doesNotMatch(await page.getByTestId('triage-departments').textContent(), /匹配度/);
  await expectAccessible(page, 'self-check after a red flag');

  await check(page, '最近总是失眠，觉得活着没意思，不想活了');
  await page.getByTestId('triage-hotline').waitFor();
  assert.match(await page.getByTestId('triage-hotline').textContent(), /12356/);
  assert.equal(await page.getByTestId('triage-dept').first().getAttribute('data-code'), 'psychiatry');
  await screenshot(page, 'triage-hotline-zh');
});

test('a thyroid question suggests endocrinology, says why, and leads to its doctors', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await page.goto('/self-check');
  const words = '体检发现甲状腺结节，TSH偏高，需要吃优甲乐吗？';
  await check(page, words);
  const first = page.getByTestId('triage-dept').first();
  await first.waitFor();
  assert.equal(await first.getAttribute('data-code'), 'endocrinology');
  assert.match(await first.textContent(), /内分泌科/);
  assert.match(await first.textContent(), /甲状/);
  // The department's doctors available soonest: the demo endocrinologist, with a free time.
  const doctorCard = first.getByTestId('triage-doctor').first();
  await doctorCard.waitFor();
  assert.match(await doctorCard.textContent(), /演示·李医生/);
  assert.equal(await first.getByTestId('triage-book').getAttribute('href'), '/doctors?department=endocrinology');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('ihos.triage.text')), words);
  assert.ok((await page.getByTestId('triage-dept').count()) <= 3);
  await screenshot(page, 'triage-thyroid-zh');

  await page.getByTestId('lang-en').click();
  assert.match(await page.getByTestId('triage-dept').first().textContent(), /Endocrinology/);
  assert.match(await page.getByTestId('triage-guidance').textContent(), /a doctor decides/);
  await screenshot(page, 'triage-thyroid-en');
});

test('a visitor may give an age group; a department without doctors offers no booking into an empty list', async () => {
  const page = await newPage(env.browser, env.server.baseUrl);
  await page.goto('/self-check');
  // The age group is one labelled choice; its lower bound in years goes with the words.
  await page.getByLabel('年龄段（选填，儿童的问题更准）').selectOption('0');
  const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/triage') && r.method() === 'POST');
  await check(page, '咳嗽有痰一个星期了，晚上咳得厉害，嗓子有点哑');
  assert.equal((await sent).postDataJSON().age, 0);
  await page.getByTestId('triage-dept').first().waitFor();
  await expectAccessible(page, 'self-check with an age group');

  // The demo directory has no ophthalmologist: no "book" link into an empty list, and a way on.
  await page.getByLabel('年龄段（选填，儿童的问题更准）').selectOption('');
  const plain = page.waitForRequest((r) => r.url().endsWith('/api/v1/triage') && r.method() === 'POST');
  await check(page, '眼睛干涩发红，看东西模糊，眼前有黑影飘来飘去，视力下降');
  assert.equal((await plain).postDataJSON().age, undefined);
  const eye = page.locator('[data-testid="triage-dept"][data-code="ophthalmology"]');
  await eye.waitFor();
  await eye.getByTestId('triage-no-doctor').waitFor();
  assert.equal(await eye.getByTestId('triage-book').count(), 0);
  assert.equal(await eye.getByTestId('triage-no-doctor').locator('a').getAttribute('href'), '/doctors');
  await expectAccessible(page, 'self-check, a department without doctors');
  await screenshot(page, 'triage-no-doctor-zh');
});

test('a signed-in patient finds the self-check on the home page', async () => {
  const user = { realName: '自查患者', phone: '13812340066', password: 'Ihos-e2e-pass-6', idNumber: idNumber('19900315', '166') };
  await registerViaApi(env.server.baseUrl, user);
  const page = await newPage(env.browser, env.server.baseUrl);
  await loginViaUi(page, user.phone, user.password);
  await page.waitForURL((u) => u.pathname === '/');
  await page.getByTestId('tile-selfCheck').click();
  await page.waitForURL('**/self-check');
  await page.getByTestId('triage-text').waitFor();
  // The account's age is sent (born 1990-03-15), not asked.
  await page.getByTestId('triage-age-account').waitFor();
  assert.equal(await page.getByTestId('triage-age').count(), 0);
  const sent = page.waitForRequest((r) => r.url().endsWith('/api/v1/triage') && r.method() === 'POST');
  await check(page, '膝盖打球扭伤后上下楼梯疼');
  const age = (await sent).postDataJSON().age;
  assert.ok(age >= 35 && age <= 37, `age ${age}`);
});

