// Shared bits of the billing pages: the hold countdown, money and rule labels in the UI language.
import { computed, onBeforeUnmount, ref, watch, type Ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { fen, mmss, SPLIT_RULES, type Order } from '@/api/billing';

/**
 * Seconds left to pay, counted down locally from the server's hold_seconds_left (not from
 * hold_until, so a skewed phone clock does not matter). null when the order holds nothing.
 */
export function useHoldCountdown(order: Ref<Order | null | undefined>) {
  const left = ref<number | null>(null);
  let deadline = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const tick = () => {
    left.value = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    if (left.value === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  watch(
    () => [order.value?.id, order.value?.status, order.value?.hold_seconds_left] as const,
    () => {
      if (timer) clearInterval(timer);
      timer = undefined;
      const o = order.value;
      if (!o || (o.status !== 'pending' && o.status !== 'paying') || o.hold_seconds_left == null) {
        left.value = null;
        return;
      }
      deadline = Date.now() + o.hold_seconds_left * 1000;
      tick();
      timer = setInterval(tick, 1000);
    },
    { immediate: true },
  );
  onBeforeUnmount(() => timer && clearInterval(timer));
  const text = computed(() => (left.value == null ? '' : mmss(left.value)));
  return { left, text };
}

export function useBillingLabels() {
  const { t, te, locale } = useI18n();
  const money = (v: number | null | undefined) => t('billing.yuan', { v: fen(v) });
  // A line may carry several rules ("ratio,personal_account"): each in words, in order.
  const rule = (r: string) =>
    String(r ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
      .map((x) => ((SPLIT_RULES as string[]).includes(x) ? t(`billing.rule.${x}`) : x))
      .join(locale.value === 'en' ? '; ' : '；');
  const status = (s: string) => (te(`billing.status.${s}`) ? t(`billing.status.${s}`) : s);
  const dateTime = (ms: number | null | undefined) =>
    ms ? new Intl.DateTimeFormat(locale.value, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(ms)) : '—';
  return { t, te, locale, money, rule, status, dateTime };
}
