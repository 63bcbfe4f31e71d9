// A guardian adds a minor as a dependent and sees them listed; an adult is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectAccessible, birthForAge, fill, idNumber, loginViaUi, newPage, registerViaApi, screenshot, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

test('a guardian adds a minor and sees them in the list', async () => {
  const guardian = { realName: '陈静', phone: '13611112222', password: 'Ihos-e2e-pass-4', idNumber: idNumber('19880520', '246') };
  await registerViaApi(env.server.baseUrl, guardian);
  const child = { name: '陈小宇', id: idNumber(birthForAge(8), '031') };
  const adult = { name: '陈大明', id: idNumber(birthForAge(30), '051') };

  const page = await newPage(env.browser, env.server.baseUrl);
  await loginViaUi(page, guardian.phone, guardian.password);
  await page.getByTestId('greeting').waitFor();
  await page.getByTestId('tab-me').click();
  await page.getByTestId('tile-dependents').click();
  await page.waitForURL('**/dependents');
  await page.getByText('还没有添加家人').waitFor();

  const form = page.getByTestId('dependent-form');

  // An adult is not a dependent: the server refuses and the form says why.
  await page.getByTestId('add-dependent').click();
  await fill(page, 'real_name', adult.name, form);
  await fill(page, 'id_number', adult.id, form);
  const [refused] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/me/dependents') && r.request().method() === 'POST'),
    page.getByTestId('dependent-submit').click(),
  ]);
  assert.ok(refused.status() >= 400 && refused.status() < 500, `adult refused, got ${refused.status()}`);
  const problem = await refused.json();
  const shown = [problem.message?.['zh-CN'], ...(problem.errors ?? []).map((e) => e.message?.['zh-CN'])].filter(Boolean);
  assert.ok(shown.length, 'the refusal carries a message');
  await page.getByTestId('form-error').filter({ hasText: problem.message['zh-CN'] }).waitFor();
  await screenshot(page, 'dependents-adult-refused');
  await expectAccessible(page, 'dependents-adult-refused'); // issue 19: axe on every page shown

  // A minor is added and listed.
  await fill(page, 'real_name', child.name, form);
  await fill(page, 'id_number', child.id, form);
  await page.getByTestId('rel-parent').click();
  const [created] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/me/dependents') && r.request().method() === 'POST'),
    page.getByTestId('dependent-submit').click(),
  ]);
  assert.equal(created.status(), 201);
  const item = page.getByTestId('dependent-item').filter({ hasText: child.name });
  await item.waitFor();
  const text = await item.textContent();
  assert.match(text, /8 岁/);
  assert.match(text, /父母/);
  assert.ok(!text.includes(child.id), 'the full ID number is masked');
  assert.equal(await page.getByTestId('dependent-item').count(), 1, 'only the minor is listed');
  await page.waitForSelector('.van-popup', { state: 'hidden' });
  await screenshot(page, 'dependents-list');
  await expectAccessible(page, 'dependents-list'); // issue 19: axe on every page shown

  // Still there after a reload (it came from the server, not from the page's memory).
  await page.reload();
  await page.getByTestId('dependent-item').filter({ hasText: child.name }).waitFor();

  // The access log page opens (who looked at my record).
  await page.goto('/access-log');
  await page.locator('[data-testid="access-log-list"], [data-testid="access-log-empty"]').first().waitFor();
  await screenshot(page, 'access-log');
  await expectAccessible(page, 'access-log'); // issue 19: axe on every page shown
  await page.context().close();
});
