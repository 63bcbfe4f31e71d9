// Drug orders (药品订单, FHIR MedicationDispense): wire types and REST calls of src/domain/dispensing —
// what a prescription can still order, placing and following an order, the pickup code; the
// pharmacy's queue, accept / reject / dispense, the counter's pickup scan; the courier's board.
import { request } from './client';
import type { Items } from './types';

export type DrugOrderStatus =
  | 'placed' | 'accepted' | 'dispensed' | 'assigned' | 'picked_up' | 'delivered' | 'failed'
  | 'handed_over' | 'returned' | 'cancelled' | 'rejected' | 'expired';
export const DRUG_ORDER_STATUSES: DrugOrderStatus[] = [
  'placed', 'accepted', 'dispensed', 'assigned', 'picked_up', 'delivered', 'failed', 'handed_over', 'returned', 'cancelled', 'rejected', 'expired',
];
export interface DrugOrderLine { line_no: number; formulary_item_id: number; name: string; strength: string; prescribed: number; quantity: number; unit_fen: number; item_code: string; /** OTC orders: 甲类 A / 乙类 B. */ otc_class?: 'A' | 'B' | null; /** OTC orders: the mark sold under (甲类: its advice acknowledged). */ otc_mark_id?: number | null }
export interface DrugOrderBatch { formulary_item_id: number; batch_no: string; expiry_date: string; quantity: number }
export interface DrugOrderEvent { status: DrugOrderStatus; actor_role: 'patient' | 'pharmacy' | 'courier' | 'system'; note: string; at: number }
export interface DrugOrder {
  id: number;
  patient_id: number;
  patient_name: string;
  /** rx: an approved prescription's lines; otc: OTC lines without a prescription (prescription_id null). */
  kind?: 'rx' | 'otc';
  prescription_id: number | null;
  pharmacy_id: number;
  pharmacy_name: string;
  mode: 'delivery' | 'pickup';
  address: string;
  lat: number;
  lon: number;
  contact_phone: string;
  items_fen: number;
  delivery_fee_fen: number;
  total_fen: number;
  status: DrugOrderStatus;
  reason: string;
  paid: boolean;
  courier_id: number | null;
  courier_name: string;
  pickup_used_at: number | null;
  created_at: number;
  updated_at: number;
  lines: DrugOrderLine[];
  batches: DrugOrderBatch[];
  events: DrugOrderEvent[];
}
export interface OrderableLine { line_no: number; formulary_item_id: number; name: string; strength: string; prescribed: number; ordered: number; dispensed: number; remaining: number }
export interface Orderable { prescription_id: number; rx_no: string; status: string; expires_at: number; refusal: 'rx_not_approved' | 'rx_expired' | null; lines: OrderableLine[] }
export interface PlaceOrder {
  prescription_id: number;
  pharmacy_id: number;
  mode: 'delivery' | 'pickup';
  address?: string;
  lat?: number;
  lon?: number;
  contact_phone?: string;
  lines?: { line_no: number; quantity: number }[];
}
/** An OTC order (POST /otc-orders): lines marked OTC by a pharmacist, no prescription, self-pay. */
export interface PlaceOtcOrder {
  pharmacy_id: number;
  patient_id?: number;
  mode: 'delivery' | 'pickup';
  address?: string;
  lat?: number;
  lon?: number;
  contact_phone?: string;
  lines: { formulary_item_id: number; quantity: number }[];
  /** The formulary lines whose pharmacist's advice the buyer read (every 甲类 line must be here). */
  advice_acknowledged_items: number[];
}
export interface PickupCode { code: string; qr_svg: string }
/** A pharmacy near a point with what it can supply of the basket (the pharmacy capability's search). */
export interface NearbyPharmacy {
  pharmacy: { id: number; name: string; address: string; lat: number; lon: number; demo: boolean; delivery_radius_m: number; delivery_fee_fen: number; status: 'open' | 'closed' | 'temporarily_closed'; status_note: string };
  distance_m: number;
  open_now: boolean;
  /** When it opens next (Unix ms; now when open); null when closed by its status. Only with include_closed. */
  next_open_at?: number | null;
  delivers_here: boolean;
  complete: boolean;
  available: { formulary_item_id: number; quantity: number }[];
  basket_fen: number;
  delivery_fee_fen: number;
}
export interface NearbyQuery { lat: number; lon: number; basket: { formulary_item_id: number; quantity: number }[]; delivery_only: boolean; include_closed?: boolean }
export type CourierStep = 'assigned' | 'picked_up' | 'delivered' | 'failed';

