// Pharmacies: wire types and REST calls of src/domain/pharmacy — nearby search, a
// pharmacy's page, the staff console (settings, stock, receipts, adjustments, prices, moves), staff
// applications and the admin review, the stock level check. Amounts are integer fen, times Unix ms.
import { request } from './client';
import type { Items } from './types';

export type PharmacyStatus = 'open' | 'closed' | 'temporarily_closed';
export type Duty = 'counter' | 'courier' | 'manager';
export interface Hours { weekday: number; open: string; close: string }
export interface Pharmacy {
  id: number;
  name: string;
  licence_no: string;
  region_code: string;
  address: string;
  lat: number;
  lon: number;
  hours: Hours[];
  status: PharmacyStatus;
  status_note: string;
  delivers: boolean;
  delivery_radius_m: number;
  delivery_fee_fen: number;
  pickup_counter: string;
  phone: string;
  demo: boolean;
  open_now?: boolean;
  duty?: Duty;
}
export interface Batch { batch_no: string; expiry_date: string; on_hand: number; expired: boolean; near_expiry: boolean }
export interface StockItem {
  formulary_item_id: number;
  name: string;
  price_fen: number | null;
  on_hand: number;
  reserved: number;
  available: number;
  batches: Batch[];
}
export interface StockMove {
  id: number;
  formulary_item_id: number;
  kind: 'received' | 'reserved' | 'released' | 'dispensed' | 'returned' | 'expired' | 'adjusted';
  batch_no: string;
  expiry_date: string;
  on_hand_delta: number;
  reserved_delta: number;
  ref: string;
  reason: string;
  cost_fen: number | null;
  by_user: number | null;
  at: number;
}
export interface Settings {
  status: PharmacyStatus;
  status_note: string;
  delivers: boolean;
  delivery_radius_m: number;
  delivery_fee_fen: number;
  pickup_counter: string;
  phone: string;
  hours: Hours[];
}
export interface Application {
  id: number;
  user_id: number;
  user_name: string;
  kind: 'join' | 'register';
  pharmacy_id: number | null;
  pharmacy_name: string;
  duty: Duty;
  licence_no: string;
  region_code: string;
  address: string;
  lat: number;
  lon: number;
  phone: string;
  note: string;
  status: 'pending' | 'approved' | 'rejected';
  reason: string;
  created_at: number;
  reviewed_at: number | null;
}
export type ApplicationInput =
  | { kind: 'join'; pharmacy_id: number; duty: Duty; note?: string }
  | { kind: 'register'; name: string; licence_no: string; region_code: string; address: string; lat: number; lon: number; phone?: string; note?: string };
export interface NearbyHit {
  pharmacy: Pharmacy;
  distance_m: number;
  open_now: boolean;
  delivers_here: boolean;
  complete: boolean;
  available: { formulary_item_id: number; quantity: number }[];
  basket_fen: number;
  delivery_fee_fen: number;
}
export interface LevelCheck {
  moves_checked: number;
  levels_checked: number;
  consistent: boolean;
  differences: { pharmacy_id: number; formulary_item_id: number; batch_no: string; stored: number; from_moves: number }[];
}

export const pharmacyApi = {
  nearby: (q: { lat: number; lon: number; radius_m?: number; items?: { id: number; qty: number }[]; partial?: boolean; delivery?: boolean }) =>
    request<Items<NearbyHit>>('GET', '/pharmacies/nearby', {
      query: {
        lat: q.lat,
        lon: q.lon,
        radius_m: q.radius_m,
        items: q.items?.length ? q.items.map((i) => `${i.id}:${i.qty}`).join(',') : undefined,
        partial: q.partial ? '1' : undefined,
        delivery: q.delivery ? '1' : undefined,
      },
    }),
  get: (id: number) => request<Pharmacy>('GET', `/pharmacies/${id}`),
  mine: () => request<Items<Pharmacy>>('GET', '/pharmacy/mine'),
  updateSettings: (id: number, body: Settings) => request<Pharmacy>('PUT', `/pharmacies/${id}/settings`, { body }),
  stock: (id: number) => request<Items<StockItem>>('GET', `/pharmacies/${id}/stock`),
  receive: (id: number, body: { formulary_item_id: number; batch_no: string; expiry_date: string; quantity: number; cost_fen?: number; price_fen?: number }) =>
    request<StockMove>('POST', `/pharmacies/${id}/stock/receipts`, { body }),
  adjust: (id: number, body: { formulary_item_id: number; batch_no: string; delta: number; reason: string }) =>
    request<StockMove>('POST', `/pharmacies/${id}/stock/adjustments`, { body }),
  moves: (id: number, item: number) => request<Items<StockMove>>('GET', `/pharmacies/${id}/stock/${item}/moves`),
  setPrice: (id: number, item: number, price_fen: number) => request<{ price_fen: number }>('PUT', `/pharmacies/${id}/prices/${item}`, { body: { price_fen } }),
  apply: (body: ApplicationInput) => request<Application>('POST', '/pharmacy-applications', { body }),
  myApplications: () => request<Items<Application>>('GET', '/pharmacy-applications'),
  applications: (status?: string) => request<Items<Application>>('GET', '/admin/pharmacy-applications', { query: { status } }),
  approve: (id: number) => request<Application>('POST', `/admin/pharmacy-applications/${id}/approve`, { body: {} }),
  reject: (id: number, reason: string) => request<Application>('POST', `/admin/pharmacy-applications/${id}/reject`, { body: { reason } }),
  checkLevels: () => request<LevelCheck>('GET', '/admin/pharmacy-stock/check'),
};

/** 12345 → "123.45". */
export function yuan(fen: number | null | undefined): string {
  return fen === null || fen === undefined ? '—' : (fen / 100).toFixed(2);
}
