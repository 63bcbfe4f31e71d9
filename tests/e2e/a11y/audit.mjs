// axe-core counts (critical / serious / moderate) on the 18 pages of the issue, each
// visited as the right demo role. Not a test (it never fails): `IHOS_BUILD_DIR=build node
// tests/e2e/a11y/audit.mjs` prints a Markdown table, used for the before/after figures in the note.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { makeWorkDir, startServer } from '../server.mjs';
import { DESKTOP, PHONE, apiCall, launchBrowser, loginToken, seedDemo, useToken } from '../helpers.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const PATIENT = '13800000002';
const DOCTOR = '13800000003';
const ADMIN = '13800000001';

async function counts(page) {
  await page.evaluate(axeSource);
  await page.mouse.move(0, 0);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    const c = { critical: 0, serious: 0, moderate: 0, minor: 0, rules: [] };
    for (const v of r.violations) {
      c[v.impact] += v.nodes.length;
      c.rules.push(`${v.id}×${v.nodes.length}`);
      if (v.impact === 'critical' || v.impact === 'serious') c.detail = (c.detail ?? []).concat(v.nodes.slice(0, 6).map((n) => `${v.id} ${n.target.join(' ')} ${(n.any[0]?.message ?? '').slice(0, 110)}`));
    }
    return c;
  });
}

const work = await makeWorkDir();
await seedDemo(work);
const server = await startServer(work);
const browser = await launchBrowser();
const base = server.baseUrl;
try {
  const tokens = {};
  for (const p of [PATIENT, DOCTOR, ADMIN]) tokens[p] = await loginToken(base, p);
  const consults = await apiCall(base, 'GET', '/consultations', { token: tokens[PATIENT] });
  const consultId = (consults.json?.items ?? consults.json ?? [])[0]?.id;
  const doctors = await apiCall(base, 'GET', '/doctors', {});
  const doctorId = (doctors.json?.items ?? doctors.json ?? [])[0]?.id;

  const pages = [
    ['phone', null, '/', 'home (guest)'],
    ['phone', null, '/login', 'login'],
    ['phone', null, '/register', 'register'],
    ['phone', PATIENT, '/', 'home (patient)'],
    ['phone', PATIENT, '/me', '我的'],
    ['phone', PATIENT, '/messages', 'messages'],
    ['phone', null, '/departments', 'departments'],
    ['phone', null, '/doctors', 'doctor list'],
    ['phone', null, `/doctors/${doctorId}`, 'doctor profile'],
    ['phone', PATIENT, `/doctors/${doctorId}/book`, 'book confirm'],
    ['phone', PATIENT, '/appointments', 'my appointments'],
    ['phone', PATIENT, '/consultations', '我的问诊'],
    ['phone', PATIENT, `/consult/${consultId}`, 'consultation chat'],
    ['phone', PATIENT, '/healthcode', 'health code'],
    ['phone', null, '/self-check', 'self-check'],
    ['phone', PATIENT, '/dependents', 'dependents'],
    ['desktop', DOCTOR, '/staff/schedule', 'schedule editor'],
    ['desktop', DOCTOR, '/staff/queue', 'workstation'],
  ];
  const rows = [];
  for (const [dev, who, url, name] of pages) {
    const context = await browser.newContext({ ...(dev === 'phone' ? PHONE : DESKTOP), baseURL: base, locale: 'zh-CN' });
    const page = await context.newPage();
    // Signed in as the web app is: the HttpOnly session cookie and the session's CSRF token.
    if (who) await useToken(page, base, tokens[who]);
    await page.goto(url);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(500); // let the last list render (an audit, not a test)
    const c = await counts(page);
    if (process.env.DETAIL && c.detail) console.error(`## ${name}\n${c.detail.join('\n')}`);
    rows.push(`| ${name} | \`${url}\` | ${c.critical} | ${c.serious} | ${c.moderate} | ${c.rules.join(', ')} |`);
    await context.close();
  }
  console.log('| page | path | critical | serious | moderate | rules (nodes) |\n|---|---|---|---|---|---|');
  console.log(rows.join('\n'));
} finally {
  await browser.close();
  await server.stop();
}
