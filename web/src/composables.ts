import { computed, onBeforeUnmount, ref, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { ApiError, pick, type Locale, type LocalizedText } from '@/api';

/**
 * Holds the last API error of a form and renders it in the current UI language — switching the
 * language re-renders the server's message in the other language without asking again.
 */
export function useApiError() {
  const { t, locale } = useI18n();
  const error = ref<ApiError | null>(null);

  function text(msg: LocalizedText | undefined): string {
    return pick(msg, locale.value as Locale);
  }

  const message = computed(() => {
    const e = error.value;
    if (!e) return '';
    const m = text(e.text);
    if (m) return m;
    if (e.status === 0) return t('common.networkError');
    return t('common.serverError', { status: e.status });
  });

  function field(name: string): string {
    const f = error.value?.fields[name];
    return f ? text(f) : '';
  }

  /** Field errors for fields the form does not show, so none is lost. */
  function otherFields(shown: string[]): string[] {
    const e = error.value;
    if (!e) return [];
    return Object.keys(e.fields)
      .filter((k) => !shown.includes(k))
      .map((k) => text(e.fields[k]))
      .filter((m) => m && m !== message.value);
  }

  function set(e: unknown): void {
    error.value = e instanceof ApiError ? e : new ApiError(0, null);
  }

  function clear(): void {
    error.value = null;
  }

  return { error, message, field, otherFields, set, clear };
}

export function useFormat() {
  const { locale } = useI18n();
  function dateTime(ms: number): string {
    return new Intl.DateTimeFormat(locale.value, {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(new Date(ms));
  }
  function longDate(d: Date = new Date()): string {
    return new Intl.DateTimeFormat(locale.value, {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      weekday: 'long',
    }).format(d);
  }
  return { dateTime, longDate };
}

/**
 * For a view whose data follows a choice (a person's tab, a day, a filter, a search): each load
 * takes a turn, and only the newest turn's answer may be shown. An older answer that arrives late
 * (a slow network, a quick user) is dropped, never shown under the newer choice.
 *
 *   const turn = latest();
 *   async function load() {
 *     const mine = turn();
 *     const r = await api.list(filter.value);
 *     if (!mine()) return;
 *     items.value = r.items;
 *   }
 */
export function latest(): () => () => boolean {
  let n = 0;
  return () => {
    const mine = ++n;
    return () => mine === n;
  };
}

/**
 * False once the component is unmounted. Work that resumes after an `await` checks it before it
 * subscribes, starts a timer, a camera or a microphone, or navigates: the cleanup in
 * onBeforeUnmount has already run by then, and the address is another page's.
 */
export function useAlive(): () => boolean {
  let alive = true;
  onBeforeUnmount(() => {
    alive = false;
  });
  return () => alive;
}

/**
 * The device camera reading QR codes (the health-code gate, the pharmacy counter's pickup scan):
 * `start()` asks for the camera and calls `onText` with each code read; `stop()` ends it, as does
 * leaving the page. A start overtaken while the reader loads or the browser asks for permission (by
 * 停止, a second tap, or leaving) stops its own camera the moment it gets one: no camera is left
 * running, and reading codes, that nothing can stop. `start()` throws when there is no camera or it
 * is not allowed (a DOMException NotAllowedError / SecurityError). Starts wait for the one before
 * them: while a browser's permission prompt stays open, a later start waits for its answer.
 */
export function useQrCamera(video: Ref<HTMLVideoElement | null>, onText: (text: string) => void) {
  const on = ref(false);
  let controls: { stop: () => void } | null = null;
  const turn = latest();
  const alive = useAlive();
  // Starts open the camera one after another: all draw into the one <video>, and stopping an
  // overtaken start clears that element, which must not happen under a newer start's picture.
  let queue: Promise<unknown> = Promise.resolve();
  function release() {
    controls?.stop();
    controls = null;
  }
  function start(): Promise<void> {
    const mine = turn();
    release();
    const run = queue.then(() => open(mine));
    queue = run.catch(() => undefined);
    return run;
  }
  async function open(mine: () => boolean): Promise<void> {
    const current = () => mine() && alive();
    if (!current()) return;
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('no camera API');
      const { BrowserQRCodeReader } = await import('@zxing/browser');
      if (!current() || !video.value) return;
      on.value = true;
      const c = await new BrowserQRCodeReader().decodeFromVideoDevice(undefined, video.value, (r) => {
        if (r && current()) onText(r.getText());
      });
      if (!current()) {
        c.stop();
        return;
      }
      controls = c;
    } catch (e) {
      // An overtaken start's failure is not the newer start's: nothing is said.
      if (!mine()) return;
      on.value = false;
      throw e;
    }
  }
  function stop(): void {
    turn();
    release();
    on.value = false;
  }
  onBeforeUnmount(stop);
  return { on, start, stop };
}

/**
 * True while the window is phone-narrow (max 720 px by default): staff pages show stacked cards
 * instead of a wide table there.
 */
export function useNarrow(query = '(max-width: 720px)') {
  const mq = window.matchMedia(query);
  const narrow = ref(mq.matches);
  const on = (e: MediaQueryListEvent) => (narrow.value = e.matches);
  mq.addEventListener('change', on);
  onBeforeUnmount(() => mq.removeEventListener('change', on));
  return narrow;
}

/**
 * 获取验证码 with its 60 s countdown (registration, password reset). `send` asks the server for a
 * code; `sending` while it runs, `sent` once a code went out, `wait` the seconds before another may
 * be asked for (the server refuses sooner with sms_too_frequent). A refusal goes to `err`.
 */
export function useSmsCode(err: ReturnType<typeof useApiError>, send: () => Promise<unknown>) {
  const sending = ref(false);
  const sent = ref(false);
  const wait = ref(0);
  let timer: ReturnType<typeof setInterval> | undefined;
  onBeforeUnmount(() => clearInterval(timer));
  async function sendCode() {
    err.clear();
    sending.value = true;
    try {
      await send();
      sent.value = true;
      wait.value = 60;
      clearInterval(timer);
      timer = setInterval(() => {
        wait.value -= 1;
        if (wait.value <= 0) clearInterval(timer);
      }, 1000);
    } catch (e) {
      err.set(e);
    } finally {
      sending.value = false;
    }
  }
  return { sending, sent, wait, sendCode };
}
