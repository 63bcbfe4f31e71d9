// Risk-area map data: China's province shapes and each province's city (or, for the
// municipalities, district) shapes, joined to the real division codes of core/regions.
//
// The shapes are the GeoJSON files that Apache ECharts 4.9.0 shipped in its npm package
// (map/json/china.json and map/json/province/*.json; package licence Apache-2.0). ECharts 5+
// no longer ships maps, so package.json installs echarts@4.9.0 under the alias `echarts-4-maps`
// for these files only; rendering uses the current `echarts`. Each feature carries the
// six-digit division code as its `id` (older codes for a few renamed cities are joined by name).
// Every file is its own lazily loaded chunk: the map page downloads the national shape and the
// one province it shows, nothing else.

export interface GeoFeature {
  id?: string;
  properties: { name: string; [k: string]: unknown };
  [k: string]: unknown;
}
export interface GeoJson {
  type: 'FeatureCollection';
  features: GeoFeature[];
  [k: string]: unknown;
}
// The wire types live with the calls in api/healthcode.ts.
import type { Region, RiskArea, RiskLevel } from '@/api/healthcode';
export type { Region, RiskArea };
export type Level = RiskLevel;

const provinceFiles = import.meta.glob<GeoJson>('../../../node_modules/echarts-4-maps/map/json/province/*.json', {
  import: 'default',
});
const chinaFile = import.meta.glob<GeoJson>('../../../node_modules/echarts-4-maps/map/json/china.json', {
  import: 'default',
});

// File name in the package -> province code.
const FILE_CODE: Record<string, string> = {
  anhui: '340000', aomen: '820000', beijing: '110000', chongqing: '500000', fujian: '350000',
  gansu: '620000', guangdong: '440000', guangxi: '450000', guizhou: '520000', hainan: '460000',
  hebei: '130000', heilongjiang: '230000', henan: '410000', hubei: '420000', hunan: '430000',
  jiangsu: '320000', jiangxi: '360000', jilin: '220000', liaoning: '210000', neimenggu: '150000',
  ningxia: '640000', qinghai: '630000', shandong: '370000', shanghai: '310000', shanxi: '140000',
  shanxi1: '610000', sichuan: '510000', taiwan: '710000', tianjin: '120000', xianggang: '810000',
  xinjiang: '650000', xizang: '540000', yunnan: '530000', zhejiang: '330000',
};

/** The national shape (provinces). */
export async function loadChina(): Promise<GeoJson> {
  const load = Object.values(chinaFile)[0];
  return structuredClone(await load());
}

/** The shape of one province with its cities (municipalities: districts); null when none. */
export async function loadProvince(code: string): Promise<GeoJson | null> {
  for (const [path, load] of Object.entries(provinceFiles)) {
    const file = path.slice(path.lastIndexOf('/') + 1, -'.json'.length);
    if (FILE_CODE[file] === code) return structuredClone(await load());
  }
  return null;
}

const SUFFIXES = [
  '特别行政区', '维吾尔自治区', '壮族自治区', '回族自治区', '自治区', '自治州', '自治县', '地区', '新区', '林区', '盟', '省', '市', '区', '县',
];
function short(name: string): string {
  for (const s of SUFFIXES) if (name.length > s.length + 1 && name.endsWith(s)) return name.slice(0, -s.length);
  return name;
}

/**
 * Joins shapes to divisions: by code first, then (a city renamed or re-coded since the shapes
 * were drawn, e.g. 日喀则地区 542300 -> 日喀则市 540200) by name within the same parent.
 * Returns feature name -> region; shapes that match nothing are left out (drawn grey).
 */
export function joinRegions(features: GeoFeature[], regions: Region[]): Map<string, Region> {
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const used = new Set<string>();
  const out = new Map<string, Region>();
  const pending: GeoFeature[] = [];
  for (const f of features) {
    const r = f.id ? byCode.get(f.id) : undefined;
    if (r && !used.has(r.code)) {
      out.set(f.properties.name, r);
      used.add(r.code);
    } else pending.push(f);
  }
  for (const f of pending) {
    const n = short(f.properties.name);
    const r = regions.find((x) => !used.has(x.code) && (short(x.name) === n || (n.length >= 2 && x.name.startsWith(n))));
    if (r) {
      out.set(f.properties.name, r);
      used.add(r.code);
    }
  }
  return out;
}

export const LEVEL_RANK: Record<string, number> = { low: 1, medium: 2, high: 3 };
export const RANK_LEVEL = ['', 'low', 'medium', 'high'] as const;
export const LEVEL_COLOUR = ['#eef1f5', '#7cb7e8', '#f5a623', '#e03b3b'];

/** The prefix a division code shares with everything inside it (420000 -> 42, 420100 -> 4201). */
export function codePrefix(code: string): string {
  let p = code;
  while (p.length > 2 && p.endsWith('00')) p = p.slice(0, -2);
  return p;
}

export interface RegionRisk {
  /** Highest level in force on this region itself. */
  own: number;
  /** Highest level in force on a region that contains it (its city or province). */
  above: number;
  /** Highest level in force somewhere inside it, and how many areas. */
  inside: number;
  insideCount: number;
  /** The colour on the map: the highest of the three. */
  shown: number;
}

/** Risk of `code` from the areas in force today. */
export function riskOf(code: string, areas: RiskArea[]): RegionRisk {
  const prefix = codePrefix(code);
  const r: RegionRisk = { own: 0, above: 0, inside: 0, insideCount: 0, shown: 0 };
  for (const a of areas) {
    const rank = LEVEL_RANK[a.level] ?? 0;
    if (a.region_code === code) r.own = Math.max(r.own, rank);
    else if (prefix.startsWith(codePrefix(a.region_code))) r.above = Math.max(r.above, rank);
    else if (a.region_code.startsWith(prefix)) {
      r.inside = Math.max(r.inside, rank);
      r.insideCount += 1;
    }
  }
  r.shown = Math.max(r.own, r.above, r.inside);
  return r;
}
