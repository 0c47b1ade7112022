// 传播链 — the chain of transmission as a force-directed graph (GET /chain,
// docs/api.md "Impact preview and the chain of transmission"). A large chain keeps
// cases and close contacts and draws each close contact's secondary contacts as one
// node ("次密接 N"), so that thousands of people do not stall the page.
import { useMemo } from 'preact/hooks';
import { Chart } from '../components/Chart';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../hooks';
import { fmtNum, lang, t, type Key } from '../i18n';

const LIVE = ['case.'];
/** Above this many secondary contacts they are summarised per close contact. */
export const AGGREGATE_ABOVE = 300;

export const CHAIN_COLOR: Record<string, string> = { case: '#ff4d57', close: '#ffa928', secondary: '#4fb3ff' };
const KINDS = ['case', 'close', 'secondary'] as const;
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0) || 0);
const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface ChainNode {
  person: number;
  name: string;
  institution: string;
  kind: string;
  case: number;
  in_scope: boolean;
}
interface ChainEdge {
  from: number;
  to: number;
  category: string;
  minutes: number;
}

export function chainOption(d: any) {
  const nodes: ChainNode[] = Array.isArray(d?.nodes) ? d.nodes : [];
  const edges: ChainEdge[] = Array.isArray(d?.edges) ? d.edges : [];
  const secondary = nodes.filter((n) => n.kind === 'secondary').length;
  const aggregate = secondary > AGGREGATE_ABOVE;
  const byId = new Map<string, ChainNode>();
  for (const n of nodes) byId.set(String(n.person), n);
  const shown = (n: ChainNode) => !aggregate || n.kind !== 'secondary';
  const maxMin = Math.max(1, ...edges.map((e) => num(e.minutes)));
  const width = (m: number) => 1 + (5 * Math.min(num(m), maxMin)) / maxMin;
  // Minutes with the source(s), for a node's tooltip.
  const inMinutes = new Map<string, number>();
  for (const e of edges) inMinutes.set(String(e.to), (inMinutes.get(String(e.to)) ?? 0) + num(e.minutes));

  const data: any[] = [];
  const links: any[] = [];
  const many = nodes.filter(shown).length > 80;
  for (const n of nodes) {
    if (!shown(n)) continue;
    const k = KINDS.indexOf(n.kind as any);
    data.push({
      id: String(n.person),
      name: n.name,
      kind: n.kind,
      case: n.case,
      institution: n.institution,
      minutes: inMinutes.get(String(n.person)) ?? 0,
      category: k < 0 ? 2 : k,
      symbolSize: n.kind === 'case' ? 26 : n.kind === 'close' ? 12 : 7,
      label: { show: n.kind === 'case' || !many },
      cursor: n.kind === 'case' && n.case ? 'pointer' : 'default',
    });
  }
  // Secondary contacts summarised: one node per source, with the count and the longest contact.
  const agg = new Map<string, { n: number; minutes: number; max: number }>();
  for (const e of edges) {
    const from = String(e.from);
    const to = String(e.to);
    const a = byId.get(from);
    const b = byId.get(to);
    if (!a || !b) continue;
    if (aggregate && b.kind === 'secondary') {
      if (!shown(a)) continue;
      const g = agg.get(from) ?? { n: 0, minutes: 0, max: 0 };
      g.n += 1;
      g.minutes += num(e.minutes);
      g.max = Math.max(g.max, num(e.minutes));
      agg.set(from, g);
      continue;
    }
    if (!shown(a) || !shown(b)) continue;
    links.push({ source: from, target: to, minutes: num(e.minutes), lineStyle: { width: width(e.minutes) } });
  }
  for (const [from, g] of agg) {
    const src = byId.get(from)!;
    const label = t('chain.agg', { n: fmtNum(g.n) });
    data.push({
      id: `agg:${from}`,
      name: label,
      kind: 'secondary-group',
      count: g.n,
      institution: src.institution,
      minutes: g.minutes,
      category: 2,
      symbolSize: Math.min(20, 6 + 3 * Math.log2(1 + g.n)),
      label: { show: agg.size <= 40 },
    });
    links.push({ source: from, target: `agg:${from}`, minutes: g.max, lineStyle: { width: width(g.max) } });
  }

  const names = new Map(data.map((x) => [x.id, x.name]));
  return {
    option: {
      backgroundColor: 'transparent',
      aria: { enabled: true },
      color: KINDS.map((k) => CHAIN_COLOR[k]),
      legend: {
        data: KINDS.map((k) => t(`chain.kind.${k}` as Key)),
        textStyle: { color: '#c8d3de' },
        top: 0,
      },
      tooltip: {
        trigger: 'item',
        backgroundColor: '#0d1d2e',
        borderColor: '#2c4f73',
        textStyle: { color: '#e0e6ee' },
        formatter: (p: any) => {
          const x = p.data ?? {};
          if (p.dataType === 'edge')
            return `${esc(names.get(x.source))} → ${esc(names.get(x.target))}<br/>${esc(t('chain.minutes', { n: fmtNum(num(x.minutes)) }))}`;
          const kind = x.kind === 'secondary-group' ? t('chain.kind.secondary') : t(`chain.kind.${x.kind}` as Key);
          const lines = [`<b>${esc(x.name)}</b> · ${esc(kind)}`];
          if (x.institution) lines.push(esc(x.institution));
          if (x.minutes) lines.push(esc(t('chain.minutes', { n: fmtNum(num(x.minutes)) })));
          return lines.join('<br/>');
        },
      },
      series: [
        {
          type: 'graph',
          layout: 'force',
          roam: true,
          draggable: true,
          top: 30,
          categories: KINDS.map((k) => ({ name: t(`chain.kind.${k}` as Key), itemStyle: { color: CHAIN_COLOR[k] } })),
          data,
          links,
          edgeSymbol: ['none', 'arrow'],
          edgeSymbolSize: 6,
          label: { position: 'right', color: '#e0e6ee', fontSize: 11 },
          lineStyle: { color: 'source', opacity: 0.6, curveness: 0.1 },
          emphasis: { focus: 'adjacency', lineStyle: { opacity: 1 } },
          force: { repulsion: data.length > 200 ? 40 : 120, edgeLength: [30, 90], gravity: 0.08, layoutAnimation: data.length < 400 },
        },
      ],
    },
    aggregate,
    secondary,
    shown: data.length,
  };
}

