// The camera is allowed only on the pages that scan: ihosd sends Permissions-Policy camera=(self)
// with the documents of /gate and /pharmacy/orders and camera=() with every other page, and the web
// router loads a new document when a navigation enters or leaves one of them, so the page in front
// of the user always runs under its own policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idNumber, newPage, registerViaApi, loginToken, useServerAndBrowser, useToken } from './helpers.mjs';

const env = useServerAndBrowser();

/** What the current document lets the page do with the camera (policy: document.featurePolicy). */
function cameraState(page) {
  return page.evaluate(async () => {
    const policy = document.featurePolicy ? document.featurePolicy.allowsFeature('camera') : null;
    const permission = (await navigator.permissions.query({ name: 'camera' })).state;
    let error = 'none';
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: true });
      stream.getTracks().forEach((t) => t.stop());
    } catch (e) {
      error = `${e.name}: ${e.message}`;
    }
    return { policy, permission, error, document: window.__ihosDocument ?? null };
  });
}

/** Navigates inside the app, as a link or the tab bar would (the app's own router). */
function routerPush(page, to) {
  return page.evaluate((p) => document.querySelector('#app').__vue_app__.config.globalProperties.$router.push(p), to);
}

test('the camera is allowed on the gate scanner and refused on other pages, also after in-app navigation', async () => {
  const user = { realName: '沈光', phone: '13766600017', password: 'Camera-pass-2026', idNumber: idNumber('19850620', '617') };
  await registerViaApi(env.server.baseUrl, user);
  const page = await newPage(env.browser, env.server.baseUrl);
  // The user has said yes to the camera for this site: only the page's policy can still refuse it.
  await page.context().grantPermissions(['camera'], { origin: env.server.baseUrl });
  await useToken(page, env.server.baseUrl, await loginToken(env.server.baseUrl, user.phone, user.password));

  const policyOf = async (p) => (await page.request.get(p)).headers()['permissions-policy'];
  assert.match(await policyOf('/gate'), /^camera=\(self\), /);
  assert.match(await policyOf('/pharmacy/orders'), /^camera=\(self\), /);
  for (const p of ['/', '/me', '/consult/1', '/login']) assert.match(await policyOf(p), /^camera=\(\), /, p);

  await page.goto('/');
  await page.getByTestId('greeting').waitFor();
  await page.evaluate(() => (window.__ihosDocument = 'home'));
  const home = await cameraState(page);
  // Chromium answers from the document's policy (the user's grant cannot override it).
  assert.equal(home.policy, false, JSON.stringify(home));

  // In the app, from the home page to the gate: a new document, whose policy allows the camera.
  await routerPush(page, '/gate');
  await page.waitForURL((u) => u.pathname === '/gate');
  await page.waitForFunction(() => window.__ihosDocument === undefined && document.readyState === 'complete');
  await page.getByTestId('gate-camera').waitFor();
  const gate = await cameraState(page);
  assert.equal(gate.document, null, 'a new document was loaded');
  assert.equal(gate.policy, true, JSON.stringify(gate));
  // No camera in the test machine: the scanner gets as far as looking for a device.
  assert.doesNotMatch(gate.error, /^NotAllowedError/, JSON.stringify(gate));

  // And out again: the home page's document refuses the camera once more.
  await page.evaluate(() => (window.__ihosDocument = 'gate'));
  await routerPush(page, '/me');
  await page.waitForURL((u) => u.pathname === '/me');
  await page.waitForFunction(() => window.__ihosDocument === undefined && document.readyState === 'complete');
  const me = await cameraState(page);
  assert.equal(me.document, null, 'a new document was loaded');
  assert.equal(me.policy, false, JSON.stringify(me));

  // A move between two pages without the camera stays in the same document.
  await page.evaluate(() => (window.__ihosDocument = 'me'));
  await routerPush(page, '/');
  await page.getByTestId('greeting').waitFor();
  assert.equal(await page.evaluate(() => window.__ihosDocument), 'me', 'no reload between pages without the camera');
  await page.context().close();
});

test('a camera stopped while the browser is still opening it is not left on (nor reading codes)', async () => {
  const user = { realName: '沈光明', phone: '13766600018', password: 'Camera-pass-2026', idNumber: idNumber('19850621', '618') };
  await registerViaApi(env.server.baseUrl, user);
  const page = await newPage(env.browser, env.server.baseUrl);
  // The test machine has no camera: a stand-in that takes 1.5 s to open (as a permission prompt or a
  // slow device does) and gives a live video track, recorded so the test can see whether it stays on.
  await page.addInitScript(() => {
    window.__streams = [];
    navigator.mediaDevices.getUserMedia = async () => {
      await new Promise((r) => setTimeout(r, 1500));
      const canvas = document.createElement('canvas');
      canvas.width = 320;
      canvas.height = 240;
      canvas.getContext('2d').fillRect(0, 0, 320, 240);
      const stream = canvas.captureStream(5);
      window.__streams.push(stream);
      return stream;
    };
  });
  await useToken(page, env.server.baseUrl, await loginToken(env.server.baseUrl, user.phone, user.password));
  await page.goto('/gate');
  await page.getByTestId('gate-camera').click();
  await page.getByTestId('gate-camera-stop').click();
  await page.getByTestId('gate-camera').waitFor();
  // Once the camera has opened, the track it gave is ended (before the fix it stayed live).
  await page.waitForFunction(() => window.__streams.length === 1);
  const ended = await page
    .waitForFunction(() => window.__streams.every((s) => s.getTracks().every((t) => t.readyState === 'ended')), null, { timeout: 10_000 })
    .then(() => true, () => false);
  assert.ok(ended, 'the camera is off');

  // Started, stopped and started again while the first is still opening: the second camera's
  // picture is the one on the page, live, and the first one is off.
  await page.getByTestId('gate-camera').click();
  await page.getByTestId('gate-camera-stop').click();
  await page.getByTestId('gate-camera').click();
  await page.waitForFunction(() => window.__streams.length === 3);
  await page.waitForFunction(
    () => {
      const [, first, second] = window.__streams;
      const video = document.querySelector('video');
      return first.getTracks().every((t) => t.readyState === 'ended') && video.srcObject === second && second.getTracks().every((t) => t.readyState === 'live');
    },
    null,
    { timeout: 10_000 },
  );
  await page.getByTestId('gate-camera-stop').click();
  await page.waitForFunction(() => window.__streams.every((s) => s.getTracks().every((t) => t.readyState === 'ended')), null, { timeout: 10_000 });
  await page.context().close();
});
