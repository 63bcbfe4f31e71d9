// Interoperability of the health code, checked by code that is not ihos's: the server's QR SVG is
// rendered to PNG (rsvg-convert, Debian librsvg2-bin) and read back by a real QR decoder (zbarimg,
// Debian zbar-tools); the card is verified by an independent SMART Health Cards implementation
// (@pathcheck/shc-sdk: node-jose + pako, keys fetched from the card's iss/.well-known/jwks.json) and,
// separately, by the general JOSE library `jose` with node's own raw inflate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as jose from 'jose';
import { apiCall, idNumber, registerViaApi, useServerAndBrowser } from './helpers.mjs';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const shc = require('@pathcheck/shc-sdk');
const env = useServerAndBrowser();

async function login(base, user) {
  const r = await apiCall(base, 'POST', '/auth/login', { body: { phone: user.phone, password: user.password } });
  assert.equal(r.status, 200, r.text);
  return r.json.token;
}

test('the QR image decodes with zbarimg and the card verifies with independent SMART Health Cards code', async () => {
  const base = env.server.baseUrl;
  const user = { realName: '林晓梅', phone: '13922223333', password: 'Ihos-e2e-pass-5', idNumber: idNumber('19900315', '418') };
  await registerViaApi(base, user);
  const token = await login(base, user);
  const code = await apiCall(base, 'GET', '/me/healthcode', { token });
  assert.equal(code.status, 200, code.text);
  const { qr_text: qrText, qr_svg: svg, jws } = code.json.card;

  // 1. A real decoder reads the server's QR image.
  const dir = await mkdtemp(path.join(tmpdir(), 'ihos-qr-'));
  await writeFile(path.join(dir, 'card.svg'), svg);
  await run('rsvg-convert', ['-w', '800', '-b', 'white', '-o', path.join(dir, 'card.png'), path.join(dir, 'card.svg')]);
  const { stdout } = await run('zbarimg', ['--raw', '-q', path.join(dir, 'card.png')]);
  assert.equal(stdout.trim(), qrText, 'zbarimg reads exactly the shc:/ text the server issued');

  // 2. An independent SMART Health Cards implementation unpacks the numeric QR text and verifies
  //    the ES256 signature with the key it fetches from iss/.well-known/jwks.json.
  const verified = await shc.unpackAndVerify(stdout.trim());
  assert.ok(verified, '@pathcheck/shc-sdk verifies the card');
  const cred = verified.credential;
  assert.equal(verified.raw.header.zip, 'DEF');
  assert.equal(verified.raw.header.alg, 'ES256');
  assert.ok(cred.vc.type.includes('https://smarthealth.cards#health-card'));
  const [patient, obs] = cred.vc.credentialSubject.fhirBundle.entry.map((e) => e.resource);
  assert.equal(patient.resourceType, 'Patient');
  assert.equal(patient.name[0].text, '林*梅');
  assert.equal(patient.birthDate, '1990-03-15');
  assert.equal(obs.resourceType, 'Observation');
  assert.equal(obs.valueCodeableConcept.coding[0].code, 'green');
  assert.equal(cred.iss, base);
  assert.ok(cred.exp > cred.nbf);

  // A tampered card fails in the same independent code.
  const parts = jws.split('.');
  const sig = parts[2];
  const flipped = sig.slice(0, 10) + (sig[10] === 'A' ? 'B' : 'A') + sig.slice(11);
  const tampered = await shc.pack([parts[0], parts[1], flipped].join('.'));
  assert.equal(await shc.unpackAndVerify(tampered), undefined, 'a changed signature does not verify');

  // 3. The general JOSE library: kid is the RFC 7638 thumbprint of the published key, the
  //    signature verifies, and the payload is raw DEFLATE.
  const jwks = await (await fetch(`${base}/.well-known/jwks.json`)).json();
  const header = jose.decodeProtectedHeader(jws);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, 'the kid is published');
  assert.equal(await jose.calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }), jwk.kid);
  const key = await jose.importJWK(jwk, 'ES256');
  const { payload } = await jose.compactVerify(jws, key);
  const claims = JSON.parse(inflateRawSync(Buffer.from(payload)).toString('utf8'));
  assert.deepEqual(claims, cred);

  // Revocation list of that key is published (empty for this person).
  const crl = await (await fetch(`${base}/.well-known/crl/${header.kid}.json`)).json();
  assert.equal(crl.method, 'rid');
  assert.ok(Array.isArray(crl.rids));
});
