// The one HTTP client of the app: JSON in and out, the session, Accept-Language from the UI
// locale, and problem+json errors turned into ApiError values the pages can show in either language.
//
// The session itself is an HttpOnly cookie set by the server at sign-in (no script can read it).
// What is kept here is not secret: the session's CSRF token, sent back in X-CSRF-Token (the server
// refuses a cookie-authenticated change without it), and when the session ends.
import type { LocalizedText, Locale, Problem } from './types';

const CSRF_KEY = 'ihos.csrf';
const SESSION_EXPIRES_KEY = 'ihos.session_expires_at';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Server message in both languages; empty for network failures. */
  readonly text: LocalizedText;
  readonly fields: Record<string, LocalizedText>;
  /** Every field error in server order, with its stable code (e.g. one per CSV line). */
  readonly errors: { field: string; code: string; message: LocalizedText }[];
  readonly requestId?: string;

  constructor(status: number, problem: Problem | null) {
    super(problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.code = problem?.code ?? (status === 0 ? 'network_error' : 'http_error');
    this.text = problem?.message ?? {};
    this.fields = {};
    this.errors = [];
    for (const e of problem?.errors ?? []) {
      if (e && typeof e.field === 'string' && e.message) this.fields[e.field] = e.message;
      if (e && typeof e.field === 'string') this.errors.push({ field: e.field, code: e.code ?? '', message: e.message ?? {} });
    }
    this.requestId = problem?.request_id;
  }
}

/** Picks the text for the locale, falling back to the other language. */
export function pick(text: LocalizedText | undefined, locale: Locale): string {
  if (!text) return '';
  return text[locale] ?? text['zh-CN'] ?? text.en ?? '';
}

let currentLocale: Locale = 'zh-CN';
let onUnauthorized: (() => void) | null = null;

export function setApiLocale(locale: Locale): void {
  currentLocale = locale;
}

export function setUnauthorizedHandler(fn: () => void): void {
  onUnauthorized = fn;
}

/** The CSRF token of the signed-in session, or null when this tab has no (unexpired) session. */
export function getCsrf(): string | null {
  const csrf = localStorage.getItem(CSRF_KEY);
  if (!csrf) return null;
  const exp = Number(localStorage.getItem(SESSION_EXPIRES_KEY) ?? 0);
  if (exp && exp <= Date.now()) {
    clearSession();
    return null;
  }
  return csrf;
}

/** Whether the app believes it is signed in (the cookie itself is invisible to scripts). */
export function hasSession(): boolean {
  return getCsrf() !== null;
}

export function setSession(csrf: string, expiresAt: number): void {
  localStorage.setItem(CSRF_KEY, csrf);
  localStorage.setItem(SESSION_EXPIRES_KEY, String(expiresAt || 0));
}

export function clearSession(): void {
  localStorage.removeItem(CSRF_KEY);
  localStorage.removeItem(SESSION_EXPIRES_KEY);
  // A token kept by a build before the cookie session: forget it.
  localStorage.removeItem('ihos.token');
  localStorage.removeItem('ihos.token_expires_at');
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /** Do not treat 401 as "session over" (used for the login call itself and /meta). */
  noAuthRedirect?: boolean;
  /** A raw body (a file upload) sent as is with its own Content-Type instead of JSON. */
  raw?: Blob;
  /** Extra request headers (e.g. X-File-Name of an upload). */
  headers?: Record<string, string>;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let url = `/api/v1${path}`;
  if (opts.query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined) qs.set(k, String(v));
    const s = qs.toString();
    if (s) url += `?${s}`;
  }
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': currentLocale,
  };
  const csrf = getCsrf();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (opts.raw) headers['Content-Type'] = opts.raw.type || 'application/octet-stream';
  Object.assign(headers, opts.headers);

  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, null);
  }

  if (res.status === 204) return undefined as T;
  const raw = await res.text();
  let data: unknown = null;
  if (raw) {
    try {
      data = JSON.parse(raw);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !opts.noAuthRedirect) {
      clearSession();
      onUnauthorized?.();
    }
    throw new ApiError(res.status, (data && typeof data === 'object' ? data : null) as Problem | null);
  }
  return data as T;
}

/**
 * Fetches bytes the API guards with the session (an uploaded certificate) and returns an object URL
 * for <img>/<embed>; the caller revokes it. Errors are ApiError values like request()'s.
 */
export async function requestBlob(path: string): Promise<{ url: string; type: string }> {
  const headers: Record<string, string> = { 'Accept-Language': currentLocale };
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, { headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, null);
  }
  if (!res.ok) {
    let problem: Problem | null = null;
    try {
      problem = (await res.json()) as Problem;
    } catch {
      problem = null;
    }
    throw new ApiError(res.status, problem);
  }
  const blob = await res.blob();
  return { url: URL.createObjectURL(blob), type: blob.type || res.headers.get('content-type') || '' };
}
