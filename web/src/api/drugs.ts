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

export type DrugScope = 'formulary' | 'catalogue';

export const drugsApi = {
  /** The hospital formulary (what a doctor may prescribe). */
  search: (q: string) => request<Items<FormularyLine>>('GET', '/drugs', { query: { q, scope: 'formulary' satisfies DrugScope } }),
  /** The whole catalogue (drugs, not lines): e.g. to record an allergy to a drug. */
  catalogue: (q: string) => request<Items<Drug>>('GET', '/drugs', { query: { q, scope: 'catalogue' satisfies DrugScope } }),
};
