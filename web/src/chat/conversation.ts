// One consultation's conversation as a page sees it: the messages in sequence order (deduped by
// seq, gaps filled from GET …/messages?after_seq=), the outbox of messages not yet acknowledged
// (each with its client_msg_id, resent on reconnect until stored once), the peer's typing and
// read position, and the consultation itself (status, queue) refreshed on `status`/`queue`
// events. Events are hints: after every (re)connection and on a seq jump the database is asked.
// While the socket is down the page polls, so nothing waits on the socket alone.
import { computed, onBeforeUnmount, reactive, ref, watch, type Ref } from 'vue';
import { ApiError } from '@/api';
import { type Id, directoryApi } from '@/api/directory';
import { session } from '@/session';
import { latest, useAlive } from '@/composables';
import { consultationApi, type Consultation, type Message, type SendInput } from '@/api/consultation';
import { chatSocket, type WsEvent } from './socket';

export type Side = 'patient' | 'doctor';

export interface Outgoing extends SendInput {
  /** The consultation it was written in: it goes there even if the page has moved on. */
  consultation_id: Id;
  /** Preview for an image or voice clip not yet stored. */
  localUrl?: string;
  /** The picture or clip still to upload (kept until it is stored, for a retry). */
  blob?: Blob;
  state: 'sending' | 'failed';
  error?: ApiError;
  created_at: number;
}

const RECALL_WINDOW_MS = 2 * 60 * 1000;
const POLL_MS = 3000;
const REST_FALLBACK_MS = 4000;

