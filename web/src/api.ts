// The HTTP client for /api/v1 (docs/api.md): session cookie + CSRF header,
// uniform errors, "server down" detection, the live change feed (SSE) and
// uploads with progress.
import { signal } from './signal';

export interface User {
  username: string;
  display_name?: string;
  role: string;
  scope?: unknown;
  institution?: string;
  [k: string]: unknown;
}

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public retryAfter?: number,
  ) {
    super(message);
  }
}

export const session = signal<User | null | undefined>(undefined); // undefined: not known yet
export const serverDown = signal(false);
export const live = signal(false);
/** Why the login page is shown: 'expired', 'loggedout' or ''. */
export const loginReason = signal<'' | 'expired' | 'loggedout'>('');

const BASE = '/api/v1';
let csrf = readCsrf();

function readCsrf(): string {
  try {
    return sessionStorage.getItem('fx.csrf') ?? '';
  } catch {
    return '';
  }
}
function saveCsrf(v: string) {
  csrf = v;
  try {
    if (v) sessionStorage.setItem('fx.csrf', v);
    else sessionStorage.removeItem('fx.csrf');
  } catch {
    /* ignore */
  }
}

export async function errorFrom(res: Response): Promise<ApiError> {
  let code = `http_${res.status}`;
  let message = res.statusText || `HTTP ${res.status}`;
  try {
    const body = await res.json();
    if (body?.error) {
      code = body.error.code ?? code;
      message = body.error.message ?? message;
    }
  } catch {
    /* not JSON */
  }
  const ra = res.headers.get('Retry-After');
  const retry = ra ? Number(ra) : undefined;
  return new ApiError(res.status, code, message, Number.isFinite(retry) ? retry : undefined);
}

function markDown() {
  if (!serverDown.get()) {
    serverDown.set(true);
    pollHealth();
  }
}

let polling = false;
async function pollHealth() {
  if (polling) return;
  polling = true;
  while (serverDown.get()) {
    await new Promise((r) => setTimeout(r, 2500));
    try {
      const res = await fetch('/healthz', { cache: 'no-store' });
      if (res.status < 500) serverDown.set(false);
    } catch {
      /* still down */
    }
  }
  polling = false;
}

function expired() {
  if (session.get()) loginReason.set('expired');
  session.set(null);
  saveCsrf('');
}

export interface Opts {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  /** Do not treat 401 as an expired session (login itself). */
  noAuthRedirect?: boolean;
}

export function url(path: string, query?: Opts['query']): string {
  const u = new URL(BASE + path, location.origin);
  if (query)
    for (const [k, v] of Object.entries(query))
      if (v !== undefined && v !== null && v !== '') u.searchParams.set(k, String(v));
  return u.pathname + u.search;
}

export async function api<T = any>(path: string, opts: Opts = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: BodyInit | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let res: Response;
  try {
    res = await fetch(url(path, opts.query), { method, headers, body, credentials: 'same-origin' });
  } catch (e) {
    markDown();
    throw new ApiError(0, 'network', String(e));
  }
  if (res.status === 502 || res.status === 503 || res.status === 504) {
    markDown();
    throw await errorFrom(res);
  }
  if (serverDown.get()) serverDown.set(false);
  if (res.status === 401 && !opts.noAuthRedirect) {
    expired();
    throw await errorFrom(res);
  }
  if (!res.ok) throw await errorFrom(res);
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('Content-Type') ?? '';
  return (type.includes('json') ? res.json() : res.text()) as Promise<T>;
}

// ---- session

export async function login(username: string, password: string): Promise<User> {
  const r = await api<{ user: User; csrf_token?: string }>('/login', {
    method: 'POST',
    body: { username, password },
    noAuthRedirect: true,
  });
  saveCsrf(r.csrf_token ?? '');
  const user = r.user ?? (r as unknown as User);
  loginReason.set('');
  session.set(user);
  return user;
}

export async function logout() {
  try {
    await api('/logout', { method: 'POST', noAuthRedirect: true });
  } catch {
    /* the session ends locally anyway */
  }
  saveCsrf('');
  loginReason.set('loggedout');
  session.set(null);
}

export async function loadMe() {
  try {
    const me = await api<any>('/me', { noAuthRedirect: true });
    const user: User = me?.user ?? me;
    if (me?.csrf_token) saveCsrf(me.csrf_token);
    session.set(user);
  } catch (e) {
    if (e instanceof ApiError && e.status === 0) {
      // Server down: keep retrying until it answers.
      setTimeout(loadMe, 3000);
      return;
    }
    session.set(null);
  }
}

// ---- live change feed

type Listener = (change: any) => void;
const listeners = new Set<Listener>();
let source: EventSource | null = null;

