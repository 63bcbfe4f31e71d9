// E-prescriptions (src/domain/prescriptions): the doctor's live rule check and PIN
// signature, the pharmacist's review (合法性 / 规范性 / 适宜性), the patient's prescriptions with
// the QR, allergies, and QR verification.
import { request } from './client';
import type { Items, LocalizedText } from './types';
import type { Id } from './directory';

export type RxStatus = 'pending_review' | 'approved' | 'rejected' | 'dispensed' | 'expired' | 'cancelled';
export type Frequency = 'qd' | 'bid' | 'tid' | 'qid' | 'q8h' | 'q12h' | 'qn' | 'qw';
export const FREQUENCIES: Frequency[] = ['qd', 'bid', 'tid', 'qid', 'q8h', 'q12h', 'qn', 'qw'];
export const ALLERGY_CLASSES = [
  'penicillins', 'cephalosporins', 'carbapenems', 'sulfonamides', 'macrolides', 'quinolones',
  'tetracyclines', 'aminoglycosides', 'nsaids', 'statins', 'iodinated_contrast',
] as const;
export type AllergyClass = (typeof ALLERGY_CLASSES)[number];

export interface RxItemInput {
  formulary_id: Id;
  /** Dose in thousandths of the line's dose_unit (0.5 g with dose_unit mg = 500000). */
  single_dose_milli: number;
  route: string;
  frequency: Frequency;
  days: number;
  override_reason?: string;
}

export interface RxDraft {
  consultation_id: Id;
  items: RxItemInput[];
  long_term?: boolean;
  long_term_assessment?: string;
  patient_confirmed_long?: boolean;
  guardian_present?: boolean;
  patient_weight_g?: number;
  valid_days?: number;
  previous_id?: Id;
}

export interface RuleHit {
  code: string;
  /** 1-based line of the draft the hit is about (0: the whole prescription). */
  line: number;
  drug: string;
  other: string;
  blocking: boolean;
  overridden: boolean;
  message: LocalizedText;
}

export interface RxItem {
  line: number;
  formulary_id: Id;
  drug_id: Id;
  generic_name: string;
  dosage_form: string;
  strength: string;
  single_dose_milli: number;
  dose_unit: string;
  route: string;
  frequency: Frequency;
  days: number;
  quantity: number;
  package_unit: string;
  price_fen: number;
  override_reason: string;
}

export interface Prescription {
  id: Id;
  rx_no: string;
  previous_id: Id | null;
  consultation_id: Id;
  patient_id: Id;
  doctor_name: string;
  kind: string;
  category: 'ordinary' | 'pediatric' | 'emergency' | string;
  status: RxStatus;
  institution: string;
  department: string;
  patient_name: string;
  patient_sex: string;
  patient_age: string | number;
  patient_weight_g: number | null;
  diagnosis_code: string;
  diagnosis_name: string;
  issued_on: string;
  valid_days: number;
  expires_at: number;
  long_term_assessment: string;
  guardian_present: boolean;
  amount_fen: number;
  signed_at: number;
  pharmacist_name: string;
  reviewed_at: number | null;
  reject_reason: string;
  warnings: RuleHit[];
  items: RxItem[];
  created_at: number;
  qr_payload?: string;
  qr_svg?: string;
}

export interface Allergy {
  id: Id;
  patient_id: Id;
  drug_id: Id | null;
  drug_name: string;
  class_code: string;
  class_name: string;
  reaction: string;
  confirmed: boolean;
  created_at: number;
}

export interface ReviewContext {
  prescription: Prescription;
  hits: RuleHit[];
  allergies: Allergy[];
  active_prescriptions: Prescription[];
  chief_complaint: string;
  present_illness: string;
  patient_birth_date: string;
}

export type Verdict = 'pass' | 'fail';
export interface ReviewInput {
  outcome: 'approved' | 'rejected';
  legality: Verdict;
  normativity: Verdict;
  suitability: Verdict;
  reason?: string;
  pin?: string;
}

export interface PharmacistStats {
  reviewed: number;
  approved: number;
  rejected: number;
  intervention_rate: number;
  median_review_seconds: number;
}

export interface Eligibility {
  prescription_allowed: boolean;
  reason: string;
  guardian_required: boolean;
}

export interface VerifyResult {
  doctor_signature_valid: boolean;
  pharmacist_signature_valid: boolean;
  status: RxStatus;
  dispensable: boolean;
  content: unknown;
}

export const prescriptionsApi = {
  check: (draft: RxDraft) => request<{ hits: RuleHit[]; can_sign: boolean }>('POST', '/prescriptions/check', { body: draft }),
  sign: (draft: RxDraft, pin: string) => request<Prescription>('POST', '/prescriptions', { body: { ...draft, pin } }),
  setPin: (role: 'doctor' | 'pharmacist', pin: string, oldPin?: string) =>
    request<unknown>('POST', '/me/signing-pin', { body: { role, pin, old_pin: oldPin || undefined } }),
  ofConsultation: (consultationId: Id) => request<Items<Prescription>>('GET', `/consultations/${consultationId}/prescriptions`),
  eligibility: (consultationId: Id) => request<Eligibility>('GET', `/consultations/${consultationId}/prescription-eligibility`),
  get: (id: Id) => request<Prescription>('GET', `/prescriptions/${id}`),
  cancel: (id: Id) => request<Prescription>('POST', `/prescriptions/${id}/cancel`, { body: {} }),
  mine: (patientId?: Id) =>
    request<Items<Prescription>>('GET', '/me/prescriptions', { query: { patient_id: patientId === undefined ? undefined : String(patientId) } }),
  queue: () => request<Items<Prescription>>('GET', '/pharmacist/queue'),
  forReview: (id: Id) => request<ReviewContext>('GET', `/pharmacist/prescriptions/${id}`),
  review: (id: Id, body: ReviewInput) => request<Prescription>('POST', `/pharmacist/prescriptions/${id}/review`, { body }),
  stats: () => request<PharmacistStats>('GET', '/pharmacist/stats'),
  allergies: (patientId: Id) => request<Items<Allergy>>('GET', `/patients/${patientId}/allergies`),
  addAllergy: (patientId: Id, body: { drug_id?: Id; class_code?: string; reaction: string }) =>
    request<Allergy>('POST', `/patients/${patientId}/allergies`, { body }),
  removeAllergy: (patientId: Id, allergyId: Id) => request<unknown>('DELETE', `/patients/${patientId}/allergies/${allergyId}`),
  verify: (code: string) => request<VerifyResult>('POST', '/prescriptions/verify', { body: { code } }),
};

/** Fen → "12.50". */
export const yuan = (fen: number) => (fen / 100).toFixed(2);
/** Thousandths of a unit → "0.5". */
export const fromMilli = (m: number) => String(Math.round(m) / 1000);
