// Wire types of the ihosd JSON API (/api/v1). Keep in step with docs/openapi.yaml.

export type Locale = 'zh-CN' | 'en';

/** A text the server sends in both UI languages. */
export type LocalizedText = Partial<Record<Locale, string>>;

export const ALL_ROLES = [
  'patient',
  'doctor',
  'pharmacist',
  'pharmacy_staff',
  'nurse',
  'lab',
  'admin',
  'health_authority',
] as const;
export type Role = (typeof ALL_ROLES)[number];

export type Sex = 'male' | 'female';

export interface Me {
  id: string | number;
  real_name: string;
  phone_masked: string;
  id_number_masked: string;
  birth_date: string;
  sex: Sex;
  age: number;
  roles: Role[];
  created_at: string | number;
}

/** Sign-in answer. The web app signs in with `session: 'cookie'`: no token in the body, only the CSRF token. */
export interface LoginResponse {
  token?: string;
  csrf_token: string;
  expires_at: number;
  user: Me;
}

export interface AccessLogEntry {
  id?: string | number;
  at: number;
  actor_name: string;
  actor_role: string;
  action: string;
  resource_type: string;
  resource_id: string | number | null;
  /** Free text today; a text in both languages is shown in the UI language. */
  reason?: string | LocalizedText | null;
}

export type Relationship = 'parent' | 'legal_guardian' | 'other';
export const RELATIONSHIPS: Relationship[] = ['parent', 'legal_guardian', 'other'];

export interface Dependent {
  id: string | number;
  real_name: string;
  id_number_masked: string;
  birth_date: string;
  sex: Sex;
  age: number;
  relationship: Relationship;
}

export interface AdminUser {
  id: string | number;
  real_name: string;
  phone_masked: string;
  roles: Role[];
}

/** The account's app preferences (GET/PUT /me/settings); updated_at null when never set. */
export interface UserSettings {
  elder_mode: boolean;
  updated_at: number | null;
}

export interface Meta {
  name?: string;
  version?: string;
  demo?: boolean;
  /** "demo" for the demo SMS provider (no real SMS; the demo SMS page shows the messages). */
  sms_provider?: string;
  /** Whether registration asks for an SMS code (`--register-sms-code`). */
  register_sms_code?: 'required' | 'off';
}

export interface DemoSmsMessage {
  phone: string;
  text: string;
  at: number;
}

export interface Items<T> {
  items: T[];
}

/** RFC 9457 problem details as ihosd writes them. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  code?: string;
  message?: LocalizedText;
  detail?: string;
  errors?: { field: string; code?: string; message?: LocalizedText }[];
  request_id?: string;
}
