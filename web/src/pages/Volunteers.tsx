// 支援一线 — staff at quarantine hotels, communities and test sites: the
// figures (people, sites, hours, on duty now) for everyone with
// figures.read, and for people.list who is where now and hours per person
// and per institution, each exportable. docs/teaching.md.
import { can, listOf, url } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../hooks';
import { fmtNum, fmtTime, t, type Key } from '../i18n';

const LIVE = ['volunteers.'];
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0) || 0);
const hours = (v: unknown) => num(v).toFixed(1);

export function Volunteers() {
  const lists = can('people.list');
  const r = useApi<any>(lists ? '/volunteers/shifts' : '/volunteers/figures', undefined, LIVE, 300);
  const d = r.data ?? {};
  const kinds = d.people_by_site_kind ?? {};
  const figs: { key: string; label: Key; value: string }[] = [
    { key: 'people', label: 'vol.fig.people', value: fmtNum(num(d.people_deployed)) },
    { key: 'on-duty', label: 'vol.fig.on_duty', value: fmtNum(num(d.on_duty)) },
    { key: 'hours', label: 'vol.fig.hours', value: hours(d.hours) },
    { key: 'sites', label: 'vol.fig.sites', value: fmtNum(num(d.sites_used)) },
    { key: 'hotel', label: 'vol.kind.hotel', value: fmtNum(num(kinds.hotel)) },
    { key: 'community', label: 'vol.kind.community', value: fmtNum(num(kinds.community)) },
    { key: 'test_site', label: 'vol.kind.test_site', value: fmtNum(num(kinds.test_site)) },
  ];
  const now: any[] = listOf(d.now_on_duty);
  const people: any[] = listOf(d.people);
  const insts: any[] = listOf(d.institutions).filter((i: any) => num(i.people) > 0);
  // People carry their institution's code; show its name.
  const instName = new Map<string, string>(listOf(d.institutions).map((i: any) => [i.code, i.name]));
  const exp = (list: string, format: string) => url('/volunteers/shifts', { list, format });
  return (
    <div class="page volunteers">
      <div class="page-head">
        <h1>{t('vol.title')}</h1>
        <span class="muted">{d.now ? t('vol.now', { d: fmtTime(d.now) }) : ''}</span>
      </div>
      {r.error && <ErrorBox error={r.error} retry={r.reload} />}
      {r.loading && !r.data && <Loading />}
      <ul class="figures" data-testid="volunteer-figures" aria-label={t('overview.figures')}>
        {figs.map((x) => (
          <li class="figure" data-fig={x.key}>
            <div class="fig-link">
              <span class="fig-label">{t(x.label)}</span>
              <span class="fig-value">{r.data ? x.value : '—'}</span>
            </div>
          </li>
        ))}
      </ul>
      {lists && r.data && (
        <>
          <section class="panel" aria-labelledby="vol-now">
            <div class="panel-head">
              <h2 id="vol-now">{t('vol.on_duty')}</h2>
              <a class="btn" href={exp('now', 'xlsx')} download>
                {t('export.xlsx')}
              </a>
            </div>
            {!now.length && <p class="muted">{t('vol.none_now')}</p>}
            {now.length > 0 && (
              <table class="table compact" data-testid="volunteers-now">
                <thead>
                  <tr>
                    <th scope="col">{t('col.name')}</th>
                    <th scope="col">{t('vol.site')}</th>
                    <th scope="col">{t('vol.role')}</th>
                    <th scope="col">{t('vol.until')}</th>
                  </tr>
                </thead>
                <tbody>
                  {now.map((s) => (
                    <tr>
                      <td>{s.person?.name}</td>
                      <td>
                        {s.site?.name} <span class="muted small">{t(`vol.kind.${s.site?.kind}` as Key)}</span>
                      </td>
                      <td>{s.role}</td>
                      <td>{fmtTime(s.end)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section class="panel" aria-labelledby="vol-insts">
            <div class="panel-head">
              <h2 id="vol-insts">{t('vol.by_institution')}</h2>
              <a class="btn" href={exp('institutions', 'xlsx')} download data-testid="volunteers-xlsx">
                {t('export.xlsx')}
              </a>
            </div>
            <table class="table compact" data-testid="volunteers-institutions">
              <thead>
                <tr>
                  <th scope="col">{t('col.institution')}</th>
                  <th scope="col">{t('vol.people')}</th>
                  <th scope="col">{t('vol.shifts')}</th>
                  <th scope="col">{t('vol.hours')}</th>
                </tr>
              </thead>
              <tbody>
                {insts.map((i) => (
                  <tr data-code={i.code}>
                    <td>{i.name}</td>
                    <td>{fmtNum(num(i.people))}</td>
                    <td>{fmtNum(num(i.shifts))}</td>
                    <td>{hours(i.hours)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section class="panel" aria-labelledby="vol-people">
            <div class="panel-head">
              <h2 id="vol-people">{t('vol.by_person')}</h2>
              <a class="btn" href={exp('people', 'xlsx')} download>
                {t('export.xlsx')}
              </a>
              <a class="btn" href={exp('shifts', 'xlsx')} download>
                {t('vol.export_shifts')}
              </a>
            </div>
            <div class="table-scroll tall">
              <table class="table compact" data-testid="volunteers-people">
                <thead>
                  <tr>
                    <th scope="col">{t('col.name')}</th>
                    <th scope="col">{t('col.institution')}</th>
                    <th scope="col">{t('vol.shifts')}</th>
                    <th scope="col">{t('vol.hours')}</th>
                    <th scope="col">{t('vol.where_now')}</th>
                  </tr>
                </thead>
                <tbody>
                  {people.slice(0, 500).map((p) => (
                    <tr>
                      <td>{p.name}</td>
                      <td>{instName.get(p.institution) ?? p.institution}</td>
                      <td>{fmtNum(num(p.shifts))}</td>
                      <td>{hours(p.hours)}</td>
                      <td>{p.where_now}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </>
      )}
    </div>
  );
}
