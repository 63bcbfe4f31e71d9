// Issue #3 — doctors, departments and registration (挂号): wire types and calls of the directory
// (hospitals, departments, practitioner applications, doctors) and of schedules and booking.
// Keep in step with docs/openapi.yaml and /work/notes/issue3-contract.md.
import { request, requestBlob } from './client';
import type { Items, LocalizedText } from './types';

export type Id = string | number;

export const TITLES = [
  'chief_physician',
  'associate_chief_physician',
  'attending_physician',
  'resident_physician',
  'psychotherapist',
  'counsellor',
] as const;
export type Title = (typeof TITLES)[number];
/** Titles only departments with counselling=true accept. */
export const COUNSELLING_TITLES: Title[] = ['psychotherapist', 'counsellor'];

export const GRADES = ['3A', '3B', '3C', '2A', '2B', '2C', '1', 'ungraded'] as const;
export type Grade = (typeof GRADES)[number];

export const SERVICES = ['text', 'phone', 'video', 'offline'] as const;
export type Service = (typeof SERVICES)[number];

export type AppointmentStatus = 'booked' | 'cancelled' | 'fulfilled' | 'noshow';
export type ApplicationStatus = 'pending' | 'approved' | 'rejected';
export type PractitionerStatus = 'active' | 'suspended';

export interface Department {
  code: string;
  name_zh: string;
  name_en: string;
  counselling: boolean;
  doctor_count?: number;
}

export interface Hospital {
  id: Id;
  name: string;
  grade: Grade;
  address: string;
  region_code: string;
  region_name?: string;
  licence_number: string;
  general_price_fen: number;
  departments: string[];
}

export interface NewHospital {
  name: string;
  grade: Grade;
  address: string;
  region_code: string;
  licence_number: string;
  general_price_fen: number;
  departments: string[];
}

export interface Upload {
  id: Id;
  content_type: string;
  size: number;
  sha256: string;
}

export interface NextFree {
  slot_id: Id;
  service: Service;
  start_at: number;
  price_fen: number;
}

export interface Doctor {
  id: Id;
  name: string;
  title: Title;
  hospital_id: Id;
  hospital_name: string;
  hospital_grade: Grade;
  department_code: string;
  department_name_zh: string;
  department_name_en: string;
  practice_scope: string;
  licence_number: string;
  introduction: string;
  specialties: string;
  free_clinic: boolean;
  photo_url: string | null;
  rating: number | null;
  rating_count: number;
  next_free_start: string | null;
  next_free: NextFree | null;
}

export interface AdminDoctor extends Doctor {
  status: PractitionerStatus;
  status_reason: string;
  user_id: Id;
  licence_expires_on?: string;
}

export interface MyPractitioner extends Doctor {
  status: PractitionerStatus;
  status_reason: string;
  licence_expires_on: string;
}

export interface ApplicationInput {
  hospital_id: Id;
  department_code: string;
  title: Title;
  practice_scope: string;
  licence_number: string;
  years_practice: number;
  introduction?: string;
  specialties?: string;
  free_clinic?: boolean;
  id_card_upload: Id;
  licence_upload: Id;
  qualification_upload: Id;
  title_upload: Id;
  photo_upload?: Id | null;
}

export interface Application {
  id: Id;
  user: { id: Id; real_name: string };
  hospital: { id: Id; name: string };
  department: { code: string; name_zh: string; name_en: string };
  title: Title;
  practice_scope: string;
  licence_number: string;
  years_practice: number;
  introduction: string;
  specialties: string;
  free_clinic: boolean;
  id_card_upload: Id;
  licence_upload: Id;
  qualification_upload: Id;
  title_upload: Id;
  photo_upload: Id | null;
  status: ApplicationStatus;
  review_reason: string;
  reviewed_at: number | null;
  created_at: number;
  practitioner_id: Id | null;
}

/** The four certificates every application carries, in the order reviewers read them. */
export const CERTIFICATES = ['id_card_upload', 'licence_upload', 'qualification_upload', 'title_upload'] as const;
export type Certificate = (typeof CERTIFICATES)[number];

