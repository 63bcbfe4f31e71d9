// Shared wording of the registration pages (patient and staff): titles, services, departments, money and
// times in the UI language. Times are shown in China Standard Time whatever the browser's zone.
import { useI18n } from 'vue-i18n';
import type { Department, Doctor, Grade, Service, Title } from '@/api/directory';
import { yuan } from '@/api/scheduling';

export function useRegLabels() {
  const { t, locale } = useI18n();
  const en = () => locale.value === 'en';

  const title = (v: Title | string) => t(`reg.titles.${v}`);
  const service = (v: Service | string) => t(`reg.services.${v}`);
  const grade = (v: Grade | string) => t(`reg.grades.${v}`);
  const deptName = (d: Pick<Department, 'name_zh' | 'name_en'> | { department_name_zh: string; department_name_en: string }) =>
    'name_zh' in d ? (en() ? d.name_en : d.name_zh) : en() ? d.department_name_en : d.department_name_zh;
  const doctorDept = (d: Doctor) => (en() ? d.department_name_en : d.department_name_zh);
  const price = (fen: number, free = false) => (free || fen === 0 ? t('reg.free') : `¥${yuan(fen)}`);

  function fmt(ms: number, opts: Intl.DateTimeFormatOptions): string {
    return new Intl.DateTimeFormat(locale.value, { timeZone: 'Asia/Shanghai', hour12: false, ...opts }).format(new Date(ms));
  }
  /** "11月24日 周二 09:00" / "Tue, Nov 24, 09:00" */
  const slotTime = (ms: number) => fmt(ms, { month: 'short', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit' });
  const dateTime = (ms: number) =>
    fmt(ms, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  /** A YYYY-MM-DD date as "11月24日 周二". */
  const day = (date: string) =>
    new Intl.DateTimeFormat(locale.value, { timeZone: 'UTC', month: 'short', day: 'numeric', weekday: 'short' }).format(
      new Date(`${date}T00:00:00Z`),
    );
  const weekday = (n: number) => t(`reg.weekdays.${n}`);

  return { t, locale, title, service, grade, deptName, doctorDept, price, slotTime, dateTime, day, weekday };
}
