// Types and calls of nucleic-acid test booking (src/domain/nattest) and home services
// (src/domain/homecare) shared by the patient and staff pages.
import { request } from '@/api';

export interface NatSite {
  id: number;
  name: string;
  kind: 'hospital' | 'sampling_point';
  region_code: string;
  region_name: string;
  address: string;
  opening_hours: string;
  demo: boolean;
  free_places: number;
}
export interface NatSlot { id: number; start_at: number; end_at: number; window: string; capacity: number; free: number; bookable: boolean }
export interface NatBooking {
  id: number;
  patient_id: number;
  patient_name: string;
  mode: 'site' | 'home';
  site_name: string | null;
  site_address: string | null;
  region_name: string | null;
  address: string;
  date: string;
  window: string;
  window_start: number;
  status: 'booked' | 'accepted' | 'collected' | 'resulted' | 'cancelled';
  sample_no: string | null;
  collected_at: number | null;
  result: 'negative' | 'positive' | null;
  reported_at: number | null;
  cancel_reason: string;
  colour?: string;
}
export interface HcService { code: string; kind: 'nursing' | 'escort'; name_zh: string; name_en: string; price_fen: number; duration_minutes: number; demo: boolean }
export interface HcEvent { status: string; actor_role: string; note: string; at: number }
export interface HcOrder {
  id: number;
  patient_name: string;
  service_code: string;
  service_kind: string;
  service_name_zh: string;
  service_name_en: string;
  price_fen: number;
  price_demo: boolean;
  region_name: string;
  address: string;
  contact_phone: string;
  date: string;
  window: string;
  window_start: number;
  note: string;
  status: 'requested' | 'accepted' | 'arrived' | 'completed' | 'cancelled';
  nurse_name: string | null;
  service_note: string;
  cancel_reason: string;
  can_cancel?: boolean;
  cancel_needs_reason?: boolean;
  events?: HcEvent[];
}

export const natApi = {
  sites: (region: string) => request<{ items: NatSite[] }>('GET', '/nat/sites', { query: { region: region || undefined } }),
  slots: (site: number, date: string) => request<{ items: NatSlot[] }>('GET', `/nat/sites/${site}/slots`, { query: { date } }),
  book: (slot_id: number, patient_id?: number) =>
    request<NatBooking>('POST', '/nat/bookings', { body: patient_id ? { slot_id, patient_id } : { slot_id } }),
  home: (body: Record<string, unknown>) => request<NatBooking>('POST', '/nat/home-visits', { body }),
  mine: () => request<{ items: NatBooking[] }>('GET', '/me/nat/bookings'),
  cancel: (id: number) => request<NatBooking>('POST', `/nat/bookings/${id}/cancel`, { body: {} }),
};

export const careApi = {
  services: () => request<{ items: HcService[] }>('GET', '/homecare/services'),
  order: (body: Record<string, unknown>) => request<HcOrder>('POST', '/homecare/orders', { body }),
  mine: () => request<{ items: HcOrder[] }>('GET', '/me/homecare/orders'),
  cancel: (id: number, reason: string) => request<HcOrder>('POST', `/homecare/orders/${id}/cancel`, { body: reason ? { reason } : {} }),
};

/** "YYYY-MM-DD" in China Standard Time, `days` from today. */
export function cstDate(days = 0): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
}

/** 9900 → "¥99.00" */
export function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}
