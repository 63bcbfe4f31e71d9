// The chronic-medicine need registry (慢病用药需求登记, src/domain/needs): a patient's (or a
// guardian's, or a community worker's with the patient's consent) need for a formulary drug, the
// pharmacies matched to it and their answers, the follow-up consultation link, pharmacy staff's
// "needs near me", community workers and the authority's shortage map. Times are Unix ms;
// coordinates GCJ-02 micro-degrees.
import { request } from './client';
import type { Items } from './types';
import type { Id } from './directory';
export type { Id };

export type NeedStatus = 'awaiting_consent' | 'open' | 'fulfilled' | 'closed' | 'cancelled' | 'lapsed';
export type Urgency = 'urgent' | 'normal';
export type ConsentMethod = 'self' | 'sms_code' | 'in_app';
export type AnswerKind = 'can_supply' | 'reserved';
export const NEED_STATUSES: NeedStatus[] = ['awaiting_consent', 'open', 'fulfilled', 'closed', 'cancelled', 'lapsed'];
/** Urgent with this many days of medicine left or fewer (the server's rule). */
export const URGENT_DAYS_LEFT = 3;

export interface NeedMatch { pharmacy_id: Id; pharmacy_name: string; distance_m: number; available: number }
export interface NeedAnswer {
  id: Id;
  pharmacy_id: Id;
  pharmacy_name: string;
  pharmacy_phone: string;
  pharmacy_address: string;
  kind: AnswerKind;
  quantity: number;
  note: string;
  reserved_until: number | null;
  released_at: number | null;
  created_at: number;
  updated_at: number;
}
export interface Need {
  id: Id;
  patient_id: Id | null;
  subject_name: string;
  subject_phone: string;
  registered_by: Id;
  registered_as: 'patient' | 'guardian' | 'worker';
  formulary_item_id: Id;
  drug_name: string;
  quantity: number;
  region_code: string;
  region_name: string;
  address: string;
  lat_e6: number;
  lon_e6: number;
  days_left: number;
  marked_urgent: boolean;
  urgency: Urgency;
  condition: string;
  icd10_code: string;
  needs_prescription: boolean;
  status: NeedStatus;
  consent: { method: ConsentMethod; at: number; by: Id; by_name: string } | null;
  consultation_id: Id | null;
  matched_at: number | null;
  match_radius_m: number | null;
  matches: NeedMatch[];
  answers: NeedAnswer[];
  days_waiting: number;
  created_at: number;
  closed_at: number | null;
  close_note: string;
  demo: boolean;
}

export interface NewNeed {
  patient_id?: Id;
  subject_name?: string;
  subject_phone?: string;
  formulary_item_id: Id;
  quantity: number;
  region_code: string;
  address?: string;
  lat_e6: number;
  lon_e6: number;
  days_left: number;
  urgent?: boolean;
  condition?: string;
  icd10_code?: string;
  needs_prescription?: boolean;
}

export interface NearbyNeed {
  id: Id;
  formulary_item_id: Id;
  drug_name: string;
  quantity: number;
  region_code: string;
  region_name: string;
  distance_m: number;
  days_left: number;
  urgency: Urgency;
  needs_prescription: boolean;
  days_waiting: number;
  created_at: number;
  in_stock: boolean;
  my_answer: NeedAnswer | null;
  demo: boolean;
}
export interface NearbyNeeds {
  pharmacy: { id: Id; name: string; address: string; demo: boolean };
  area_m: number;
  /** The reservation length settings (--need-reserve-days, --need-reserve-days-max). */
  reserve_days?: number;
  reserve_days_max?: number;
  items: NearbyNeed[];
}

export type ShortageLevel = 'province' | 'city' | 'county';
export interface ShortageRow {
  region_code: string;
  region_name: string;
  formulary_item_id: Id;
  drug_name: string;
  needs: number;
  urgent: number;
  unmatched: number;
  quantity: number;
  avg_days_waiting: number;
  max_days_waiting: number;
}
export interface Shortage {
  level: ShortageLevel;
  total: { needs: number; urgent: number; unmatched: number };
  items: ShortageRow[];
}
export interface ShortageFilter { level: ShortageLevel; region?: string; drug?: Id; urgency?: Urgency | '' }

export interface Worker {
  user_id: Id;
  name: string;
  community: string;
  region_code: string;
  region_name: string;
  active: boolean;
  registered_at: number;
  demo: boolean;
}

export interface ConsultationChoice {
  consultation_id?: Id;
  practitioner_id?: Id;
  department_code?: string;
  kind?: 'text' | 'voice' | 'phone';
  /** The patient's records of the offline diagnosis (uploads): the doctor verifies the follow-up from them. */
  proof_upload_ids?: Id[];
}

export const needsApi = {
  register: (body: NewNeed) => request<Need>('POST', '/needs', { body }),
  mine: () => request<Items<Need>>('GET', '/needs', { query: { as: 'patient' } }),
  registered: () => request<Items<Need>>('GET', '/needs', { query: { as: 'worker' } }),
  awaitingMyConsent: () => request<Items<Need>>('GET', '/needs/consents'),
  get: (id: Id) => request<Need>('GET', `/needs/${id}`),
  /** The worker enters the code the patient received; or the patient confirms/declines (no code). */
  consent: (id: Id, decision: 'confirm' | 'decline', code?: string) =>
    request<Need>('POST', `/needs/${id}/consent`, { body: code ? { decision, code } : { decision } }),
  resendCode: (id: Id) => request<Need>('POST', `/needs/${id}/consent-code`, { body: {} }),
  finish: (id: Id, status: 'fulfilled' | 'closed' | 'cancelled', note = '') =>
    request<Need>('POST', `/needs/${id}/status`, { body: { status, note } }),
  consultation: (id: Id, choice: ConsultationChoice) => request<Need>('POST', `/needs/${id}/consultation`, { body: choice }),
  // Pharmacy staff
  nearby: (pharmacyId?: Id) => request<NearbyNeeds>('GET', '/needs/nearby', { query: pharmacyId ? { pharmacy_id: pharmacyId } : {} }),
  answer: (id: Id, body: { pharmacy_id: Id; kind: AnswerKind; quantity: number; note?: string; reserve_days?: number }) =>
    request<NeedAnswer>('POST', `/needs/${id}/answers`, { body }),
  // Health authority and admin
  shortage: (f: ShortageFilter) =>
    request<Shortage>('GET', '/needs/shortage', {
      query: { level: f.level, ...(f.region ? { region: f.region } : {}), ...(f.drug ? { drug: f.drug } : {}), ...(f.urgency ? { urgency: f.urgency } : {}) },
    }),
  workers: () => request<Items<Worker>>('GET', '/needs/workers'),
  registerWorker: (body: { phone: string; community: string; region_code: string; active?: boolean }) =>
    request<Worker>('POST', '/needs/workers', { body }),
  myWorker: () => request<{ worker: Worker | null }>('GET', '/needs/worker-me'),
};
