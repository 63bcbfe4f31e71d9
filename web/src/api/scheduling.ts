// Scheduling (src/domain/scheduling): a doctor's weekly template, exceptions and day
// view; slots, booking (挂号) and appointments; the booking notifications. Keep in step with
// docs/openapi.yaml.
import { request } from './client';
import type { Items, LocalizedText } from './types';
import type { Id, Service, Title } from './directory';

export type AppointmentStatus = 'booked' | 'cancelled' | 'fulfilled' | 'noshow';

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

const enc = (id: Id) => encodeURIComponent(String(id));

export const schedulingApi = {
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