export function onChange(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function startEvents() {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource(url('/events'));
  source.onopen = () => {
    live.set(true);
    if (serverDown.get()) serverDown.set(false);
  };
  source.onerror = () => {
    live.set(false);
    // EventSource reconnects by itself; if the server is gone, say so.
    fetch('/healthz', { cache: 'no-store' }).catch(() => markDown());
    if (source?.readyState === EventSource.CLOSED) {
      source = null;
      setTimeout(() => session.get() && startEvents(), 5000);
    }
  };
  source.addEventListener('change', (ev) => {
    let data: any = (ev as MessageEvent).data;
    try {
      data = JSON.parse(data);
    } catch {
      /* plain text */
    }
    for (const fn of [...listeners]) fn(data);
  });
}

export function stopEvents() {
  source?.close();
  source = null;
  live.set(false);
}

// ---- uploads

export interface UploadProgress {
  phase: 'upload' | 'server';
  fraction?: number; // 0..1 when known
  rows?: number;
}

/**
 * Uploads a file as the raw body. Asks for `text/event-stream` so a server that
 * streams progress can do so; a plain JSON answer works too. Resolves with the
 * final report.
 */
export function upload(
  path: string,
  file: File,
  onProgress: (p: UploadProgress) => void,
): Promise<any> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url(path, { filename: file.name }));
    xhr.setRequestHeader('Accept', 'text/event-stream, application/json');
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    let seen = 0;
    let buffer = '';
    let report: any = null;
    let streamError: ApiError | null = null;
    const isStream = () => (xhr.getResponseHeader('Content-Type') ?? '').includes('event-stream');
    const consume = () => {
      if (!isStream()) return;
      buffer += xhr.responseText.slice(seen);
      seen = xhr.responseText.length;
      let idx;
      while ((idx = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, idx);
        buffer = buffer.slice(idx).replace(/^\r?\n\r?\n/, '');
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split(/\r?\n/)) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        let payload: any = data.join('\n');
        try {
          payload = JSON.parse(payload);
        } catch {
          /* text */
        }
        if (event === 'progress') {
          const total = payload?.total ?? payload?.rows_total;
          const rows = payload?.rows ?? payload?.done ?? payload?.read;
          const fraction =
            typeof payload?.fraction === 'number'
              ? payload.fraction
              : total && rows !== undefined
                ? rows / total
                : undefined;
          onProgress({ phase: 'server', rows, fraction });
        } else if (event === 'error') {
          const err = payload?.error ?? payload;
          streamError = new ApiError(400, err?.code ?? 'import_failed', err?.message ?? String(err));
        } else if (event === 'report' || event === 'done' || event === 'result' || payload?.rejected !== undefined) {
          report = payload?.report ?? payload;
        }
      }
    };
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress({ phase: 'upload', fraction: e.loaded / e.total });
    };
    xhr.onprogress = consume;
    xhr.onerror = () => {
      markDown();
      reject(new ApiError(0, 'network', 'network error'));
    };
    xhr.onload = () => {
      if (xhr.status === 401) {
        expired();
        return reject(new ApiError(401, 'unauthorized', xhr.statusText));
      }
      if (xhr.status >= 400) {
        let code = `http_${xhr.status}`;
        let message = xhr.statusText;
        let body: any = null;
        try {
          body = JSON.parse(xhr.responseText);
          code = body?.error?.code ?? code;
          message = body?.error?.message ?? message;
        } catch {
          /* not JSON */
        }
        const e = new ApiError(xhr.status, code, message);
        (e as any).body = body;
        return reject(e);
      }
      consume();
      if (streamError) return reject(streamError);
      if (report) return resolve(report);
      try {
        resolve(JSON.parse(xhr.responseText));
      } catch {
        reject(new ApiError(xhr.status, 'bad_response', xhr.responseText.slice(0, 200)));
      }
    };
    xhr.send(file);
  });
}

/** Whether the signed-in caller has a permission (`/me` → `permissions`). */
export function can(perm: string, user: User | null | undefined = session.get()): boolean {
  const perms = (user as any)?.permissions;
  return Array.isArray(perms) && perms.includes(perm);
}

/** Institutions the caller may see, from `/me` → `scope` (empty when all). */
export function scopeInstitutions(user: User | null | undefined = session.get()): { code: string; name: string }[] {
  const s: any = (user as any)?.scope;
  return s && !s.all_institutions && Array.isArray(s.institutions) ? s.institutions : [];
}

/** Lists may come bare or wrapped ({items}, {institutions}, …). */
export function listOf<T = any>(x: any, ...keys: string[]): T[] {
  if (Array.isArray(x)) return x;
  for (const k of [...keys, 'items', 'data', 'results'])
    if (x && Array.isArray(x[k])) return x[k];
  return [];
}
