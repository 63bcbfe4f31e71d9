// Offline verification of an ihos SMART Health Card in the browser: shc:/ numeric decoding, the
// ES256 signature with WebCrypto against cached issuer keys, the raw-DEFLATE payload with
// DecompressionStream('deflate-raw'), nbf/exp against the device clock. Needs no network once the
// issuer's JWKS is cached (localStorage); online, the CRL is checked too.

export type Outcome =
  | 'valid'
  | 'expired'
  | 'not_yet_valid'
  | 'invalid_signature'
  | 'unknown_key'
  | 'wrong_issuer'
  | 'revoked'
  | 'malformed';

export interface CardView {
  result: Outcome;
  colour?: 'green' | 'yellow' | 'red';
  name_masked?: string;
  id_number_masked?: string;
  birth_date?: string;
  issued_at?: number;
  expires_at?: number;
  latest_test?: 'negative' | 'positive';
  kid?: string;
  rid?: string;
}

interface Jwk {
  kid: string;
  kty: string;
  crv: string;
  x: string;
  y: string;
}

const JWKS_KEY = 'ihos.healthcode.jwks';

function b64urlToBytes(s: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('b64url');
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function qrToJws(text: string): string | null {
  const t = text.trim();
  if (!t.startsWith('shc:/')) return null;
  const digits = t.slice(5);
  if (digits.length === 0 || digits.length % 2 !== 0 || !/^\d+$/.test(digits)) return null;
  let out = '';
  for (let i = 0; i < digits.length; i += 2) out += String.fromCharCode(Number(digits.slice(i, i + 2)) + 45);
  return out;
}

async function inflateRaw(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return await new Response(stream).text();
}

/** The issuer keys cached on this device (refreshed whenever the network answers). */
export function cachedKeys(): Jwk[] {
  try {
    return (JSON.parse(localStorage.getItem(JWKS_KEY) || '{"keys":[]}').keys ?? []) as Jwk[];
  } catch {
    return [];
  }
}

export async function refreshKeys(): Promise<boolean> {
  try {
    const res = await fetch('/.well-known/jwks.json', { cache: 'no-store' });
    if (!res.ok) return false;
    const jwks = await res.json();
    localStorage.setItem(JWKS_KEY, JSON.stringify(jwks));
    return true;
  } catch {
    return false;
  }
}

/** Verifies `text` with the cached keys only; `issuer` is this site's origin. */
export async function verifyOffline(text: string, now = Date.now(), issuer = location.origin): Promise<CardView> {
  const jws = qrToJws(text);
  if (!jws) return { result: 'malformed' };
  const parts = jws.split('.');
  if (parts.length !== 3) return { result: 'malformed' };
  let header: { alg?: string; zip?: string; kid?: string };
  let payload: any;
  let sig: Uint8Array;
  try {
    header = JSON.parse(new TextDecoder().decode(b64urlToBytes(parts[0])));
    sig = b64urlToBytes(parts[2]);
    if (header.alg !== 'ES256' || header.zip !== 'DEF' || !header.kid) return { result: 'malformed' };
  } catch {
    return { result: 'malformed' };
  }
  const jwk = cachedKeys().find((k) => k.kid === header.kid);
  if (!jwk) return { result: 'unknown_key', kid: header.kid };
  try {
    const key = await crypto.subtle.importKey(
      'jwk',
      { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y, ext: true },
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    );
    // JWS ES256 signatures are the raw r||s form WebCrypto expects.
    const ok = await crypto.subtle.verify(
      { name: 'ECDSA', hash: 'SHA-256' },
      key,
      sig as BufferSource,
      new TextEncoder().encode(`${parts[0]}.${parts[1]}`) as BufferSource,
    );
    if (!ok) return { result: 'invalid_signature', kid: header.kid };
    payload = JSON.parse(await inflateRaw(b64urlToBytes(parts[1])));
  } catch {
    return { result: 'malformed' };
  }
  try {
    const [patient, obs] = payload.vc.credentialSubject.fhirBundle.entry.map((e: any) => e.resource);
    const view: CardView = {
      result: 'valid',
      colour: obs.valueCodeableConcept.coding[0].code,
      name_masked: patient.name?.[0]?.text,
      id_number_masked: patient.identifier?.[0]?.value,
      birth_date: patient.birthDate,
      issued_at: payload.nbf * 1000,
      expires_at: payload.exp * 1000,
      latest_test: obs.component ? (obs.component[0].valueCodeableConcept.coding[0].code === '260385009' ? 'negative' : 'positive') : undefined,
      kid: header.kid,
      rid: payload.vc.rid,
    };
    if (payload.iss !== issuer) view.result = 'wrong_issuer';
    else if (now < payload.nbf * 1000 - 60_000) view.result = 'not_yet_valid';
    else if (now >= payload.exp * 1000) view.result = 'expired';
    return view;
  } catch {
    return { result: 'malformed' };
  }
}

/** Online only: is this card's rid on the key's revocation list? null when the network is down. */
export async function isRevoked(view: CardView): Promise<boolean | null> {
  if (!view.kid || !view.rid || !view.issued_at) return false;
  try {
    const res = await fetch(`/.well-known/crl/${encodeURIComponent(view.kid)}.json`, { cache: 'no-store' });
    if (!res.ok) return null;
    const crl = (await res.json()) as { rids: string[] };
    const nbf = view.issued_at / 1000;
    return crl.rids.some((r) => {
      const [rid, ts] = r.split('.');
      return rid === view.rid && (ts === undefined || nbf < Number(ts));
    });
  } catch {
    return null;
  }
}
