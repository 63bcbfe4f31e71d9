import { createI18n } from 'vue-i18n';
import zhCN, { type MessageSchema } from './zh-CN';
import en from './en';
import { setApiLocale, type Locale } from '@/api';
// Pharmacies: their own message files, merged under `pharmacy`
import pharmacyZh from './pharmacy.zh-CN';
import pharmacyEn from './pharmacy.en';
const zhWithPharmacy = { ...zhCN, pharmacy: pharmacyZh };
const enWithPharmacy = { ...en, pharmacy: pharmacyEn };

const STORAGE_KEY = 'ihos.locale';
export const LOCALES: Locale[] = ['zh-CN', 'en'];

function initialLocale(): Locale {
  const saved = localStorage.getItem(STORAGE_KEY);
  if (saved === 'zh-CN' || saved === 'en') return saved;
  return 'zh-CN';
}

export const i18n = createI18n<[MessageSchema], Locale, false>({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhWithPharmacy, en: enWithPharmacy },
});

type Listener = (locale: Locale) => void;
const listeners: Listener[] = [];

/** Runs fn now and on every change of the UI language (UI kits, <html lang>, API header). */
export function onLocaleChange(fn: Listener): void {
  listeners.push(fn);
  fn(currentLocale());
}

export function currentLocale(): Locale {
  return i18n.global.locale.value as Locale;
}

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  localStorage.setItem(STORAGE_KEY, locale);
  for (const fn of listeners) fn(locale);
}

onLocaleChange((locale) => {
  setApiLocale(locale);
  document.documentElement.lang = locale;
});

// Drug orders (src/domain/dispensing): the capability's own message files, merged under `dispensing`.
import dispensingZh from './dispensing.zh-CN';
import dispensingEn from './dispensing.en';
i18n.global.mergeLocaleMessage('zh-CN', { dispensing: dispensingZh } as never);
i18n.global.mergeLocaleMessage('en', { dispensing: dispensingEn } as never);

// Chronic-medicine need registry (慢病用药需求登记): its strings live in needs.zh-CN.ts / needs.en.ts.
import needsZh from './needs.zh-CN';
import needsEn from './needs.en';
i18n.global.mergeLocaleMessage('zh-CN', { needs: needsZh } as never);
i18n.global.mergeLocaleMessage('en', { needs: needsEn } as never);
// AI self-check: the age and no-doctor strings live in triage.zh-CN.ts / triage.en.ts.
import triageZh from './triage.zh-CN';
import triageEn from './triage.en';
i18n.global.mergeLocaleMessage('zh-CN', { triage: triageZh } as never);
i18n.global.mergeLocaleMessage('en', { triage: triageEn } as never);

// the staff frame, the health authority's colour-rule form, the health-code QR name.
import ui13Zh from './ui13.zh-CN';
import ui13En from './ui13.en';
i18n.global.mergeLocaleMessage('zh-CN', { ui13: ui13Zh } as never);
i18n.global.mergeLocaleMessage('en', { ui13: ui13En } as never);

// Accessibility and elder mode: its strings live in a11y.zh-CN.ts / a11y.en.ts.
import a11yZh from './a11y.zh-CN';
import a11yEn from './a11y.en';
i18n.global.mergeLocaleMessage('zh-CN', { a11y: a11yZh } as never);
i18n.global.mergeLocaleMessage('en', { a11y: a11yEn } as never);

// Account security: my sessions, password change and reset, under `security`; and the
// reason code of a sampler's audited read for the access log.
import securityZh from './security.zh-CN';
import securityEn from './security.en';
i18n.global.mergeLocaleMessage('zh-CN', { security: securityZh, accessLog: { reasons: { nat_sample_check: '采样前核对样本' } } } as never);
i18n.global.mergeLocaleMessage('en', { security: securityEn, accessLog: { reasons: { nat_sample_check: 'Sample check before collection' } } } as never);

// Everyday patient pages: a department nobody can take a question in now, and where to turn.
import everydayZh from './everyday.zh-CN';
import everydayEn from './everyday.en';
i18n.global.mergeLocaleMessage('zh-CN', { everyday: everydayZh } as never);
i18n.global.mergeLocaleMessage('en', { everyday: everydayEn } as never);

// OTC (非处方药): the OTC shop and the pharmacist's marking page, under `otc`.
import otcZh from './otc.zh-CN';
import otcEn from './otc.en';
i18n.global.mergeLocaleMessage('zh-CN', { otc: otcZh } as never);
i18n.global.mergeLocaleMessage('en', { otc: otcEn } as never);
