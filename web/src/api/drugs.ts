// The drug catalogue and the hospital formulary (src/domain/drugs): search by name
// fragment or pinyin initials (blf → 布洛芬).
import { request } from './client';
import type { Items } from './types';
import type { Id } from './directory';

export interface Drug {
  id: Id;
  nhsa_id: string;
  name: string;
  name_en: string;
  kind: string;
  dosage_form: string;
  therapeutic_class: string;
  controlled: string;
  antimicrobial: boolean;
  allergy_classes: string[];
  pinyin: string;
}

/** A formulary line: one strength/package of a drug the hospital stocks. */
export interface FormularyLine {
  id: Id;
  drug: Drug;
  name_en: string;
  strength: string;
  dose_unit: string;
  strength_amount_milli: number;
  package_unit: string;
  package_size: number;
  price_fen: number;
  routes: string[];
  max_single_milli: number | null;
  max_daily_milli: number | null;
  min_age_years: number;
  special_storage: boolean;
  demo: boolean;
}

/** One row of a formulary line's OTC history (marked by a pharmacist with the NMPA reference; a pharmacist or admin revokes). by_user/by_name: in the history only, not in the shop. */
export interface OtcMark {
  id: number;
  formulary_item_id: number;
  action: 'mark' | 'revoke';
  otc_class: 'A' | 'B' | null;
  reference: string;
  reason: string;
  advice: string;
  max_per_order: number | null;
  demo: boolean;
  by_user?: number | null;
  by_name?: string;
  at: number;
}
/** A formulary line marked OTC now, with its mark. */
export interface OtcLine extends FormularyLine { otc: OtcMark }
export interface OtcMarkInput { otc_class: 'A' | 'B'; reference: string; reason?: string; advice?: string; max_per_order?: number }

export type DrugScope = 'formulary' | 'catalogue';

export const drugsApi = {
  /** The hospital formulary (what a doctor may prescribe). */
  search: (q: string) => request<Items<FormularyLine>>('GET', '/drugs', { query: { q, scope: 'formulary' satisfies DrugScope } }),
  /** The whole catalogue (drugs, not lines): e.g. to record an allergy to a drug. */
  catalogue: (q: string) => request<Items<Drug>>('GET', '/drugs', { query: { q, scope: 'catalogue' satisfies DrugScope } }),
  /** Formulary lines a pharmacist marked OTC (the OTC shop). */
  otc: (q: string) => request<Items<OtcLine>>('GET', '/otc/drugs', { query: { q } }),
  /** A line's OTC marks, newest first (pharmacist, admin). */
  otcHistory: (id: Id) => request<Items<OtcMark>>('GET', `/formulary/${id}/otc`),
  markOtc: (id: Id, body: OtcMarkInput) => request<OtcMark>('POST', `/formulary/${id}/otc`, { body }),
  revokeOtc: (id: Id, reason: string) => request<OtcMark>('POST', `/formulary/${id}/otc/revoke`, { body: { reason } }),
};
