// Health code (健康码): wire types and REST calls of src/domain/healthcode — the person's own code,
// declarations, check-ins and appeals; the authority's regions, risk areas, rules, exposures,
// appeals and venues; the lab's results; the gate's online verify. (Offline card verification
// against /.well-known/ keys lives in src/healthcode/verify.ts: those are not /api/v1 calls.)
import { request, requestBlob } from './client';
import type { Items } from './types';
import type { CardView } from '@/healthcode/verify';

/** A division of the real code table (core/regions). */
export interface Region {
  code: string;
  name: string;
  level: string;
}

export type RiskLevel = 'low' | 'medium' | 'high';
export interface RiskArea {
  id: number;
  region_code: string;
  region_name: string;
  region_level: string;
  province_name: string;
  level: RiskLevel;
  start_date: string;
  end_date: string | null;
  note: string;
  demo: boolean;
}

/** An appeal as the authority reads it. */
export interface Appeal {
  id: number;
  name_masked: string;
  id_number_masked: string;
  colour: string;
  text: string;
  status: string;
  resolution: string | null;
}

/** One of my own appeals. */
export interface MyAppeal {
  id: number;
  status: string;
  text: string;
  resolution: string | null;
  created_at: number;
}

export interface Contact {
  user_id: number;
  name_masked: string;
  id_number_masked: string;
}

export interface Venue {
  id: number;
  name: string;
  kind: string;
  region_name: string;
  address: string;
  code: string;
  checkin_text: string;
  demo: boolean;
}

export interface CodeReason {
  code: string;
  colour: string;
  until_date: string;
  negative_tests_needed: number;
  region_code: string;
  detail: string;
}

export interface MyCode {
  colour: 'green' | 'yellow' | 'red';
  reasons: CodeReason[];
  changes_on: string | null;
  name_masked: string;
  id_number_masked: string;
  latest_test: { result: string; sampled_at: number } | null;
  card: { qr_text: string; qr_svg: string; issued_at: number; expires_at: number };
}

export type Declaration =
  | { kind: 'symptom'; value: string; date: string }
  | { kind: 'travel'; region_code: string; date: string };

export interface NewRiskArea {
  region_code: string;
  level: string;
  start_date: string;
  end_date?: string;
  note?: string;
}

export interface NewVenue {
  name: string;
  kind: string;
  region_code: string;
  address: string;
}

export interface TestResultInput {
  id_number: string;
  sample_id: string;
  result: string;
  sampled_at: number;
}

/** A colour rule: a fact's value (travel: the region's risk) gives a colour for `days` and until
 * `negative_tests` negative tests were sampled after it (src/domain/healthcode/rules.hpp). */
export interface ColourRule {
  fact: string;
  value?: string;
  risk?: string;
  colour: string;
  days: number;
  negative_tests: number;
}
export interface RuleSet {
  test_valid_hours: number;
  rules: ColourRule[];
}

export const healthcodeApi = {
  // The person's own code
  myCode: () => request<MyCode>('GET', '/me/healthcode'),
  myAppeals: () => request<Items<MyAppeal>>('GET', '/me/healthcode/appeals'),
  declare: (body: Declaration) => request<void>('POST', '/me/healthcode/declarations', { body }),
  checkIn: (venue_code: string) => request<{ venue_name: string }>('POST', '/me/checkins', { body: { venue_code } }),
  appeal: (text: string) => request<void>('POST', '/me/healthcode/appeals', { body: { text } }),

  // Divisions (province → city → county), '' for the provinces
  regions: (parent: string) => request<Items<Region>>('GET', '/healthcode/regions', { query: { parent } }),

  // Health authority
  riskAreas: () => request<Items<RiskArea>>('GET', '/healthcode/risk-areas'),
  /** The areas in force today, and today's date in China time. */
  currentRiskAreas: () => request<Items<RiskArea> & { today: string }>('GET', '/healthcode/risk-areas', { query: { current: 1 } }),
  addRiskArea: (body: NewRiskArea) =>
    request<{ region_name: string; recomputed: number }>('POST', '/healthcode/risk-areas', { body }),
  endRiskArea: (id: number, end_date: string) => request<void>('POST', `/healthcode/risk-areas/${id}/end`, { body: { end_date } }),
  appeals: (status: string) => request<Items<Appeal>>('GET', '/healthcode/appeals', { query: { status } }),
  resolveAppeal: (id: number, decision: 'upheld' | 'rejected', resolution: string) =>
    request<void>('POST', `/healthcode/appeals/${id}/resolve`, { body: { decision, resolution } }),
  /** The current rule set, earlier versions, and what each fact's rules may name (vocabulary). */
  rules: () => request<{ current: { version?: number; rules?: RuleSet }; vocabulary: Record<string, string[]> }>('GET', '/healthcode/rules'),
  saveRules: (rules: RuleSet, note: string) =>
    request<{ version: number; recomputed: number }>('POST', '/healthcode/rules', { body: { rules, note } }),
  flagExposure: (body: { id_number: string; value: string; detail: string }) =>
    request<{ colour: string; contacts: Contact[] }>('POST', '/healthcode/exposures', { body }),
  venues: () => request<Items<Venue>>('GET', '/healthcode/venues'),
  addVenue: (body: NewVenue) => request<Venue>('POST', '/healthcode/venues', { body }),
  /** The venue's check-in QR (SVG) as an object URL; the caller revokes it. */
  venueQr: (id: number) => requestBlob(`/healthcode/venues/${id}/qr.svg`),

  // Lab
  enterResult: (body: TestResultInput) => request<{ colour: string }>('POST', '/healthcode/tests', { body }),
  /** All rows or none; a wrong file fails with one field error per line. */
  importResults: (csv: string) =>
    request<{ imported: number; people: number }>('POST', '/healthcode/tests/import', { raw: new Blob([csv], { type: 'text/csv' }) }),

  // Gate (records the scan; a check-in when venue_id is given)
  verify: (body: { qr: string; gate: string; venue_id?: number }) => request<CardView>('POST', '/healthcode/verify', { body }),
};
