import { useMemo } from 'preact/hooks';
import { listOf, type User } from '../api';
import { Chart } from '../components/Chart';
import { ErrorBox, Loading } from '../components/Status';
import {
  figuresOf, hasRiskData, KIND_COLOR, kindColor, normInst, RISK_COLOR, riskOf, trendOf,
  type Inst, type Risk,
} from '../data';
import { useApi } from '../hooks';
import { fmtNum, fmtPct, fmtTime, has, kindName, lang, t, type Key } from '../i18n';
import type { ECharts } from '../charts';

declare global {
  interface Window {
    fx?: { map?: ECharts; trend?: ECharts; chain?: ECharts };
  }
}

const RISK_ORDER: Risk[] = ['high', 'medium', 'low', 'none'];

function mapOption(list: Inst[], byRisk: boolean) {
  const maxPeople = Math.max(1, ...list.map((i) => i.people));
  const en = lang.get() === 'en';
  return {
    backgroundColor: 'transparent',
    aria: { enabled: true },
    tooltip: {
      trigger: 'item',
      backgroundColor: '#0d1d2e',
      borderColor: '#2c4f73',
      textStyle: { color: '#e8eef5' },
      formatter: (p: any) => {
        if (p.seriesType !== 'scatter') return p.name;
        const i: Inst = p.data.inst;
        const lines = [
          `<b>${escape(i.name)}</b>`,
          `${escape(i.code)} · ${escape(kindName(i.kind))}`,
          `${t('inst.people')}: ${fmtNum(i.people)}`,
        ];
        if (i.cases !== undefined) lines.push(`${t('inst.cases')}: ${fmtNum(i.cases)}`);
        if (i.contacts !== undefined) lines.push(`${t('inst.contacts')}: ${fmtNum(i.contacts)}`);
        if (i.coverage !== undefined) lines.push(`${t('inst.coverage')}: ${fmtPct(i.coverage)}`);
        return lines.join('<br/>');
      },
    },
    geo: {
      map: 'jingyue',
      roam: true,
      zoom: 1.12,
      scaleLimit: { min: 0.8, max: 12 },
      nameProperty: en ? 'name_en' : 'name',
      label: { show: true, color: 'rgba(190,215,240,0.35)', fontSize: 13 },
      itemStyle: { areaColor: '#112a44', borderColor: '#3f8fe0', borderWidth: 1.6, shadowColor: 'rgba(40,140,255,0.35)', shadowBlur: 18 },
      emphasis: { itemStyle: { areaColor: '#17385a' }, label: { color: 'rgba(220,235,250,0.6)' } },
      select: { disabled: true },
      regions: [
        { name: en ? 'Jingyuetan' : '净月潭', itemStyle: { areaColor: '#0f3d45', borderColor: '#2a7f8a', borderWidth: 1 } },
      ],
    },
    series: [
      {
        id: 'institutions',
        name: t('overview.map'),
        type: 'scatter',
        coordinateSystem: 'geo',
        data: list.map((i) => ({
          name: i.name,
          value: [i.lon, i.lat, i.people],
          inst: i,
          itemStyle: {
            color: byRisk ? RISK_COLOR[riskOf(i)] : kindColor(i.kind),
            borderColor: 'rgba(0,0,0,0.45)',
            borderWidth: 0.8,
            opacity: 0.92,
          },
        })),
        symbolSize: (v: number[]) => 6 + 22 * Math.sqrt(v[2] / maxPeople),
        emphasis: { scale: 1.6, itemStyle: { borderColor: '#fff', borderWidth: 1.5 } },
        zlevel: 1,
        animationDuration: 300,
      },
    ],
  };
}

