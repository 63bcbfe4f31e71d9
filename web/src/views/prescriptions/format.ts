// Formatting shared by the prescription pages: durations, sex, and rule-hit messages.
import { pick, type Locale } from '@/api';
import { ALLERGY_CLASSES, type RuleHit } from '@/api/prescriptions';

type T = (key: string, args?: Record<string, unknown>) => string;

/** "45 秒", "12 分钟", "2 h 5 min". */
export function waitedText(t: T, ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('rx.ph.seconds', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('rx.ph.minutes', { n: m });
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** male/female (or M/F) in the UI language; anything else as is. */
export function sexText(t: T, sex: string | null | undefined): string {
  const s = String(sex ?? '').toLowerCase();
  if (s === 'male' || s === 'm') return t('rx.print.sexM');
  if (s === 'female' || s === 'f') return t('rx.print.sexF');
  return String(sex ?? '');
}

/**
 * A hit's message in the UI language. The server fills {other} of an allergy hit with the class
 * code (penicillins); it is shown by its name (青霉素类).
 */
export function hitMessage(t: T, locale: string, h: RuleHit): string {
  let text = pick(h.message, locale as Locale);
  for (const c of ALLERGY_CLASSES) if (text.includes(c)) text = text.split(c).join(t(`rx.allergyClass.${c}`));
  return text;
}