export function newClientMsgId(): string {
  if (typeof crypto !== 'undefined' && 'randomUUID' in crypto) return crypto.randomUUID();
  return `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

export function useConversation(id: Ref<Id>, side: Side) {
  const socket = chatSocket();
  const consultation = ref<Consultation | null>(null);
  const bySeq = reactive(new Map<number, Message>());
  const outbox = ref<Outgoing[]>([]);
  const peerTyping = ref(false);
  const peerReadSeq = ref(0);
  const loadError = ref<ApiError | null>(null);
  const loading = ref(true);
  let typingTimer: ReturnType<typeof setTimeout> | null = null;
  let lastTypingSent = 0;
  let lastReadSent = 0;
  let filling: Promise<void> | null = null;
  let pollTimer: ReturnType<typeof setInterval> | null = null;
  let unsubscribe: (() => void) | null = null;
  const alive = useAlive();

  const messages = computed(() => [...bySeq.values()].sort((a, b) => a.seq - b.seq));
  /** The highest seq up to which we hold every message (the after_seq to ask from). */
  const contiguousSeq = computed(() => {
    let s = 0;
    while (bySeq.has(s + 1)) s++;
    return s;
  });
  const connected = computed(() => socket.state.value === 'open');

  function apply(m: Message): void {
    const have = bySeq.get(m.seq);
    if (have) {
      if (m.recalled && !have.recalled) bySeq.set(m.seq, m);
    } else {
      bySeq.set(m.seq, m);
    }
    if (m.sender_role === side) {
      outbox.value = outbox.value.filter((o) => o.client_msg_id !== m.client_msg_id);
    } else if (m.sender_role !== 'system') {
      peerTyping.value = false;
      // A reply implies the peer read everything before it.
      peerReadSeq.value = Math.max(peerReadSeq.value, m.seq);
    }
    if (m.seq > contiguousSeq.value + 1) void fillGap();
  }

  /** Id 0 means "none chosen yet" (the workstation before a patient is picked). */
  const chosen = () => Number(id.value) > 0;
  /**
   * Whether the page still shows the consultation an answer was asked for. The workstation moves
   * between patients on one page: a late answer for the previous one is dropped, never shown under
   * the next one's name.
   */
  const still = (asked: Id) => String(id.value) === String(asked);

  async function fillGap(): Promise<void> {
    if (!chosen()) return;
    if (filling) return filling;
    const asked = id.value;
    let mine: Promise<void> | null = null;
    mine = (async () => {
      try {
        for (;;) {
          const after = contiguousSeq.value;
          const page = (await consultationApi.messages(asked, after)).items ?? [];
          if (!still(asked)) return;
          for (const m of page) apply(m);
          if (page.length < 200) break;
        }
      } catch {
        /* the next event, poll or reconnect asks again */
      } finally {
        if (filling === mine) filling = null;
      }
    })();
    filling = mine;
    return mine;
  }

  /**
   * Re-reads the last messages: a recall (within 2 minutes of sending) changes a message already
   * held, and its event is lost while the socket is down.
   */
  async function refreshRecent(): Promise<void> {
    if (!chosen()) return;
    try {
      const asked = id.value;
      const from = Math.max(0, contiguousSeq.value - 30);
      const page = (await consultationApi.messages(asked, from)).items ?? [];
      if (still(asked)) for (const m of page) apply(m);
    } catch {
      /* next time */
    }
  }

  async function reload(): Promise<void> {
    if (!chosen()) {
      consultation.value = null;
      loading.value = false;
      return;
    }
    const asked = id.value;
    try {
      const got = await consultationApi.get(asked);
      if (!still(asked)) return;
      consultation.value = got;
      peerReadSeq.value = Math.max(peerReadSeq.value, got.peer_read_seq ?? 0);
      loadError.value = null;
    } catch (e) {
      if (e instanceof ApiError && still(asked)) loadError.value = e;
    } finally {
      if (still(asked)) loading.value = false;
    }
  }

  function onEvent(e: WsEvent): void {
    switch (e.kind) {
      case 'message':
        apply((e.message ?? e) as Message);
        break;
      case 'gap':
      case 'resync': // the cross-node link was re-established: events may have been missed
      case 'changed': // an event too large to cross nodes: fetch what changed
        void fillGap();
        void refreshRecent();
        break;
      case 'recall': {
        const seq = Number(e.seq);
        const m = bySeq.get(seq);
        if (m) bySeq.set(seq, { ...m, recalled: true, text: m.sender_role === side ? m.text : '', upload_id: m.sender_role === side ? m.upload_id : null });
        else void fillGap();
        break;
      }
      case 'read':
        if (String(e.user_id) !== String(myUserId())) peerReadSeq.value = Math.max(peerReadSeq.value, Number(e.seq) || 0);
        break;
      case 'typing':
        if (e.role !== side) {
          peerTyping.value = true;
          if (typingTimer) clearTimeout(typingTimer);
          typingTimer = setTimeout(() => (peerTyping.value = false), 5000);
        }
        break;
      case 'status':
      case 'queue':
        if (consultation.value && e.kind === 'queue') {
          consultation.value = {
            ...consultation.value,
            queue: { position: Number(e.position), estimated_wait_s: Number(e.estimated_wait_s) },
          };
        }
        void reload();
        break;
      default:
        break;
    }
  }

  const myUserId = () => session.me?.id ?? null;

  function startPolling(): void {
    if (pollTimer) return;
    pollTimer = setInterval(() => {
      if (socket.state.value === 'open') return;
      void refreshRecent();
      void fillGap();
      void reload();
      void flushOutbox(true);
    }, POLL_MS);
  }

  async function deliver(o: Outgoing, viaRest: boolean): Promise<void> {
    const body: SendInput = { client_msg_id: o.client_msg_id, kind: o.kind };
    if (o.text !== undefined) body.text = o.text;
    if (o.upload_id !== undefined) body.upload_id = Number(o.upload_id);
    if (o.duration_ms !== undefined) body.duration_ms = o.duration_ms;
    try {
      const stored = viaRest
        ? await consultationApi.send(o.consultation_id, body)
        : await socket.call<Message>('consultation.send', { consultation_id: Number(o.consultation_id), ...body }, true);
      if (still(o.consultation_id)) apply(stored);
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, null);
      // A refusal (4xx) is final; a network failure stays in the outbox and is resent.
      if (err.status >= 400 && err.status < 500) {
        o.state = 'failed';
        o.error = err;
        outbox.value = [...outbox.value];
      }
    }
  }

  /** Sends what is still unacknowledged: by the socket, or by REST when the socket is down. */
  async function flushOutbox(viaRest = false): Promise<void> {
    for (const o of outbox.value) if (o.state === 'sending') void deliver(o, viaRest);
  }

  function push(o: Outgoing): void {
    outbox.value = [...outbox.value, o];
    const viaRest = !socket.isReady;
    void deliver(o, viaRest);
    if (!viaRest) {
      // No answer in a while: the socket may be half-dead; the same client_msg_id by REST is safe.
      setTimeout(() => {
        if (outbox.value.includes(o) && o.state === 'sending') void deliver(o, true);
      }, REST_FALLBACK_MS);
    }
  }

  function send(input: Omit<SendInput, 'client_msg_id'>): Outgoing {
    const o = reactive<Outgoing>({ ...input, consultation_id: id.value, client_msg_id: newClientMsgId(), state: 'sending', created_at: Date.now() }) as Outgoing;
    push(o);
    return o;
  }

  /** A picture or voice clip: shown at once from the local copy, uploaded, then sent. */
  async function sendFile(kind: 'image' | 'voice', blob: Blob, durationMs?: number): Promise<void> {
    const o = reactive<Outgoing>({
      kind,
      consultation_id: id.value,
      client_msg_id: newClientMsgId(),
      localUrl: URL.createObjectURL(blob),
      blob,
      duration_ms: durationMs,
      state: 'sending',
      created_at: Date.now(),
    }) as Outgoing;
    outbox.value = [...outbox.value, o];
    await uploadThenSend(o);
  }

  async function uploadThenSend(o: Outgoing): Promise<void> {
    if (o.upload_id === undefined && o.blob) {
      try {
        const name = o.kind === 'voice' ? 'voice.webm' : o.blob instanceof File ? o.blob.name : 'image';
        o.upload_id = (await directoryApi.upload(o.blob, name)).id;
      } catch (e) {
        o.state = 'failed';
        o.error = e instanceof ApiError ? e : new ApiError(0, null);
        outbox.value = [...outbox.value];
        return;
      }
    }
    outbox.value = outbox.value.filter((x) => x !== o);
    // Uploaded after the page moved to another patient: sent where it was written, out of sight.
    if (still(o.consultation_id)) push(o);
    else void deliver(o, !socket.isReady);
  }

  function retry(o: Outgoing): void {
    o.state = 'sending';
    o.error = undefined;
    outbox.value = [...outbox.value];
    if (o.upload_id === undefined && o.blob) void uploadThenSend(o);
    else void deliver(o, !socket.isReady);
  }

  function discard(o: Outgoing): void {
    outbox.value = outbox.value.filter((x) => x !== o);
  }

  async function recall(seq: number): Promise<void> {
    const asked = id.value;
    const m = await consultationApi.recall(asked, seq);
    if (still(asked)) apply({ ...m, recalled: true });
  }

  function canRecall(m: Message): boolean {
    return m.sender_role === side && !m.recalled && (m.kind === 'text' || m.kind === 'image' || m.kind === 'voice') &&
      Date.now() - m.created_at < RECALL_WINDOW_MS;
  }

  function typing(): void {
    const now = Date.now();
    if (now - lastTypingSent < 2500 || !socket.isReady) return;
    lastTypingSent = now;
    socket.call('consultation.typing', { consultation_id: Number(id.value) }).catch(() => undefined);
  }

  /** Tells the peer how far this side has read (only messages from the other side count). */
  function markRead(): void {
    if (document.visibilityState === 'hidden') return;
    const last = messages.value.filter((m) => m.sender_role !== side).at(-1);
    if (!last || last.seq <= lastReadSent) return;
    lastReadSent = last.seq;
    const p = socket.isReady
      ? socket.call('consultation.read', { consultation_id: Number(id.value), seq: last.seq })
      : consultationApi.read(id.value, last.seq);
    p.catch(() => (lastReadSent = 0));
  }

  const openTurn = latest();
  async function open(): Promise<void> {
    const mine = openTurn();
    consultation.value = null;
    loadError.value = null;
    filling = null;
    bySeq.clear();
    outbox.value = [];
    peerTyping.value = false;
    peerReadSeq.value = 0;
    lastReadSent = 0;
    loading.value = true;
    unsubscribe?.();
    unsubscribe = null;
    await reload();
    // Another choice meanwhile (even of this same consultation again, A → B → A): the newest open()
    // subscribes, this one does not, so no subscription is left behind to feed a later desk.
    if (!alive() || loadError.value || !chosen() || !mine()) return;
    unsubscribe = socket.subscribe({
      topic: `consultation:${id.value}`,
      afterSeq: () => contiguousSeq.value,
      onEvent,
    });
    await fillGap();
    // Left while the first messages loaded: no poll that nothing would stop.
    if (!alive()) return;
    startPolling();
  }

  // After every reconnection: catch up from the database and resend the outbox.
  watch(socket.generation, () => {
    void refreshRecent();
    void fillGap();
    void reload();
    void flushOutbox(false);
  });
  watch(() => messages.value.length, () => markRead());
  const onVisible = () => markRead();
  document.addEventListener('visibilitychange', onVisible);

  watch(id, () => void open(), { immediate: true });

  onBeforeUnmount(() => {
    unsubscribe?.();
    if (pollTimer) clearInterval(pollTimer);
    if (typingTimer) clearTimeout(typingTimer);
    document.removeEventListener('visibilitychange', onVisible);
  });

  return {
    consultation,
    messages,
    outbox,
    peerTyping,
    peerReadSeq,
    loading,
    loadError,
    connected,
    socketState: socket.state,
    reload,
    /** Loads the consultation afresh (after it failed to load). */
    reopen: open,
    /** Takes in a message the caller got from the API itself (e.g. a recorded phone call). */
    apply,
    send,
    sendFile,
    retry,
    discard,
    recall,
    canRecall,
    typing,
    markRead,
    socket,
  };
}