function escape(s: string) {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function trendOption(tr: NonNullable<ReturnType<typeof trendOf>>) {
  const palette = ['#ff4d57', '#ffa928', '#4fb3ff', '#3ddc84', '#c58cff', '#ffd36b'];
  return {
    aria: { enabled: true },
    color: palette,
    tooltip: { trigger: 'axis' },
    legend: { top: 0, textStyle: { color: '#b8c7d9' } },
    grid: { left: 40, right: 12, top: 32, bottom: 24 },
    xAxis: { type: 'category', data: tr.dates, axisLabel: { color: '#8ea3ba' }, axisLine: { lineStyle: { color: '#2c4763' } } },
    yAxis: { type: 'value', axisLabel: { color: '#8ea3ba' }, splitLine: { lineStyle: { color: '#1b3049' } } },
    series: tr.series.map((s) => ({
      type: 'line',
      name: has(`fig.${s.key}`) ? t(`fig.${s.key}` as Key) : s.key,
      data: s.values,
      smooth: true,
      symbolSize: 5,
    })),
  };
}

function scopeLabel(user: User): string {
  const s: any = user.scope ?? user.institution;
  if (s && typeof s === 'object') {
    if (s.all_institutions) return t('scope.district');
    const names = (s.institutions ?? []).map((i: any) => i.name ?? i.code);
    return names.length ? names.slice(0, 3).join('、') + (names.length > 3 ? ' …' : '') : t('scope.district');
  }
  if (!s || s === 'district' || s === '*') return t('scope.district');
  return String(s);
}

export function Overview({ user }: { user: User }) {
  const inst = useApi<any>('/institutions', undefined, true);
  const stats = useApi<any>('/stats/overview', undefined, true);

  const list = useMemo(
    () => listOf(inst.data, 'institutions').map(normInst).filter((i) => Number.isFinite(i.lon) && Number.isFinite(i.lat)),
    [inst.data],
  );
  const byRisk = hasRiskData(list);
  const option = useMemo(() => mapOption(list, byRisk), [list, byRisk, lang.get()]);
  const figures = figuresOf(stats.data);
  const trend = trendOf(stats.data);
  const trendOpt = useMemo(() => trend && trendOption(trend), [stats.data, lang.get()]);
  if (!figures.some((f) => f.key === 'institutions') && inst.data)
    figures.unshift({ key: 'institutions', label: t('fig.institutions'), value: list.length });

  const top = useMemo(
    () =>
      [...list]
        .sort((a, b) => RISK_ORDER.indexOf(riskOf(a)) - RISK_ORDER.indexOf(riskOf(b)) || (b.cases ?? 0) - (a.cases ?? 0) || b.people - a.people)
        .slice(0, 12),
    [list],
  );
  const counts = useMemo(() => {
    const c: Record<string, number> = {};
    for (const i of list) {
      const k = byRisk ? riskOf(i) : i.kind;
      c[k] = (c[k] ?? 0) + 1;
    }
    return c;
  }, [list, byRisk]);

  const openInst = (code: string) => (location.hash = `#/people?institution=${encodeURIComponent(code)}`);

  return (
    <div class="page overview">
      <div class="page-head">
        <h1>{t('overview.title')}</h1>
        <span class="muted" aria-live="polite">
          {stats.data ? t('overview.updated', { t: fmtTime(stats.data.as_of ?? stats.data.at ?? new Date()) }) : ''}
          {` · ${scopeLabel(user)}`}
        </span>
      </div>

      <section aria-labelledby="fig-title" class="figures-wrap">
        <h2 id="fig-title" class="sr-only">
          {t('overview.figures')}
        </h2>
        {stats.error && <ErrorBox error={stats.error} retry={stats.reload} />}
        <ul class="figures" data-testid="figures">
          {figures.map((f) => {
            const inner = (
              <>
                <span class="fig-label">{f.label}</span>
                <span class="fig-value" data-key={f.key}>
                  {f.pct ? fmtPct(f.value) : fmtNum(f.value)}
                </span>
              </>
            );
            return (
              <li class={`figure ${f.tone ?? ''}`}>
                {f.link ? (
                  <a href={f.link} class="fig-link">
                    {inner}
                  </a>
                ) : (
                  <div class="fig-link">{inner}</div>
                )}
              </li>
            );
          })}
          {!figures.length && stats.loading && (
            <li class="figure">
              <Loading />
            </li>
          )}
        </ul>
      </section>

      <div class="overview-grid">
        <section class="panel map-panel" aria-labelledby="map-title">
          <div class="panel-head">
            <h2 id="map-title">{t('overview.map')}</h2>
            <span class="muted" data-testid="map-count">
              {t('overview.map.count', { n: fmtNum(list.length) })}
            </span>
          </div>
          {inst.error && <ErrorBox error={inst.error} retry={inst.reload} />}
          <div class="map-wrap" data-testid="district-map" data-institution-count={list.length}>
            <Chart
              class="map"
              option={option}
              label={`${t('overview.map.desc')}: ${t('overview.map.count', { n: list.length })}`}
              onReady={(c) => ((window.fx ??= {}).map = c)}
              onClick={(p) => p.seriesType === 'scatter' && openInst(p.data.inst.code)}
            />
            {inst.loading && !inst.data && (
              <div class="map-loading">
                <Loading />
              </div>
            )}
          </div>
          <div class="legend" aria-label={byRisk ? t('overview.legend.risk') : t('overview.legend.kind')}>
            <span class="muted">{byRisk ? t('overview.legend.risk') : t('overview.legend.kind')}</span>
            {byRisk
              ? RISK_ORDER.map((r) => (
                  <span class="legend-item">
                    <span class="swatch" style={{ background: RISK_COLOR[r] }} />
                    {t(`risk.${r}` as Key)} {fmtNum(counts[r] ?? 0)}
                  </span>
                ))
              : Object.keys(KIND_COLOR)
                  .filter((k) => counts[k])
                  .map((k) => (
                    <span class="legend-item">
                      <span class="swatch" style={{ background: kindColor(k) }} />
                      {kindName(k)} {fmtNum(counts[k])}
                    </span>
                  ))}
          </div>
        </section>

        <div class="side">
          <section class="panel" aria-labelledby="trend-title">
            <div class="panel-head">
              <h2 id="trend-title">{t('overview.trends')}</h2>
            </div>
            {trendOpt ? (
              <Chart class="trend" option={trendOpt} label={t('overview.trends')} onReady={(c) => ((window.fx ??= {}).trend = c)} />
            ) : (
              <p class="placeholder muted">{t('overview.trends.empty')}</p>
            )}
          </section>

          <section class="panel" aria-labelledby="inst-title">
            <div class="panel-head">
              <h2 id="inst-title">{t('overview.institutions')}</h2>
            </div>
            <div class="table-scroll">
              <table class="table compact">
                <thead>
                  <tr>
                    <th scope="col">{t('inst.name')}</th>
                    <th scope="col">{t('inst.kind')}</th>
                    <th scope="col" class="num">
                      {t('inst.people')}
                    </th>
                    {byRisk && (
                      <th scope="col" class="num">
                        {t('inst.cases')}
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {top.map((i) => (
                    <tr>
                      <td>
                        <span class="swatch" style={{ background: byRisk ? RISK_COLOR[riskOf(i)] : kindColor(i.kind) }} aria-hidden="true" />
                        <a href={`#/people?institution=${encodeURIComponent(i.code)}`}>{i.name}</a>
                      </td>
                      <td>{kindName(i.kind)}</td>
                      <td class="num">{fmtNum(i.people)}</td>
                      {byRisk && <td class="num">{fmtNum(i.cases ?? 0)}</td>}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </div>
      </div>
    </div>
  );
}
