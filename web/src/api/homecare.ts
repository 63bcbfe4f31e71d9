// Home services (上门护理、陪诊): wire types and REST calls of src/domain/homecare — the catalogue and
// the patient's orders, the nurse's service areas, board and order steps.
import { request } from './client';
import type { Items } from './types';

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

/** A region a nurse serves. */
export interface CareArea { region_code: string; region_name: string }

/** The nurse's board: my areas, the open orders in them (street hidden), and my orders. */
export interface CareBoard { areas: CareArea[]; open: HcOrder[]; mine: HcOrder[] }

export type CareStep = 'accept' | 'arrive' | 'complete';

export const careApi = {
  // Patient
  services: () => request<Items<HcService>>('GET', '/homecare/services'),
  order: (body: Record<string, unknown>) => request<HcOrder>('POST', '/homecare/orders', { body }),
  mine: () => request<Items<HcOrder>>('GET', '/me/homecare/orders'),
  cancel: (id: number, reason: string) => request<HcOrder>('POST', `/homecare/orders/${id}/cancel`, { body: reason ? { reason } : {} }),

  // Nurse
  board: () => request<CareBoard>('GET', '/homecare/board'),
  setAreas: (region_codes: string[]) => request<void>('PUT', '/me/homecare/areas', { body: { region_codes } }),
  /** accept / arrive take no body; complete carries the service note. */
  step: (id: number, what: CareStep, serviceNote = '') =>
    request<void>('POST', `/homecare/orders/${id}/${what}`, { body: what === 'complete' ? { service_note: serviceNote } : {} }),
};

/** 9900 → "¥99.00" (scheduling's yuan() gives the bare "99.00"). */
export function yuanSign(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}
