// Wire types and calls of the self-check (POST /api/v1/triage, docs/openapi.yaml) and of the
// doctors list it shows per department (GET /api/v1/doctors).
import { ApiError, request } from './client';

export interface TriageEvidence {
  text: string;
  weight: number;
}
export interface TriageDepartment {
  code: string;
  name_zh: string;
  name_en: string;
  /** null when by_rule. */
  confidence?: number | null;
  evidence?: TriageEvidence[];
  /** Suggested by a red-flag rule (mental health), not the model. */
  by_rule?: boolean;
}
export interface TriageRedFlag {
  rule: string;
  kind: 'emergency' | 'mental_health';
  reason_zh: string;
  reason_en: string;
  matched: string[];
}
export interface TriageResult {
  urgency: 'emergency' | 'mental_health' | 'routine';
  red_flags: TriageRedFlag[];
  emergency_number: string | null;
  hotline: string | null;
  departments: TriageDepartment[];
  model_available: boolean;
  low_confidence: boolean;
  fallback_department: TriageDepartment;
  choose_from?: TriageDepartment[];
  rules_version: string;
}
export interface DoctorSummary {
  id: number;
  name: string;
  title: string;
  hospital_name: string;
  department_code: string;
  next_free_start: string | null;
}

/** The key under which the patient's words wait for the pre-consultation questionnaire. */
export const TRIAGE_TEXT_KEY = 'ihos.triage.text';

/** `age` in whole years, optional: the model reads the patient's age group. */
export function triage(text: string, age?: number | null): Promise<TriageResult> {
  const body: { text: string; age?: number } = { text };
  if (age !== undefined && age !== null) body.age = age;
  return request<TriageResult>('POST', '/triage', { body, noAuthRedirect: true });
}

/** Doctors of a department available soonest; [] when the list is empty or not offered (404). */
export async function doctorsSoonest(department: string): Promise<DoctorSummary[]> {
  try {
    const r = await request<{ items?: DoctorSummary[] }>('GET', '/doctors', {
      query: { department, limit: 3 },
      noAuthRedirect: true,
    });
    return Array.isArray(r?.items) ? r.items.slice(0, 3) : [];
  } catch (e) {
    if (e instanceof ApiError) return [];
    throw e;
  }
}
