// Health code, the authority's pages in the browser: the risk-area map of China colours a province
// by the level set through the API and sets a level by clicking; the venue poster's QR, as shown on
// the page, decodes with a real QR decoder (zbarimg) to the venue's check-in text; the lab's CSV
// import lists a wrong row by line and code and imports nothing until it is fixed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAdmin } from './server.mjs';
import { apiCall, idNumber, loginViaUi, registerViaApi, screenshot, useServerAndBrowser, watchPage } from './helpers.mjs';

const run = promisify(execFile);
const admin = { phone: '13900000015', password: 'Ihos-admin-pass-15', realName: '孙卫健', idNumber: idNumber('19760606', '027') };
const env = useServerAndBrowser({ prepare: (work) => createAdmin(work, admin) });
const HIGH = ['#e03b3b', 'rgb(224,59,59)'];
const MEDIUM = ['#f5a623', 'rgb(245,166,35)'];

async function token(base, u) {
  const r = await apiCall(base, 'POST', '/auth/login', { body: { phone: u.phone, password: u.password } });
  assert.equal(r.status, 200, r.text);
  return r.json.token;
}

async function staffPage(base) {
  const t = await token(base, admin);
  const me = await apiCall(base, 'GET', '/me', { token: t });
  for (const role of ['health_authority', 'lab']) await apiCall(base, 'POST', `/admin/users/${me.json.id}/roles`, { token: t, body: { role } });
  const page = watchPage(await env.browser.newPage({ viewport: { width: 1360, height: 860 }, baseURL: base, locale: 'zh-CN' }));
  await loginViaUi(page, admin.phone, admin.password);
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return { page, t };
}

/** The map's region shapes (SVG renderer) filled with one of `colours`. */
function filled(page, colours) {
  return page.locator(colours.map((c) => `[data-testid="risk-map"] svg path[fill="${c}"]`).join(', '));
}

/**
 * Clicks a map shape where the shape itself is on top, as a user aims at a province: the region's
 * name label sits over its middle, where Playwright's own click would aim (and, once the pointer
 * hovers there, the highlighted label keeps intercepting it).
 */
async function clickShape(page, shape) {
  await shape.scrollIntoViewIfNeeded();
  const point = await shape.evaluate((el) => {
    const box = el.getBoundingClientRect();
    for (let fy = 0.1; fy < 0.95; fy += 0.1)
      for (let fx = 0.1; fx < 0.95; fx += 0.1) {
        const x = box.left + box.width * fx;
        const y = box.top + box.height * fy;
        if (document.elementFromPoint(x, y) === el) return { x, y };
      }
    return null;
  });
  assert.ok(point, 'some point of the shape is not covered');
  await page.mouse.click(point.x, point.y);
}

async function pick(page, name) {
  await page.getByTestId('map-pick').click();
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: name }).first().click();
  await page.getByTestId('map-selected').filter({ hasText: name }).waitFor();
}

test('the risk map colours a province by the level set through the API, and sets a level by click', async () => {
  const base = env.server.baseUrl;
  const { page, t } = await staffPage(base);
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  for (const [code, level] of [['420000', 'high'], ['110105', 'medium']]) {
    const r = await apiCall(base, 'POST', '/healthcode/risk-areas', { token: t, body: { region_code: code, level, start_date: today } });
    assert.equal(r.status, 201, r.text);
  }

  await page.goto('/healthcode/desk');
  await page.getByTestId('desk-map-link').click();
  await page.waitForURL('**/healthcode/risk-map');
  await page.locator('[data-testid="risk-map"][data-map="china"][aria-busy="false"]').waitFor();
  // Hubei (high) is red; Beijing, with 朝阳区 medium inside it, is orange.
  await filled(page, HIGH).first().waitFor();
  assert.equal(await filled(page, HIGH).count(), 1, 'only Hubei is high');
  assert.ok((await filled(page, MEDIUM).count()) >= 1, 'Beijing shows the medium area inside it');
  // Clicking the red shape selects Hubei and shows its level.
  await clickShape(page, filled(page, HIGH).first());
  await page.getByTestId('map-selected').filter({ hasText: '湖北省' }).waitFor();
  assert.equal((await page.getByTestId('map-level').textContent()).trim(), '高风险');
  await page.mouse.move(2, 2);  // no hover highlight in the picture
  await screenshot(page, 'healthcode-risk-map-china');

  // Set Guangdong medium from the panel: the API has it, and the panel shows it.
  await pick(page, '广东省');
  assert.equal((await page.getByTestId('map-level').textContent()).trim(), '无风险地区');
  await page.getByTestId('map-set').click();
  await page.getByTestId('map-ok').filter({ hasText: '广东省' }).waitFor();
  assert.equal((await page.getByTestId('map-level').textContent()).trim(), '中风险');
  const areas = await apiCall(base, 'GET', '/healthcode/risk-areas?current=1', { token: t });
  assert.ok(areas.json.items.some((a) => a.region_code === '440000' && a.level === 'medium'), areas.text);

  // Into Beijing: its districts are joined by code; 朝阳区 is medium, 海淀区 has none.
  await pick(page, '北京市');
  await page.getByTestId('map-drill').click();
  await page.locator('[data-testid="risk-map"][data-map="110000"][aria-busy="false"]').waitFor();
  await filled(page, MEDIUM).first().waitFor();
  assert.equal(await filled(page, MEDIUM).count(), 1, 'one district of Beijing is medium');
  await pick(page, '海淀区');
  assert.equal((await page.getByTestId('map-level').textContent()).trim(), '无风险地区');
  await page.getByTestId('map-set-level').click();
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '高风险' }).click();
  await page.getByTestId('map-set').click();
  await page.getByTestId('map-ok').filter({ hasText: '海淀区' }).waitFor();
  await filled(page, HIGH).first().waitFor();
  await page.mouse.move(2, 2);
  await screenshot(page, 'healthcode-risk-map-beijing');
  await page.close();
});

