// Shared formatting of the need pages.
import { useI18n } from 'vue-i18n';

export function useNeedFormat() {
  const { t, locale } = useI18n();
  const dateTime = (ms: number | null | undefined) =>
    ms ? new Date(ms).toLocaleString(locale.value === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'short', timeStyle: 'short' }) : '';
  const km = (m: number) => t('needs.km', { d: (m / 1000).toFixed(m < 10000 ? 1 : 0) });
  return { t, locale, dateTime, km };
}