export interface Slot {
  id: Id;
  practitioner_id: Id;
  date: string;
  start_at: number;
  end_at: number;
  start_time: string;
  end_time: string;
  service: Service;
  capacity: number;
  booked: number;
  remaining: number;
  price_fen: number;
  free_clinic: boolean;
  status: 'open' | 'closed';
}

export interface TemplatePeriod {
  weekday: number;
  start_time: string;
  end_time: string;
  service: Service;
  capacity: number;
  price_fen?: number | null;
  free_clinic?: boolean;
}

export interface ScheduleException {
  id: Id;
  date: string;
  kind: 'leave' | 'extra';
  start_time: string;
  end_time: string;
  service: Service | null;
  capacity: number | null;
  price_fen: number | null;
  free_clinic: boolean;
  reason: string;
}

export interface NewException {
  date: string;
  kind: 'leave' | 'extra';
  start_time: string;
  end_time: string;
  service?: Service;
  capacity?: number;
  price_fen?: number;
  free_clinic?: boolean;
  reason?: string;
}

export interface Schedule {
  template: TemplatePeriod[];
  exceptions: ScheduleException[];
}

export interface DayAppointment {
  id: Id;
  queue_number: number;
  patient: { id: Id; real_name: string; sex: 'male' | 'female'; age: number };
  status: AppointmentStatus;
  booked_at: number;
}

export interface DayView {
  date: string;
  items: { slot: Slot; appointments: DayAppointment[] }[];
}

export interface Appointment {
  id: Id;
  slot_id: Id;
  patient: { id: Id; real_name: string };
  booked_by: Id;
  practitioner: { id: Id; name: string; title: Title };
  hospital_name: string;
  department_code: string;
  service: Service;
  date: string;
  start_at: number;
  end_at: number;
  start_time: string;
  end_time: string;
  queue_number: number;
  price_fen: number;
  status: AppointmentStatus;
  cancelled_by: 'patient' | 'practitioner' | 'system' | null;
  cancel_reason: string;
  created_at: number;
  can_cancel: boolean;
}

export interface Notification {
  id: Id;
  kind: string;
  title: LocalizedText;
  body: LocalizedText;
  created_at: number;
  read_at: number | null;
  appointment_id: Id | null;
}

export interface DoctorQuery {
  department?: string;
  hospital_id?: Id;
  title?: string;
  q?: string;
  free_clinic?: boolean;
  sort?: 'soonest' | 'rating' | 'title';
  limit?: number;
  offset?: number;
}

const enc = (id: Id) => encodeURIComponent(String(id));

