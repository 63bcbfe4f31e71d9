// Payment and medical insurance (医保支付): wire types and REST calls of
// src/domain/billing — the insurance profile, orders with pre-settlement and payment, receipts,
// refunds, the demo payment provider's checkout, and the admin's items, policies, reconciliation
// and ledger check. Amounts are integer fen, times Unix ms.
import { request } from './client';
import type { Items } from './types';

export type Scheme = 'employee' | 'resident' | 'self_pay';
export type OrderStatus = 'pending' | 'paying' | 'paid' | 'expired' | 'cancelled' | 'refunded';
export type ItemClass = 'A' | 'B' | 'none' | 'never';
export type SplitRule = 'not_covered' | 'self_pay' | 'b_selfpay_first' | 'deductible' | 'ratio' | 'annual_cap' | 'personal_account';
export const SPLIT_RULES: SplitRule[] = ['not_covered', 'self_pay', 'b_selfpay_first', 'deductible', 'ratio', 'annual_cap', 'personal_account'];

/** The priced things billing charges for (src/app/billing_sources.cpp); drug_order comes with dispensing. */
export type SourceKind = 'consultation' | 'appointment' | 'nat_booking' | 'homecare_order' | 'drug_order';

export interface InsuranceProfile {
  patient_id: number | string;
  bound: boolean;
  scheme: Scheme;
  region_code: string;
  region_name: string;
  insured_no: string;
  adapter: string;
  demo: boolean;
  personal_balance_fen: number;
}

export interface OrderLine { line_no: number; item_code: string; name: string; item_class: ItemClass; unit_fen: number; quantity: number; amount_fen: number }
export interface SplitLine { line_no: number; name: string; amount_fen: number; fund_fen: number; personal_fen: number; cash_fen: number; rule: SplitRule | string }
export interface Split {
  scheme: Scheme;
  region_code: string;
  policy_version: number | null;
  fund_fen: number;
  personal_fen: number;
  cash_fen: number;
  lines: SplitLine[];
}
export interface Presettlement extends Split { total_fen: number; deductible_used_fen?: number }
export interface Payment { id: number; provider: string; demo: boolean; status: 'created' | 'succeeded' | 'closed'; amount_fen: number; out_trade_no: string; pay_url: string }
export interface Refund {
  id: number;
  reason: string;
  amount_fen: number;
  fund_fen: number;
  personal_fen: number;
  cash_fen: number;
  status: 'pending' | 'succeeded';
  created_at: number;
  succeeded_at?: number | null;
}
export interface Order {
  id: number;
  patient_id: number | string;
  patient_name: string;
  source_kind: SourceKind | string;
  source_id: number | string;
  title: string;
  status: OrderStatus;
  total_fen: number;
  refunded_fen: number;
  hold_until: number;
  hold_seconds_left: number;
  created_at: number;
  paid_at?: number | null;
  lines: OrderLine[];
  settlement?: Split | null;
  payment?: Payment | null;
  refunds: Refund[];
  receipt_number?: string | null;
}
export interface Receipt {
  number: string;
  issued_at: number;
  payer_name: string;
  patient_name: string;
  items: { name: string; item_class: ItemClass; amount_fen: number }[];
  total_fen: number;
  fund_fen: number;
  personal_fen: number;
  cash_fen: number;
  refunded_fen: number;
  status: OrderStatus;
}
export interface DemoCheckout { out_trade_no: string; merchant: string; subject: string; amount_fen: number; status: 'waiting' | 'paid' | 'closed'; demo: boolean; return_url?: string }

export interface PayChoice { use_insurance: boolean; use_personal_account: boolean }

// Admin
export interface BillingItem { code: string; name_zh: string; name_en: string; item_class: ItemClass; b_selfpay_bp: number }
export const GRADES = ['3A', '3B', '3C', '2A', '2B', '2C', '1', 'ungraded', '*'] as const;
export interface Ratio { grade: (typeof GRADES)[number] | string; item_class: 'A' | 'B'; ratio_bp: number }
export interface PolicyInput {
  region_code: string;
  scheme: 'employee' | 'resident';
  deductible_fen: number;
  annual_cap_fen: number;
  personal_account_pays: boolean;
  ratios: Ratio[];
}
export interface Policy extends PolicyInput { id: number; region_name: string; version: number; demo: boolean; created_at: number }
/** A settlement or a refund of the day (the server's row; refunds carry refund_id). */
export interface ReconRow { order_id: number; at: number; total_fen: number; fund_fen: number; personal_fen: number; cash_fen: number; receipt_number?: string; refund_id?: number }
export interface Reconciliation {
  region_code: string;
  date: string;
  settlements: ReconRow[];
  refunds: ReconRow[];
  totals: { settled_fund_fen: number; refunded_fund_fen: number; net_fund_fen: number };
  ledger_fund_fen: number;
  mismatches: { order_id: number; what: string }[];
  balanced: boolean;
}
export interface LedgerCheck { transactions: number; unbalanced: number; balances: { account: string; balance_fen: number }[] }

