// Shared labels of the drug-order pages: money, times, statuses.
import { useI18n } from 'vue-i18n';

export function useDispensingLabels() {
  const { t, te, locale } = useI18n();
  const money = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
  const time = (ms: number) =>
    new Date(ms).toLocaleString(locale.value === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  const status = (s: string) => (te(`dispensing.status.${s}`) ? t(`dispensing.status.${s}`) : s);
  const role = (r: string) => (te(`dispensing.role.${r}`) ? t(`dispensing.role.${r}`) : r);
  const mode = (m: string) => t(`dispensing.mode.${m}`);
  return { t, te, locale, money, time, status, role, mode };
}

/** Statuses after which nothing changes any more. */
export const FINAL = ['delivered', 'handed_over', 'returned', 'cancelled', 'rejected', 'expired'];
