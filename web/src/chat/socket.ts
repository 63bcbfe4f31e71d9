// The web client of /api/v1/ws (protocol: src/domain/consultation/README.md). One socket per
// signed-in tab: it authenticates with a first frame {"type":"auth"} (the session cookie went with the upgrade),
// re-subscribes every topic after a reconnect from the caller's last seen sequence, and resends
// retryable calls (consultation.send carries a client_msg_id, so a resend is stored once).
// Reconnects with exponential backoff and jitter; an unauthenticated answer ends it for good.
import { ref, type Ref } from 'vue';
import { ApiError, getCsrf } from '@/api';
import type { Problem } from '@/api';

export type SocketState = 'idle' | 'connecting' | 'open' | 'closed';

export interface WsEvent {
  kind: string;
  [k: string]: unknown;
}

interface Subscription {
  topic: string;
  afterSeq: () => number;
  onEvent: (e: WsEvent) => void;
  onError?: (e: ApiError) => void;
}

interface PendingCall {
  ref: string;
  method: string;
  params: Record<string, unknown>;
  retry: boolean;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

const MIN_BACKOFF_MS = 400;
const MAX_BACKOFF_MS = 10_000;
const PING_EVERY_MS = 15_000;
const PONG_WAIT_MS = 6_000;

export class ChatSocket {
  readonly state: Ref<SocketState> = ref('idle');
  /** Increases on every successful (re)connection: listeners refresh from the database then. */
  readonly generation = ref(0);
  private ws: WebSocket | null = null;
  private ready = false;
  private stopped = false;
  private backoff = MIN_BACKOFF_MS;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private nextRef = 1;
  private readonly subs = new Set<Subscription>();
  private readonly calls = new Map<string, PendingCall>();
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private lastPong = 0;
  private readonly onOnline = () => this.reconnectNow();
  // The device says the network is gone: do not wait for TCP to notice.
  private readonly onOffline = () => this.drop();

  constructor(private readonly url = ChatSocket.defaultUrl()) {
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
  }

  static defaultUrl(): string {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${proto}//${location.host}/api/v1/ws`;
  }

  get isReady(): boolean {
    return this.ready;
  }

  connect(): void {
    if (this.stopped || this.ws) return;
    // The socket signs in with the session cookie (sent with the upgrade; the server checks Origin).
    if (!getCsrf()) return;
    this.state.value = 'connecting';
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth' }));
    ws.onmessage = (ev) => this.onFrame(ev.data);
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.stopPing();
      this.ws = null;
      this.ready = false;
      this.state.value = 'closed';
      // Calls that may not be retried fail now; retryable ones wait for the next connection.
      for (const [r, c] of this.calls) {
        if (!c.retry) {
          this.calls.delete(r);
          c.reject(new ApiError(0, null));
        }
      }
      this.scheduleReconnect();
    };
    ws.onerror = () => {
      /* onclose follows */
    };
  }

  /** Closes the socket (e.g. the network is gone) and reconnects at once or after the backoff. */
  drop(): void {
    const ws = this.ws;
    if (!ws) return;
    ws.close();
    // close() waits for the server's answer, which may never come on a dead link.
    ws.onclose?.(new CloseEvent('close'));
  }