/** A fresh Idempotency-Key: one per user intent (a sheet opened, a form sent), reused on retries. */
export function idemKey(): string {
  const c = globalThis.crypto;
  if (c && 'randomUUID' in c) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}
const idem = (key?: string) => (key ? { 'Idempotency-Key': key } : undefined);

export const billingApi = {
  // Patient
  profile: (patientId?: string | number) => request<InsuranceProfile>('GET', '/billing/profile', { query: { patient_id: patientId === undefined ? undefined : String(patientId) } }),
  bind: (body: { scheme: Scheme; region_code: string; patient_id?: string | number }) => request<InsuranceProfile>('PUT', '/billing/profile', { body }),
  createOrder: (source_kind: string, source_id: string | number, key?: string) =>
    request<Order>('POST', '/billing/orders', { body: { source_kind, source_id: Number(source_id) }, headers: idem(key) }),
  orders: (source?: { source_kind: string; source_id: string | number }) =>
    request<Items<Order>>('GET', '/billing/orders', { query: source ? { source_kind: source.source_kind, source_id: String(source.source_id) } : undefined }),
  order: (id: string | number) => request<Order>('GET', `/billing/orders/${id}`),
  presettle: (id: string | number, choice: PayChoice) => request<Presettlement>('POST', `/billing/orders/${id}/presettle`, { body: choice }),
  pay: (id: string | number, choice: PayChoice, key: string) => request<Order>('POST', `/billing/orders/${id}/pay`, { body: choice, headers: idem(key) }),
  receipt: (id: string | number) => request<Receipt>('GET', `/billing/orders/${id}/receipt`),

  // The demo provider's checkout page
  demoCheckout: (outTradeNo: string) => request<DemoCheckout>('GET', `/demo-pay/${encodeURIComponent(outTradeNo)}`),
  demoConfirm: (outTradeNo: string) => request<DemoCheckout>('POST', `/demo-pay/${encodeURIComponent(outTradeNo)}/confirm`, { body: {} }),
  demoResend: (outTradeNo: string) => request<{ sent: boolean }>('POST', `/demo-pay/${encodeURIComponent(outTradeNo)}/resend`, { body: {} }),

  // Admin
  items: () => request<Items<BillingItem>>('GET', '/billing/items'),
  setItem: (code: string, body: { item_class: ItemClass; b_selfpay_bp: number }) => request<BillingItem>('PUT', `/billing/items/${encodeURIComponent(code)}`, { body }),
  policies: (filter?: { region_code: string; scheme: string }) => request<Items<Policy>>('GET', '/billing/policies', { query: filter }),
  addPolicy: (body: PolicyInput) => request<Policy>('POST', '/billing/policies', { body }),
  refund: (id: string | number, amount_fen: number, reason: string, key: string) =>
    request<Order>('POST', `/billing/orders/${id}/refunds`, { body: { amount_fen, reason }, headers: idem(key) }),
  reconciliation: (region_code: string, date: string) => request<Reconciliation>('GET', '/billing/reconciliation', { query: { region_code, date } }),
  ledgerCheck: () => request<LedgerCheck>('GET', '/billing/ledger/check'),
};

/** 12345 → "123.45". */
export function fen(v: number | null | undefined): string {
  return ((v ?? 0) / 100).toFixed(2);
}
/** 12345 → "¥123.45". */
export function yuan(v: number | null | undefined): string {
  return `¥${fen(v)}`;
}
/** Seconds → "mm:ss". */
export function mmss(s: number): string {
  const n = Math.max(0, Math.floor(s));
  return `${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
}

const RETURN_KEY = 'ihos.pay.return.';
/** Where the demo provider's page sends the payer back to (the bill), remembered per payment. */
export function rememberReturn(outTradeNo: string, path: string): void {
  try {
    sessionStorage.setItem(RETURN_KEY + outTradeNo, path);
  } catch {
    // private mode: the page falls back to my bills
  }
}
export function returnPath(outTradeNo: string): string | null {
  try {
    return sessionStorage.getItem(RETURN_KEY + outTradeNo);
  } catch {
    return null;
  }
}
