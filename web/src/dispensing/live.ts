// Live drug orders: follows WebSocket topics (drug-order:<id>, pharmacy-orders:<pharmacy id>) on
// the tab's socket and calls `refresh` when an order changed; the page reads the order(s) again
// over HTTP (its own access applies). When the socket is down it polls `refresh` every `pollMs`
// instead, and reads once more when the socket comes back (events may have been missed).
import { computed, onBeforeUnmount, watch, type ComputedRef } from 'vue';
import { chatSocket, type WsEvent } from '@/chat/socket';

export interface DrugOrderEvent extends WsEvent {
  kind: 'drug_order';
  id: number;
  pharmacy_id: number;
  status: string;
  paid: boolean;
  updated_at: number;
}

export function useLiveOrders(
  topics: () => string[],
  refresh: (e?: DrugOrderEvent) => void | Promise<void>,
  pollMs = 5000,
): { live: ComputedRef<boolean> } {
  const socket = chatSocket();
  const live = computed(() => socket.state.value === 'open');
  const subs = new Map<string, () => void>();
  let timer: ReturnType<typeof setInterval> | undefined;
  let stopped = false;

  function sync(list: string[]) {
    const want = new Set(list);
    for (const [t, off] of subs)
      if (!want.has(t)) {
        off();
        subs.delete(t);
      }
    for (const t of want)
      if (!subs.has(t))
        subs.set(
          t,
          socket.subscribe({
            topic: t,
            afterSeq: () => 0,
            onEvent: (e) => {
              if (e.kind === 'drug_order') void refresh(e as DrugOrderEvent);
            },
          }),
        );
  }
  function poll() {
    if (timer) clearInterval(timer);
    timer = undefined;
    // Only while the socket is down and something is followed: live events replace the polling.
    if (!stopped && !live.value && topics().length > 0) timer = setInterval(() => void refresh(), pollMs);
  }
  watch(
    () => topics().join('|'),
    () => {
      sync(topics());
      poll();
    },
    { immediate: true },
  );
  watch(live, poll, { immediate: true });
  // A new connection may have missed events: read once.
  watch(socket.generation, () => void refresh());
  onBeforeUnmount(() => {
    stopped = true;
    if (timer) clearInterval(timer);
    for (const off of subs.values()) off();
    subs.clear();
  });
  return { live };
}
