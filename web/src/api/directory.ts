// Directory (src/domain/directory): hospitals and their departments, practitioner
// applications with their certificates, the admin's practitioner list, and the public doctors
// list. Keep in step with docs/openapi.yaml.
import { request, requestBlob } from './client';
import type { Items } from './types';

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

export const directoryApi = {
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
};
