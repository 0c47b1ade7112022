// 线上教学 — teaching continuity: the figures as the source reports them
// (coverage, classes online on day one, spot checks and satisfaction, care
// lists, activities) and, for teaching.report, each list with its export.
// docs/teaching.md, docs/api.md "Teaching and volunteers".
import { can, listOf, url } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../hooks';
import { fmtNum, t, type Key } from '../i18n';

const LIVE = ['teaching.'];
const KINDS = ['attendance', 'access', 'care', 'spot-checks', 'activities'] as const;
type Kind = (typeof KINDS)[number];
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0) || 0);
const pct = (v: unknown) => (typeof v === 'number' ? `${v.toFixed(1)}%` : '—');

function columns(kind: Kind, r: any): string[] {
  const inst = r.institution?.name ?? '';
  switch (kind) {
    case 'attendance':
      return [inst, r.class, r.day, fmtNum(num(r.expected)), fmtNum(num(r.attending)), r.note];
    case 'access':
      return [inst, r.student?.name, r.student?.id_masked, r.day, t(`teach.problem.${r.problem}` as Key), r.action, r.resolved ? t('teach.yes') : t('teach.no')];
    case 'care':
      return [inst, r.student?.name, r.student?.class, r.category_name, r.teacher?.name ?? t('teach.no_teacher')];
    case 'spot-checks':
      return [inst, r.student?.name, r.caller, r.called_at, String(r.satisfaction), r.notes];
    case 'activities':
      return [t(`teach.level.${r.level}` as Key), inst, r.kind_name, r.subject, r.day, fmtNum(num(r.count))];
  }
}

export function Teaching({ query }: { query: URLSearchParams }) {
  const kind = (KINDS as readonly string[]).includes(query.get('list') ?? '') ? (query.get('list') as Kind) : 'attendance';
  const f = useApi<any>('/teaching/figures', undefined, LIVE, 300);
  const lists = can('teaching.report');
  const l = useApi<any>(lists ? `/teaching/${kind}` : null, undefined, LIVE, 300);
  const d = f.data ?? {};
  const acts = d.activities ?? {};
  const sum = (k: string) => num(acts[`district/${k}`]) + num(acts[`school/${k}`]);
  const figs: { key: string; label: Key; value: string }[] = [
    { key: 'day-one', label: 'teach.fig.day_one', value: `${fmtNum(num(d.classes_online_first_day))} / ${fmtNum(num(d.classes))}` },
    { key: 'coverage', label: 'teach.fig.coverage', value: pct(d.coverage) },
    { key: 'spot-checks', label: 'teach.fig.spot_checks', value: fmtNum(num(d.spot_checks)) },
    { key: 'satisfaction', label: 'teach.fig.satisfaction', value: pct(d.satisfaction_rate) },
    { key: 'care', label: 'teach.fig.care', value: `${fmtNum(num(d.care))} · ${pct(d.care_coverage)}` },
    { key: 'access', label: 'teach.fig.access', value: `${fmtNum(num(d.access_resolved))} / ${fmtNum(num(d.access_issues))}` },
    { key: 'research', label: 'teach.fig.research', value: `${fmtNum(num(acts['district/research']))} / ${fmtNum(num(acts['school/research']))}` },
    { key: 'observation', label: 'teach.fig.observation', value: fmtNum(sum('observation')) },
    { key: 'preparation', label: 'teach.fig.preparation', value: fmtNum(sum('preparation')) },
    { key: 'training', label: 'teach.fig.training', value: fmtNum(sum('training')) },
  ];
  const rows: any[] = listOf(l.data);
  return (
    <div class="page teaching">
      <div class="page-head">
        <h1>{t('teach.title')}</h1>
        <span class="muted">{d.day ? t('teach.day', { d: d.day }) : ''}</span>
      </div>
      {f.error && <ErrorBox error={f.error} retry={f.reload} />}
      <ul class="figures" data-testid="teaching-figures" aria-label={t('overview.figures')}>
        {figs.map((x) => (
          <li class="figure" data-fig={x.key}>
            <div class="fig-link">
              <span class="fig-label">{t(x.label)}</span>
              <span class="fig-value">{f.data ? x.value : '—'}</span>
            </div>
          </li>
        ))}
      </ul>
      {lists && (
        <section class="panel" aria-labelledby="teach-list-title">
          <div class="panel-head">
            <h2 id="teach-list-title">{t(`teach.list.${kind}` as Key)}</h2>
            <nav class="tabs" aria-label={t('teach.lists')}>
              {KINDS.map((k) => (
                <a href={`#/teaching?list=${k}`} aria-current={k === kind ? 'page' : undefined} data-kind={k}>
                  {t(`teach.list.${k}` as Key)}
                </a>
              ))}
            </nav>
            <span class="form-row">
              <a class="btn" href={url(`/teaching/${kind}`, { format: 'xlsx' })} download data-testid="teaching-xlsx">
                {t('export.xlsx')}
              </a>
              <a class="btn" href={url(`/teaching/${kind}`, { format: 'csv' })} download>
                {t('export.csv')}
              </a>
            </span>
          </div>
          {l.error && <ErrorBox error={l.error} retry={l.reload} />}
          {l.loading && !l.data && <Loading />}
          {l.data && !rows.length && <p class="muted">{t('teach.none')}</p>}
          {rows.length > 0 && (
            <div class="table-scroll tall">
              <table class="table compact" data-testid="teaching-table">
                <thead>
                  <tr>
                    {(t(`teach.cols.${kind}` as Key) as string).split('|').map((c) => (
                      <th scope="col">{c}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.slice(0, 500).map((r) => (
                    <tr data-row={r.id}>
                      {columns(kind, r).map((c) => (
                        <td>{c ?? ''}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
              {rows.length > 500 && <p class="muted">{t('teach.more', { n: fmtNum(rows.length - 500) })}</p>}
            </div>
          )}
        </section>
      )}
    </div>
  );
}