// The pharmacy capability's nearby search (GET /pharmacies/nearby, src/domain/pharmacy/api.cpp), with
// partial supply offered too (partial=1): items are "formulary_item_id:quantity" pairs.
async function nearbyPharmacies(q: NearbyQuery): Promise<NearbyPharmacy[]> {
  const query: Record<string, string> = {
    lat: String(q.lat),
    lon: String(q.lon),
    items: q.basket.map((b) => `${b.formulary_item_id}:${b.quantity}`).join(','),
    partial: '1',
  };
  if (q.delivery_only) query.delivery = '1';
  if (q.include_closed) query.closed = '1';
  const r = await request<Items<NearbyPharmacy>>('GET', '/pharmacies/nearby', { query });
  return r.items;
}

/** The batch scan so far: each code as the stock ledger knows it, and boxes scanned per item. */
export interface ScanCheck {
  complete: boolean;
  scans: { code: string; formulary_item_id: number; batch_no: string; expiry_date: string }[];
  items: { formulary_item_id: number; ordered: number; scanned: number }[];
}

export const dispensingApi = {
  // Patient
  orderable: (rxId: number | string) => request<Orderable>('GET', `/drug-orderable/${rxId}`),
  place: (body: PlaceOrder) => request<DrugOrder>('POST', '/drug-orders', { body }),
  placeOtc: (body: PlaceOtcOrder) => request<DrugOrder>('POST', '/otc-orders', { body }),
  mine: () => request<Items<DrugOrder>>('GET', '/me/drug-orders'),
  get: (id: number | string) => request<DrugOrder>('GET', `/drug-orders/${id}`),
  cancel: (id: number, reason = '') => request<DrugOrder>('POST', `/drug-orders/${id}/cancel`, { body: reason ? { reason } : {} }),
  nearby: (q: NearbyQuery): Promise<NearbyPharmacy[]> => nearbyPharmacies(q),
  pickupCode: (id: number | string) => request<PickupCode>('GET', `/drug-orders/${id}/pickup-code`),

  // Pharmacy staff
  myPharmacies: () => request<{ pharmacy_ids: number[] }>('GET', '/me/pharmacy-staff'),
  queue: (pharmacyId: number, status = '') =>
    request<Items<DrugOrder>>('GET', `/pharmacy-orders/${pharmacyId}`, { query: status ? { status } : undefined }),
  accept: (id: number) => request<DrugOrder>('POST', `/drug-orders/${id}/accept`, { body: {} }),
  reject: (id: number, reason: string) => request<DrugOrder>('POST', `/drug-orders/${id}/reject`, { body: { reason } }),
  /** With `batchCodes`: exactly the boxes scanned (one code per box); without: earliest expiry first. */
  dispense: (id: number, batchCodes?: string[]) =>
    request<DrugOrder>('POST', `/drug-orders/${id}/dispense`, { body: batchCodes ? { batch_codes: batchCodes } : {} }),
  batchCheck: (id: number, batchCodes: string[], partial = false) =>
    request<ScanCheck>('POST', `/drug-orders/${id}/batch-check`, { body: partial ? { batch_codes: batchCodes, partial } : { batch_codes: batchCodes } }),
  redeliver: (id: number) => request<DrugOrder>('POST', `/drug-orders/${id}/redeliver`, { body: {} }),
  takeBack: (id: number) => request<DrugOrder>('POST', `/drug-orders/${id}/take-back`, { body: {} }),
  scan: (pharmacyId: number, code: string) => request<DrugOrder>('POST', `/pharmacy-orders/${pharmacyId}/pickup-scans`, { body: { code } }),

  // Courier
  courierBoard: () => request<Items<DrugOrder>>('GET', '/me/courier/drug-orders'),
  courierStep: (id: number, status: CourierStep, reason = '') =>
    request<DrugOrder>('POST', `/drug-orders/${id}/courier`, { body: reason ? { status, reason } : { status } }),
};