export const registrationApi = {
  // Directory
  departments: (hospitalId?: Id) =>
    request<Items<Department>>('GET', '/departments', { query: { hospital_id: hospitalId === undefined ? undefined : String(hospitalId) } }),
  hospitals: () => request<Items<Hospital>>('GET', '/hospitals'),
  createHospital: (body: NewHospital) => request<Hospital>('POST', '/admin/hospitals', { body }),
  setHospitalDepartments: (id: Id, departments: string[]) =>
    request<Hospital>('PUT', `/admin/hospitals/${enc(id)}/departments`, { body: { departments } }),

  upload: (file: Blob, name?: string) =>
    request<Upload>('POST', '/files', {
      raw: file,
      // Header values must be ISO-8859-1: a Chinese file name travels percent-encoded.
      headers: name ? { 'X-File-Name': encodeURIComponent(name) } : undefined,
    }),

  /** An uploaded file (a certificate) as an object URL, read with the session (audited); the caller revokes it. */
  file: (id: Id) => requestBlob(`/files/${enc(id)}`),

  apply: (body: ApplicationInput) => request<Application>('POST', '/practitioner-applications', { body }),
  myApplications: () => request<Items<Application>>('GET', '/me/practitioner-applications'),
  myPractitioner: () => request<MyPractitioner>('GET', '/me/practitioner'),

  reviewQueue: (status = 'pending') =>
    request<Items<Application>>('GET', '/admin/practitioner-applications', { query: { status } }),
  application: (id: Id) => request<Application>('GET', `/admin/practitioner-applications/${enc(id)}`),
  approve: (id: Id, licence_expires_on: string) =>
    request<Application>('POST', `/admin/practitioner-applications/${enc(id)}/approve`, { body: { licence_expires_on } }),
  reject: (id: Id, reason: string) =>
    request<Application>('POST', `/admin/practitioner-applications/${enc(id)}/reject`, { body: { reason } }),
  practitioners: (status?: string, q?: string) =>
    request<Items<AdminDoctor>>('GET', '/admin/practitioners', { query: { status: status || undefined, q: q || undefined } }),
  suspend: (id: Id, reason: string) => request<AdminDoctor>('POST', `/admin/practitioners/${enc(id)}/suspend`, { body: { reason } }),
  reinstate: (id: Id, reason: string) =>
    request<AdminDoctor>('POST', `/admin/practitioners/${enc(id)}/reinstate`, { body: { reason } }),

  doctors: (q: DoctorQuery) =>
    request<Items<Doctor> & { total?: number }>('GET', '/doctors', {
      query: {
        department: q.department || undefined,
        hospital_id: q.hospital_id === undefined || q.hospital_id === '' ? undefined : String(q.hospital_id),
        title: q.title || undefined,
        q: q.q || undefined,
        free_clinic: q.free_clinic ? 'true' : undefined,
        sort: q.sort,
        limit: q.limit,
        offset: q.offset,
      },
    }),
  doctor: (id: Id) => request<Doctor>('GET', `/doctors/${enc(id)}`),

  // Schedules and booking
  slots: (doctorId: Id, from: string, days = 7) =>
    request<Items<Slot>>('GET', `/doctors/${enc(doctorId)}/slots`, { query: { from, days } }),
  schedule: () => request<Schedule>('GET', '/me/schedule'),
  saveTemplate: (periods: TemplatePeriod[]) => request<Schedule>('PUT', '/me/schedule/template', { body: { periods } }),
  addException: (body: NewException) => request<ScheduleException>('POST', '/me/schedule/exceptions', { body }),
  deleteException: (id: Id) => request<void>('DELETE', `/me/schedule/exceptions/${enc(id)}`),
  day: (date: string) => request<DayView>('GET', '/me/day', { query: { date } }),

  book: (slot_id: Id, patient_id?: Id) =>
    request<Appointment>('POST', '/appointments', { body: patient_id === undefined ? { slot_id } : { slot_id, patient_id } }),
  myAppointments: (patientId?: Id, status?: string) =>
    request<Items<Appointment>>('GET', '/me/appointments', {
      query: { patient_id: patientId === undefined ? undefined : String(patientId), status },
    }),
  appointment: (id: Id) => request<Appointment>('GET', `/appointments/${enc(id)}`),
  cancel: (id: Id, reason?: string) =>
    request<Appointment>('POST', `/appointments/${enc(id)}/cancel`, { body: reason ? { reason } : {} }),
  noShow: (id: Id) => request<Appointment>('POST', `/appointments/${enc(id)}/no-show`),
  fulfil: (id: Id) => request<Appointment>('POST', `/appointments/${enc(id)}/fulfil`),
  notifications: () => request<Items<Notification>>('GET', '/me/notifications'),
  markRead: (id: Id) => request<void>('POST', `/me/notifications/${enc(id)}/read`),
};

/** Today's date (YYYY-MM-DD) in China Standard Time, the calendar the API speaks in. */
export function chinaDate(offsetDays = 0, from: number = Date.now()): string {
  const d = new Date(from + 8 * 3600_000 + offsetDays * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Weekday 1..7 (Mon = 1) of a YYYY-MM-DD date. */
export function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Fen → "12.50" (yuan with two decimals). */
export function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}
