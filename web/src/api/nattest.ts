// Nucleic-acid tests (核酸检测): wire types and REST calls of src/domain/nattest — sites and their
// slots, bookings at a site or at home, the nurse's home visits and the lab's samples.
import { request } from './client';
import type { Items } from './types';

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
  price_fen?: number; // per test; 0 = free
}
export interface NatSlot { id: number; start_at: number; end_at: number; window: string; capacity: number; free: number; bookable: boolean }
export interface NatBooking {
  id: number;
  price_fen?: number; // the site's price when booked (billing source nat_booking); 0 = free
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

export interface NewNatSite {
  name: string;
  kind: string;
  region_code: string;
  address: string;
  opening_hours: string;
}

export interface NatSlotPlan {
  from_date: string;
  days: number;
  start_time: string;
  end_time: string;
  window_minutes: number;
  capacity: number;
}

const enc = (v: string) => encodeURIComponent(v);

export const natApi = {
  // Patient
  sites: (region: string) => request<Items<NatSite>>('GET', '/nat/sites', { query: { region: region || undefined } }),
  slots: (site: number, date: string) => request<Items<NatSlot>>('GET', `/nat/sites/${site}/slots`, { query: { date } }),
  book: (slot_id: number, patient_id?: number) =>
    request<NatBooking>('POST', '/nat/bookings', { body: patient_id ? { slot_id, patient_id } : { slot_id } }),
  home: (body: Record<string, unknown>) => request<NatBooking>('POST', '/nat/home-visits', { body }),
  mine: () => request<Items<NatBooking>>('GET', '/me/nat/bookings'),
  cancel: (id: number) => request<NatBooking>('POST', `/nat/bookings/${id}/cancel`, { body: {} }),

  // Health authority / admin: sites and their slots
  addSite: (body: NewNatSite) => request<NatSite>('POST', '/nat/sites', { body }),
  addSlots: (site: number, body: NatSlotPlan) =>
    request<{ created: number; existing: number }>('POST', `/nat/sites/${site}/slots`, { body }),

  // Nurse: home visits
  homeVisits: (region?: string) => request<Items<NatBooking>>('GET', '/nat/home-visits', { query: { region: region || undefined } }),
  acceptHomeVisit: (id: number) => request<void>('POST', `/nat/home-visits/${id}/accept`, { body: {} }),

  // Nurse and lab: samples
  pendingSamples: () => request<Items<NatBooking>>('GET', '/nat/samples'),
  sample: (sampleNo: string) => request<NatBooking>('GET', `/nat/samples/${enc(sampleNo)}`),
  collect: (sampleNo: string) => request<NatBooking>('POST', `/nat/samples/${enc(sampleNo)}/collect`, { body: {} }),
  recordResult: (sampleNo: string, result: 'negative' | 'positive') =>
    request<NatBooking>('POST', `/nat/samples/${enc(sampleNo)}/result`, { body: { result } }),
};