export function Chain() {
  const r = useApi<any>('/chain', undefined, LIVE, 400);
  const d = r.data ?? {};
  const built = useMemo(() => chainOption(r.data), [r.data, lang.get()]);
  const figs: { key: string; label: Key; tone?: string }[] = [
    { key: 'cases', label: 'chain.fig.cases', tone: 'hot' },
    { key: 'close', label: 'cat.close', tone: 'warn' },
    { key: 'secondary', label: 'cat.secondary' },
    { key: 'became_cases', label: 'chain.fig.became', tone: 'hot' },
  ];
  const empty = r.data && !(Array.isArray(d.nodes) && d.nodes.length);
  return (
    <div class="page chain">
      <div class="page-head">
        <h1>{t('chain.title')}</h1>
        <span class="muted">{t('chain.hint')}</span>
        <a href="#/cases">{t('nav.cases')} →</a>
      </div>
      <ul class="figures" data-testid="chain-figures" aria-label={t('chain.title')}>
        {figs.map((f) => (
          <li class={`figure ${num(d[f.key]) > 0 ? (f.tone ?? '') : ''}`} data-fig={f.key}>
            <div class="fig-link">
              <span class="fig-label">{t(f.label)}</span>
              <span class="fig-value">{r.data ? fmtNum(num(d[f.key])) : '—'}</span>
            </div>
          </li>
        ))}
      </ul>
      <section class="panel" aria-labelledby="chain-title">
        <div class="panel-head">
          <h2 id="chain-title">{t('chain.desc')}</h2>
          {built.aggregate && (
            <span class="muted" data-testid="chain-aggregated">
              {t('chain.aggregated', { n: fmtNum(built.secondary) })}
            </span>
          )}
        </div>
        {r.error && <ErrorBox error={r.error} retry={r.reload} />}
        {r.loading && !r.data && <Loading />}
        {empty && <p class="muted">{t('chain.none')}</p>}
        <div class="map-wrap" data-testid="chain-graph" data-nodes={built.shown} data-aggregated={built.aggregate ? '1' : '0'}>
          <Chart
            class="chain-graph"
            option={built.option}
            label={`${t('chain.desc')}: ${fmtNum(num(d.cases))} / ${fmtNum(num(d.close))} / ${fmtNum(num(d.secondary))}`}
            onReady={(c) => ((window.fx ??= {}).chain = c)}
            onClick={(p) => {
              if (p.dataType === 'node' && p.data?.kind === 'case' && p.data.case) location.hash = `#/cases/${p.data.case}`;
            }}
          />
        </div>
      </section>
    </div>
  );
}
