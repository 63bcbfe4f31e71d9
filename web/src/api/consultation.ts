// Online consultation (线上问诊): wire types and REST calls of
// src/domain/consultation (README.md there is the contract) and of the ICD-10 catalogue.
import { request, requestBlob } from './client';
import type { Items } from './types';
import type { Id } from './directory';

export type ConsultationKind = 'text' | 'voice' | 'phone' | 'counselling' | 'free_clinic';
export type ConsultationStatus = 'waiting' | 'active' | 'closed' | 'referred' | 'cancelled';
export type FollowUp = 'unverified' | 'verified' | 'advice_only';
export type ReferralReason = 'condition_changed' | 'first_visit' | 'red_flags' | 'unsuitable_online';
export const REFERRAL_REASONS: ReferralReason[] = ['condition_changed', 'first_visit', 'red_flags', 'unsuitable_online'];

export interface Intake {
  chief_complaint: string;
  duration: string;
  symptoms: string[];
  history: string;
  allergies: string;
  medications: string;
  is_follow_up: boolean;
  proof_upload_ids: Id[];
}

export interface ConsultationRecord {
  version?: number;
  chief_complaint: string;
  present_illness: string;
  diagnosis_code: string;
  diagnosis_name?: string;
  advice: string;
  created_at?: number;
}

export interface Consultation {
  id: Id;
  kind: ConsultationKind;
  status: ConsultationStatus;
  patient: { id: Id; name: string; age?: number | null; sex?: string | null };
  requested_by: Id;
  practitioner: { id: Id; name: string; title: string; department_code: string; hospital_name?: string } | null;
  department_code: string;
  appointment_id: Id | null;
  intake: Intake;
  follow_up: FollowUp;
  follow_up_note?: string;
  child_under_6: boolean;
  /** The other party's messages the viewer has not read. */
  unread?: number;
  /** How far the other side has read (a reply counts as a read). */
  peer_read_seq?: number;
  price_fen: number;
  created_at: number;
  accepted_at: number | null;
  closed_at: number | null;
  last_seq: number;
  queue: { position: number; estimated_wait_s: number } | null;
  record: ConsultationRecord | null;
  referral: { reason: ReferralReason; note: string; appointment_id?: Id | null } | null;
  rating: { stars: number; comment: string } | null;
}

export type MessageKind = 'text' | 'image' | 'voice' | 'call' | 'system';
export interface Message {
  seq: number;
  sender_id: Id | null;
  sender_role: 'patient' | 'doctor' | 'system';
  client_msg_id: string;
  kind: MessageKind;
  text: string;
  upload_id: Id | null;
  duration_ms: number | null;
  created_at: number;
  recalled: boolean;
}

export interface SendInput {
  client_msg_id: string;
  kind: 'text' | 'image' | 'voice';
  text?: string;
  upload_id?: Id;
  duration_ms?: number;
}

export interface StartInput {
  kind: ConsultationKind;
  patient_id?: Id;
  appointment_id?: Id;
  practitioner_id?: Id;
  department_code?: string;
  intake: Intake;
}

/** A patient in the doctor's queue (GET /workstation). */
export interface WaitingEntry {
  id: Id;
  kind: ConsultationKind;
  patient: { id: Id; name: string; age?: number | null; sex?: string | null };
  chief_complaint: string;
  is_follow_up: boolean;
  child_under_6: boolean;
  /** Waiting in the department's free-clinic queue (any volunteer may take it). */
  shared_queue: boolean;
  /** What it costs if this doctor takes it (a shared department question: this doctor's hospital price). */
  price_fen: number;
  waiting_since: number;
}
export interface Workstation {
  practitioner_id: Id;
  waiting: WaitingEntry[];
  active: Consultation[];
  today_accepted: number;
  today_closed: number;
}

export interface Icd10Code {
  code: string;
  name_zh: string;
  level: string;
  category: string;
}

/** The number the assigned doctor dials for a phone consultation (audited on the server). */
export interface CallbackNumber {
  phone: string;
  phone_masked: string;
  name: string;
  relation: 'patient' | 'guardian';
}

const enc = (v: Id) => encodeURIComponent(String(v));

export const consultationApi = {
  /** A message's picture or voice clip, or an intake proof, as an object URL (parties only); the caller revokes it. */
  file: (id: Id, uploadId: Id) => requestBlob(`/consultations/${enc(id)}/files/${enc(uploadId)}`),
  start: (body: StartInput) => request<Consultation>('POST', '/consultations', { body }),
  mine: (role: 'patient' | 'doctor', status?: string) =>
    request<Items<Consultation>>('GET', '/consultations', { query: { role, status: status || undefined } }),
  get: (id: Id) => request<Consultation>('GET', `/consultations/${enc(id)}`),
  cancel: (id: Id) => request<Consultation>('POST', `/consultations/${enc(id)}/cancel`, { body: {} }),
  accept: (id: Id) => request<Consultation>('POST', `/consultations/${enc(id)}/accept`, { body: {} }),
  messages: (id: Id, afterSeq: number, limit = 200) =>
    request<Items<Message>>('GET', `/consultations/${enc(id)}/messages`, { query: { after_seq: afterSeq, limit } }),
  send: (id: Id, body: SendInput) => request<Message>('POST', `/consultations/${enc(id)}/messages`, { body }),
  recall: (id: Id, seq: number) => request<Message>('POST', `/consultations/${enc(id)}/messages/${seq}/recall`, { body: {} }),
  read: (id: Id, seq: number) => request<void>('POST', `/consultations/${enc(id)}/read`, { body: { seq } }),
  saveRecord: (id: Id, body: ConsultationRecord) =>
    request<Consultation>('PUT', `/consultations/${enc(id)}/record`, { body }),
  followUp: (id: Id, decision: 'verified' | 'advice_only', note: string) =>
    request<Consultation>('POST', `/consultations/${enc(id)}/follow-up`, { body: { decision, note } }),
  refer: (id: Id, reason: ReferralReason, note: string) =>
    request<Consultation>('POST', `/consultations/${enc(id)}/referral`, { body: { reason, note } }),
  close: (id: Id) => request<Consultation>('POST', `/consultations/${enc(id)}/close`, { body: {} }),
  rate: (id: Id, stars: number, comment: string) =>
    request<Consultation>('POST', `/consultations/${enc(id)}/rating`, { body: { stars, comment } }),
  workstation: () => request<Workstation>('GET', '/workstation'),
  callbackNumber: (id: Id) => request<CallbackNumber>('GET', `/consultations/${enc(id)}/callback-number`),
  recordCall: (id: Id, durationS: number, note: string) =>
    request<Message>('POST', `/consultations/${enc(id)}/calls`, { body: { duration_s: durationS, note } }),
  icd10: (q: string, limit = 12) => request<Items<Icd10Code>>('GET', '/icd10', { query: { q, limit } }),
};