  // A half-open connection (no FIN ever arrives) is found by a ping left unanswered.
  private startPing(): void {
    this.stopPing();
    this.lastPong = Date.now();
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastPong > PING_EVERY_MS + PONG_WAIT_MS) {
        this.drop();
        return;
      }
      this.sendFrame({ type: 'ping' });
    }, PING_EVERY_MS);
  }

  private stopPing(): void {
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.pingTimer = null;
  }

  reconnectNow(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.backoff = MIN_BACKOFF_MS;
    if (!this.ws) this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    if (this.timer) clearTimeout(this.timer);
    this.stopPing();
    this.ws?.close();
    this.ws = null;
    this.state.value = 'closed';
    for (const c of this.calls.values()) c.reject(new ApiError(0, null));
    this.calls.clear();
  }

  subscribe(sub: Subscription): () => void {
    this.subs.add(sub);
    if (this.ready) this.sendSubscribe(sub);
    else this.connect();
    return () => {
      this.subs.delete(sub);
      if (this.ready) this.sendFrame({ type: 'unsubscribe', topic: sub.topic });
    };
  }

  /**
   * Calls a method. `retry` calls (idempotent ones) survive a reconnect and are sent again;
   * the others fail with a network ApiError when the socket is not open.
   */
  call<T>(method: string, params: Record<string, unknown>, retry = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const r = `c${this.nextRef++}`;
      if (!retry && !this.ready) {
        reject(new ApiError(0, null));
        return;
      }
      const pending: PendingCall = { ref: r, method, params, retry, resolve: resolve as (v: unknown) => void, reject };
      this.calls.set(r, pending);
      if (this.ready) this.sendCall(pending);
      else this.connect();
    });
  }

  /** Forgets a pending retryable call (its caller gave up or succeeded another way). */
  abandon(params: Record<string, unknown>): void {
    for (const [r, c] of this.calls) if (c.params === params) this.calls.delete(r);
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.timer) return;
    const delay = this.backoff * (0.75 + Math.random() * 0.5);
    this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }

  private sendFrame(frame: unknown): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private sendSubscribe(s: Subscription): void {
    this.sendFrame({ type: 'subscribe', ref: `sub:${s.topic}`, topic: s.topic, after_seq: s.afterSeq() });
  }

  private sendCall(c: PendingCall): void {
    this.sendFrame({ type: 'call', ref: c.ref, method: c.method, params: c.params });
  }

  private onFrame(data: unknown): void {
    if (typeof data !== 'string') return;
    let f: Record<string, unknown>;
    try {
      f = JSON.parse(data) as Record<string, unknown>;
    } catch {
      return;
    }
    this.lastPong = Date.now();  // any frame proves the link is alive
    switch (f.type) {
      case 'ready':
        this.ready = true;
        this.backoff = MIN_BACKOFF_MS;
        this.state.value = 'open';
        this.startPing();
        this.generation.value++;
        for (const s of this.subs) this.sendSubscribe(s);
        for (const c of this.calls.values()) this.sendCall(c);
        break;
      case 'event': {
        const topic = String(f.topic ?? '');
        const ev = f.event as WsEvent | undefined;
        if (!ev) break;
        for (const s of this.subs) if (s.topic === topic) s.onEvent(ev);
        break;
      }
      case 'result': {
        const c = this.calls.get(String(f.ref));
        if (!c) break;
        this.calls.delete(c.ref);
        c.resolve(f.result);
        break;
      }
      case 'error': {
        const problem = (f.problem ?? null) as Problem | null;
        const err = new ApiError(problem?.status ?? 400, problem);
        const ref = typeof f.ref === 'string' ? f.ref : '';
        if (ref.startsWith('sub:')) {
          for (const s of this.subs) if (`sub:${s.topic}` === ref) s.onError?.(err);
        } else if (ref) {
          const c = this.calls.get(ref);
          if (c) {
            this.calls.delete(c.ref);
            c.reject(err);
          }
        } else if (f.topic !== undefined) {
          for (const s of this.subs) if (s.topic === f.topic) s.onError?.(err);
        } else if (err.status === 401 || err.code === 'unauthenticated') {
          this.stop();
        }
        break;
      }
      default:
        break;
    }
  }
}

let shared: { token: string; socket: ChatSocket } | null = null;

/** The tab's socket for the current session (a new one after signing in as someone else). */
export function chatSocket(): ChatSocket {
  const token = getCsrf() ?? '';
  if (!shared || shared.token !== token) {
    shared?.socket.stop();
    shared = { token, socket: new ChatSocket() };
  }
  shared.socket.connect();
  return shared.socket;
}
