// Normalising what the server sends, so the pages tolerate small differences
// in field names while the API settles (docs/api.md is the contract).
import { t, has, type Key } from './i18n';

// The server's kind codes (domain/roster.cpp) and the Chinese names the roster uses.
const KIND_CODES: Record<string, string> = {
  college: '高职', university: '高校', middle: '中学', primary: '小学',
  nine_year: '九年一贯制', kindergarten: '幼儿园', training: '培训机构',
};

export interface Inst {
  code: string;
  name: string;
  kind: string;
  lon: number;
  lat: number;
  people: number;
  cases?: number;
  contacts?: number;
  coverage?: number; // 0..1
  raw: any;
}

const num = (...xs: any[]): number | undefined => {
  for (const x of xs) if (typeof x === 'number' && Number.isFinite(x)) return x;
  for (const x of xs) if (typeof x === 'string' && x.trim() !== '' && Number.isFinite(Number(x))) return Number(x);
  return undefined;
};

export function normInst(i: any): Inst {
  const counts = i.counts ?? i.roster ?? {};
  const cov = num(i.coverage, i.test_coverage, i.stats?.coverage);
  return {
    code: String(i.code ?? i.id ?? ''),
    name: String(i.name ?? i.code ?? ''),
    kind: String(i.kind_name ?? KIND_CODES[i.kind] ?? i.kind ?? i.type ?? ''),
    lon: num(i.longitude, i.lon, i.lng) ?? NaN,
    lat: num(i.latitude, i.lat) ?? NaN,
    people: num(i.people, counts.people, i.people_count) ?? 0,
    cases: num(i.cases, i.confirmed, i.stats?.cases),
    contacts: num(i.contacts, i.close_contacts, i.stats?.close_contacts),
    // The API sends coverage in % (docs/api.md), as the statistics table does.
    coverage: cov === undefined ? undefined : cov / 100,
    raw: i,
  };
}

export type Risk = 'high' | 'medium' | 'low' | 'none';
export function hasRiskData(list: Inst[]) {
  return list.some((i) => i.cases !== undefined || i.contacts !== undefined || i.coverage !== undefined);
}
export function riskOf(i: Inst): Risk {
  if ((i.cases ?? 0) > 0) return 'high';
  if ((i.contacts ?? 0) > 0 || (i.coverage !== undefined && i.coverage < 0.9)) return 'medium';
  if (i.coverage !== undefined) return 'low';
  return 'none';
}
export const RISK_COLOR: Record<Risk, string> = {
  high: '#ff4d57',
  medium: '#ffa928',
  low: '#3ddc84',
  none: '#5aa9ff',
};
export const KIND_COLOR: Record<string, string> = {
  高职: '#c58cff',
  中学: '#4fb3ff',
  小学: '#2ee6c5',
  九年一贯制: '#7f9cff',
  幼儿园: '#ffd36b',
  培训机构: '#a9b6c6',
};
export const kindColor = (k: string) => KIND_COLOR[k] ?? '#e0e6ee';

// ---- overview figures

export interface Figure {
  key: string;
  label: string;
  value: number;
  pct?: boolean;
  link?: string;
  tone?: 'alert' | 'warn' | 'ok';
}

const ORDER = [
  'institutions', 'people', 'students', 'teachers', 'staff', 'cases', 'close_contacts',
  'secondary_contacts', 'quarantined', 'coverage', 'sampled', 'missed', 'directives_open',
  'directives_overdue', 'dorm_residents', 'units',
];
const ALIASES: Record<string, string> = {
  institution_count: 'institutions',
  people_count: 'people',
  persons: 'people',
  confirmed: 'cases',
  contacts: 'close_contacts',
  secondary: 'secondary_contacts',
  open_directives: 'directives_open',
  overdue_directives: 'directives_overdue',
  test_coverage: 'coverage',
};
const LINKS: Record<string, string> = {
  people: '#/people',
  students: '#/people?role=student',
  teachers: '#/people?role=teacher',
  staff: '#/people?role=staff',
};
const TONE: Record<string, Figure['tone']> = {
  cases: 'alert',
  close_contacts: 'warn',
  secondary_contacts: 'warn',
  missed: 'warn',
  directives_overdue: 'alert',
};

export function figuresOf(stats: any): Figure[] {
  if (!stats || typeof stats !== 'object') return [];
  const flat: Record<string, number> = {};
  const put = (k: string, v: any) => {
    const key = ALIASES[k] ?? k;
    if (typeof v === 'number' && Number.isFinite(v) && !(key in flat)) flat[key] = v;
  };
  for (const [k, v] of Object.entries(stats)) put(k, v);
  for (const [, v] of Object.entries(stats))
    if (v && typeof v === 'object' && !Array.isArray(v))
      for (const [k2, v2] of Object.entries(v as object)) put(k2, v2);
  const keys = Object.keys(flat)
    .filter((k) => ORDER.includes(k) || !/(_id|seq|version|at)$/.test(k))
    .sort((a, b) => (ORDER.indexOf(a) + 1 || 99) - (ORDER.indexOf(b) + 1 || 99));
  return keys.slice(0, 12).map((k) => {
    const labelKey = `fig.${k}`;
    return {
      key: k,
      label: has(labelKey) ? t(labelKey as Key) : k.replace(/_/g, ' '),
      // Rates come in % from the API; the page formats fractions.
      value: k === 'coverage' || k.endsWith('_rate') ? flat[k] / 100 : flat[k],
      pct: k === 'coverage' || k.endsWith('_rate'),
      link: LINKS[k],
      tone: flat[k] > 0 ? TONE[k] : undefined,
    };
  });
}

export interface Trend {
  dates: string[];
  series: { key: string; values: number[] }[];
}

/** Daily series, either [{date, cases, …}] or {dates: [...], cases: [...]}. */
export function trendOf(stats: any): Trend | null {
  const src = stats?.series ?? stats?.trends ?? stats?.daily ?? stats?.trend;
  if (!src) return null;
  if (Array.isArray(src) && src.length) {
    const dates = src.map((r: any) => String(r.date ?? r.day ?? ''));
    const keys = Object.keys(src[0]).filter((k) => k !== 'date' && k !== 'day' && typeof src[0][k] === 'number');
    return { dates, series: keys.map((k) => ({ key: k, values: src.map((r: any) => Number(r[k] ?? 0)) })) };
  }
  if (typeof src === 'object' && Array.isArray(src.dates)) {
    const keys = Object.keys(src).filter((k) => k !== 'dates' && Array.isArray(src[k]));
    return { dates: src.dates.map(String), series: keys.map((k) => ({ key: k, values: src[k].map(Number) })) };
  }
  return null;
}