test('the venue poster shows a QR that a real decoder reads as the venue check-in text', async () => {
  const base = env.server.baseUrl;
  const { page, t } = await staffPage(base);
  const v = await apiCall(base, 'POST', '/healthcode/venues', {
    token: t,
    body: { name: '测试·人民医院门诊楼', kind: 'hospital', region_code: '110105', address: '朝阳路 1 号' },
  });
  assert.equal(v.status, 201, v.text);
  await page.goto('/healthcode/desk?tab=venues');
  await page.getByTestId(`desk-poster-${v.json.id}`).waitFor();
  await screenshot(page, 'healthcode-desk-venues');
  await page.getByTestId(`desk-poster-${v.json.id}`).click();
  await page.waitForURL(`**/healthcode/venues/${v.json.id}/poster`);
  await page.getByTestId('poster-name').filter({ hasText: '测试·人民医院门诊楼' }).waitFor();
  const qr = page.getByTestId('poster-qr');
  await qr.waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector('[data-testid="poster-qr"]');
    return img && img.complete && img.naturalWidth > 0;
  });
  const dir = await mkdtemp(path.join(tmpdir(), 'ihos-poster-'));
  const png = path.join(dir, 'qr.png');
  await qr.screenshot({ path: png });
  const { stdout } = await run('zbarimg', ['--raw', '-q', png]);
  assert.equal(stdout.trim(), `ihos-venue:${v.json.code}`, 'zbarimg reads the check-in text from the page');
  await screenshot(page, 'healthcode-venue-poster');
  // Printed: the toolbar is gone, the poster stays.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByTestId('poster-print').isVisible(), false);
  assert.equal(await page.getByTestId('poster').isVisible(), true);
  await screenshot(page, 'healthcode-venue-poster-print');
  await page.close();
});

test('the lab CSV import lists a wrong row by line and code and imports nothing until fixed', async () => {
  const base = env.server.baseUrl;
  const { page } = await staffPage(base);
  const person = { realName: '冯小雨', phone: '13700008888', password: 'Ihos-e2e-pass-9', idNumber: idNumber('19930303', '455') };
  await registerViaApi(base, person);
  const when = new Date(Date.now() + 8 * 3600_000 - 2 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
  const header = 'id_number,sample_id,result,sampled_at';

  await page.goto('/healthcode/desk');
  await page.getByTestId('desk-import-link').click();
  await page.waitForURL('**/healthcode/lab-import');
  await page.getByTestId('import-file').setInputFiles({
    name: 'results.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`\uFEFF${header}\n${person.idNumber},E2E-CSV-1,positive,${when}\n${person.idNumber},E2E-CSV-2,maybe,${when}\n`),
  });
  await page.getByTestId('import-preview').waitFor();
  await page.getByTestId('import-submit').click();
  const problems = page.getByTestId('import-problems');
  await problems.waitFor();
  await problems.getByText('invalid_value').waitFor();
  assert.match(await problems.textContent(), /3\s*result/);
  await page.getByTestId('import-error').filter({ hasText: '未导入' }).waitFor();
  await screenshot(page, 'healthcode-lab-import-rejected');
  let code = await apiCall(base, 'GET', '/me/healthcode', { token: await token(base, person) });
  assert.equal(code.json.colour, 'green', 'nothing was imported');

  await page.getByTestId('import-text').fill(`${header}\n${person.idNumber},E2E-CSV-1,positive,${when}\n${person.idNumber},E2E-CSV-2,negative,${when}\n`);
  await page.getByTestId('import-submit').click();
  await page.getByTestId('import-ok').filter({ hasText: '已导入 2 条' }).waitFor();
  await screenshot(page, 'healthcode-lab-import-done');
  code = await apiCall(base, 'GET', '/me/healthcode', { token: await token(base, person) });
  assert.equal(code.json.colour, 'red', 'a positive result turns the code red');
  await page.close();
});
