// Durations for the pharmacist's pages: "45 秒", "12 分钟", "2 小时 5 分钟".
type T = (key: string, args?: Record<string, unknown>) => string;

export function waitedText(t: T, ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return t('rx.ph.seconds', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return t('rx.ph.minutes', { n: m });
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
