// 重点人员 — the key-person tracking table (重点人员防控跟踪表) and the cases
// list with the confirm-case form, docs/api.md "Cases and the tracking table".
import { useState } from 'preact/hooks';
import { api, ApiError, can, listOf, url } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../hooks';
import { fmtNum, has, t, type Key } from '../i18n';

const LIVE = ['case.', 'tracking.'];
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0) || 0);
/** A name whether the server sends a string or an object ({code,name} / {id,path}). */
const text = (v: any): string => (v == null ? '' : typeof v === 'object' ? String(v.name ?? v.path ?? v.code ?? '') : String(v));
/** A case's id: `id` in docs/api.md, `case` as the CLI writes it. */
export const caseId = (c: any) => c?.id ?? c?.case;
const label = (prefix: string, v: string) => (v && has(`${prefix}.${v}`) ? t(`${prefix}.${v}` as Key) : v);

function navTracking(q: Record<string, string | undefined>) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
  location.hash = `#/tracking${p.size ? '?' + p : ''}`;
}

export function Tracking({ query }: { query: URLSearchParams }) {
  const category = query.get('category') ?? '';
  const status = query.get('status') ?? '';
  const institution = query.get('institution') ?? '';
  const filters = { category: category || undefined, status: status || undefined, institution: institution || undefined };
  const r = useApi<any>('/tracking', filters, LIVE, 300);
  const insts = useApi<any>('/institutions');
  const instList = listOf(insts.data, 'institutions');
  const manage = can('cases.manage');
  const sites = useApi<any>(manage ? '/sites' : null, undefined, LIVE, 300);
  const siteList = listOf(sites.data);
  const rows: any[] = listOf(r.data, 'rows');
  const d = r.data ?? {};
  const set = (patch: Record<string, string | undefined>) => navTracking({ ...filters, ...patch });
  const exportHref = (format: string) => url('/tracking', { ...filters, format });

  const figs: { key: string; label: Key; tone?: string; to?: Record<string, string | undefined> }[] = [
    { key: 'close', label: 'track.fig.close', tone: 'hot', to: { category: 'close' } },
    { key: 'secondary', label: 'track.fig.secondary', tone: 'warn', to: { category: 'secondary' } },
    { key: 'quarantined', label: 'track.fig.quarantined', to: { status: 'quarantined' } },
    { key: 'overdue_tests', label: 'track.fig.overdue', tone: 'hot' },
    { key: 'without_site', label: 'track.fig.without_site', tone: 'warn' },
  ];

  return (
    <div class="page tracking">
      <div class="page-head">
        <h1>{t('track.title')}</h1>
        <span class="muted">{d.today ? t('track.today', { d: d.today }) : ''}</span>
        <a href="#/cases">{t('nav.cases')} →</a>
      </div>
      <ul class="figures" data-testid="tracking-figures" aria-label={t('overview.figures')}>
        {figs.map((f) => (
          <li class={`figure ${num(d[f.key]) > 0 ? (f.tone ?? '') : ''}`} data-fig={f.key}>
            {f.to ? (
              <a class="fig-link" href={`#/tracking?${new URLSearchParams(f.to as Record<string, string>)}`}>
                <span class="fig-label">{t(f.label)}</span>
                <span class="fig-value">{r.data ? fmtNum(num(d[f.key])) : '—'}</span>
              </a>
            ) : (
              <div class="fig-link">
                <span class="fig-label">{t(f.label)}</span>
                <span class="fig-value">{r.data ? fmtNum(num(d[f.key])) : '—'}</span>
              </div>
            )}
          </li>
        ))}
      </ul>
      <form class="filters panel" role="search" aria-label={t('track.filters')} onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="tr-category">{t('track.category')}</label>
          <select id="tr-category" value={category} onChange={(e) => set({ category: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('people.all')}</option>
            <option value="close">{t('cat.close')}</option>
            <option value="secondary">{t('cat.secondary')}</option>
            <option value="returnee">{t('cat.returnee')}</option>
            <option value="symptomatic">{t('cat.symptomatic')}</option>
          </select>
        </div>
        <div class="field">
          <label for="tr-status">{t('track.status')}</label>
          <select id="tr-status" value={status} onChange={(e) => set({ status: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('people.all')}</option>
            {['quarantined', 'released', 'became_case'].map((s) => (
              <option value={s}>{label('kstatus', s)}</option>
            ))}
          </select>
        </div>
        {instList.length > 1 && (
          <div class="field">
            <label for="tr-inst">{t('col.institution')}</label>
            <select id="tr-inst" value={institution} onChange={(e) => set({ institution: (e.target as HTMLSelectElement).value })}>
              <option value="">{t('people.all')}</option>
              {instList.map((i: any) => (
                <option value={i.code}>
                  {i.code} {i.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="form-row">
          <a class="btn" href={exportHref('xlsx')} download data-testid="tracking-xlsx">
            {t('export.xlsx')}
          </a>
          <a class="btn" href={exportHref('csv')} download>
            {t('export.csv')}
          </a>
          <a class="btn" href={url('/tracking/notices', { institution: institution || undefined })} download data-testid="tracking-notices">
            {t('track.notices')}
          </a>
        </div>
      </form>
      {manage && <AddKeyPerson onDone={r.reload} />}
      <section class="panel" aria-labelledby="tr-table-title">
        <div class="panel-head">
          <h2 id="tr-table-title">
            {t('track.table')}
            {r.data ? ` · ${t('people.total', { n: fmtNum(rows.length) })}` : ''}
          </h2>
          <span class="legend" aria-hidden="true">
            {['done', 'overdue', 'due', 'upcoming'].map((s) => (
              <span class={`test-chip ts-${s}`}>{t(`tstate.${s}` as Key)}</span>
            ))}
          </span>
        </div>
        {r.error && <ErrorBox error={r.error} retry={r.reload} />}
        {r.loading && !r.data && <Loading />}
        {r.data && !rows.length && <p class="muted">{t('track.none')}</p>}
        {rows.length > 0 && (
          <div class="table-scroll tall">
            <table class="table compact tracking-table" data-testid="tracking-table" aria-busy={r.loading}>
              <thead>
                <tr>
                  <th scope="col">{t('col.name')}</th>
                  <th scope="col">{t('col.institution')}</th>
                  <th scope="col">{t('track.category')}</th>
                  <th scope="col">{t('track.status')}</th>
                  <th scope="col">{t('track.source')}</th>
                  <th scope="col">{t('track.last_exposure')}</th>
                  <th scope="col">{t('track.quarantine')}</th>
                  <th scope="col">{t('track.period')}</th>
                  <th scope="col">{t('track.tests')}</th>
                  {manage && <th scope="col">{t('track.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <TrackingRow row={row} sites={siteList} manage={manage} onDone={r.reload} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function TrackingRow({ row, sites, manage, onDone }: { row: any; sites: any[]; manage: boolean; onDone: () => void }) {
  const [site, setSite] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const active = row.status === 'quarantined';
  const act = async (path: string, body: any) => {
    setBusy(true);
    setError(null);
    try {
      await api(`/tracking/${row.id}/${path}`, { method: 'POST', body });
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    } finally {
      setBusy(false);
    }
  };
  const tests: any[] = Array.isArray(row.tests) ? row.tests : [];
  const sources: any[] = Array.isArray(row.sources) ? row.sources : [];
  const sel = `site-${row.id}`;
  return (
    <tr data-row={row.id} data-category={row.category} data-status={row.status} class={row.overdue > 0 ? 'row-overdue' : ''}>
      <td>
        <div>{row.name}</div>
        <div class="mono muted small">{row.id_masked}</div>
      </td>
      <td>
        <div>{text(row.institution)}</div>
        <div class="muted small">{text(row.unit)}</div>
      </td>
      <td>
        <span class={`tag cat-${row.category}`}>{label('cat', row.category)}</span>
      </td>
      <td>
        <span class={`tag ks-${row.status}`}>{label('kstatus', row.status)}</span>
        {row.transfer && <div class="small">{label('transfer', row.transfer)}</div>}
        {row.release_due && <div class="small good">{t('track.release_due')}</div>}
      </td>
      <td>
        {row.case ? (
          <a href={`#/cases/${row.case}`} class="small">
            {t('track.case_n', { n: row.case })}
          </a>
        ) : null}
        {sources.map((s) => (
          <div class="small">
            {s.name}
            {s.minutes ? ` · ${t('track.minutes', { n: fmtNum(num(s.minutes)) })}` : ''}
          </div>
        ))}
      </td>
      <td class="nowrap">{row.last_exposure}</td>
      <td>
        <div>{label('qkind', row.quarantine_kind)}</div>
        <div class="small">{row.site || (row.quarantine_kind === 'centralised' && active ? <span class="warn-text">{t('track.no_site')}</span> : '')}</div>
      </td>
      <td class="nowrap small">
        {row.start}
        <br />→ {row.planned_end || '—'}
      </td>
      <td>
        <ol class="tests" aria-label={t('track.tests')}>
          {tests.map((x) => (
            <li
              class={`test-chip ts-${x.state}${x.result ? ' r-' + x.result : ''}`}
              title={`${x.date} ${x.note ?? ''} ${x.result ? label('tresult', x.result) : ''}`}
              data-state={x.state}
            >
              <span>D{x.day}</span> <span class="sr-only">{x.date}</span>
              <span class="sr-only">{label('tstate', x.state)}</span>
              {x.result ? <span aria-hidden="true">{x.result === 'negative' ? ' −' : x.result === 'positive' ? ' +' : ' ?'}</span> : null}
              {x.result ? <span class="sr-only">{label('tresult', x.result)}</span> : null}
            </li>
          ))}
        </ol>
        {row.overdue > 0 && <div class="small bad-text">{t('track.overdue_n', { n: row.overdue })}</div>}
      </td>
      {manage && (
        <td class="actions">
          {active && (
            <div class="form-row tight">
              <label class="sr-only" for={sel}>
                {t('track.site_for', { n: row.name })}
              </label>
              <select id={sel} value={site} onChange={(e) => setSite((e.target as HTMLSelectElement).value)}>
                <option value="">{t('track.pick_site')}</option>
                {sites.map((s) => (
                  <option value={s.id} disabled={num(s.occupied) >= num(s.capacity)}>
                    {s.name} ({fmtNum(num(s.occupied))}/{fmtNum(num(s.capacity))})
                  </option>
                ))}
              </select>
              <button type="button" class="btn btn-small" disabled={!site || busy} onClick={() => act('transfer', { site: Number(site) })}>
                {t('track.transfer')}
              </button>
              <button type="button" class={`btn btn-small ${row.release_due ? 'btn-primary' : ''}`} disabled={busy} onClick={() => act('release', {})}>
                {t('track.release')}
              </button>
            </div>
          )}
          {error && <ErrorBox error={error} />}
        </td>
      )}
    </tr>
  );
}

// ---- cases

export function Cases() {
  const r = useApi<any>('/cases', undefined, LIVE, 300);
  const items = listOf(r.data);
  return (
    <div class="page cases">
      <div class="page-head">
        <h1>{t('cases.title')}</h1>
        <a href="#/chain" data-testid="chain-link">{t('chain.title')} →</a>
        <a href="#/tracking">{t('nav.tracking')} →</a>
      </div>
      {can('cases.manage') && <ConfirmCase onDone={r.reload} />}
      <section class="panel" aria-labelledby="cases-title">
        <div class="panel-head">
          <h2 id="cases-title">
            {t('cases.list')}
            {r.data ? ` · ${fmtNum(items.length)}` : ''}
          </h2>
        </div>
        {r.error && <ErrorBox error={r.error} retry={r.reload} />}
        {r.loading && !r.data && <Loading />}
        {r.data && !items.length && <p class="muted">{t('cases.none')}</p>}
        {items.length > 0 && (
          <div class="table-scroll">
            <table class="table" data-testid="cases-table">
              <thead>
                <tr>
                  <th scope="col">{t('cases.no')}</th>
                  <th scope="col">{t('col.name')}</th>
                  <th scope="col">{t('col.id_number')}</th>
                  <th scope="col">{t('col.institution')}</th>
                  <th scope="col">{t('col.unit')}</th>
                  <th scope="col">{t('card.sample_time')}</th>
                  <th scope="col">{t('card.confirmed_at')}</th>
                  <th scope="col" class="num">{t('cat.close')}</th>
                  <th scope="col" class="num">{t('cat.secondary')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c: any) => {
                  const cid = caseId(c);
                  return (
                  <tr data-case={cid}>
                    <td>
                      <a href={`#/cases/${cid}`}>{t('track.case_n', { n: cid })}</a>
                    </td>
                    <td>
                      <a href={`#/cases/${cid}`}>{c.name}</a>
                    </td>
                    <td class="mono">{c.id_masked}</td>
                    <td>{text(c.institution)}</td>
                    <td>{text(c.unit)}</td>
                    <td class="nowrap">{c.sample_time}</td>
                    <td class="nowrap">{c.confirmed_at}</td>
                    <td class="num">{fmtNum(num(c.close))}</td>
                    <td class="num">{fmtNum(num(c.secondary))}</td>
                  </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

/** Risk-area returnees and symptomatic people: no trace finds them (POST /tracking). */
function AddKeyPerson({ onDone }: { onDone: () => void }) {
  const [person, setPerson] = useState('');
  const [category, setCategory] = useState('returnee');
  const [since, setSince] = useState('');
  const [area, setArea] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    const body: any = { person: person.trim(), category, since };
    if (area.trim()) body.area = area.trim();
    try {
      await api('/tracking', { method: 'POST', body });
      setDone(true);
      setPerson('');
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'client', String(err)));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="panel form-grid" onSubmit={submit} aria-labelledby="add-kp-title" data-testid="add-key-person">
      <h2 id="add-kp-title">{t('track.add')}</h2>
      <div class="field">
        <label for="kp-person">{t('track.add_person')}</label>
        <input id="kp-person" required value={person} placeholder="JY0001:2019010101" onInput={(e) => setPerson((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="kp-category">{t('track.category')}</label>
        <select id="kp-category" value={category} onChange={(e) => setCategory((e.target as HTMLSelectElement).value)}>
          <option value="returnee">{t('cat.returnee')}</option>
          <option value="symptomatic">{t('cat.symptomatic')}</option>
        </select>
      </div>
      <div class="field">
        <label for="kp-since">{t('track.add_since')}</label>
        <input id="kp-since" type="date" required value={since} onInput={(e) => setSince((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="kp-area">{t('track.add_area')}</label>
        <input id="kp-area" value={area} onInput={(e) => setArea((e.target as HTMLInputElement).value)} />
      </div>
      <div class="form-row">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('track.add')}
        </button>
      </div>
      {error && <ErrorBox error={error} />}
      {done && (
        <p class="alert alert-ok" role="status" data-testid="add-key-person-result">
          {t('track.added')}
        </p>
      )}
    </form>
  );
}

function ConfirmCase({ onDone }: { onDone: () => void }) {
  const [person, setPerson] = useState('');
  const [sample, setSample] = useState('');
  const [onset, setOnset] = useState('');
  const [confirmed, setConfirmed] = useState('');
  const [policy, setPolicy] = useState('');
  const [symptoms, setSymptoms] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<any>(null);
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    const body: any = { person: person.trim(), sample_time: sample.replace('T', ' ') };
    if (onset) body.onset = onset;
    if (confirmed) body.confirmed_at = confirmed.replace('T', ' ');
    if (policy.trim()) body.policy = policy.trim();
    if (symptoms.trim()) body.symptoms = symptoms.trim();
    try {
      const r = await api('/cases', { method: 'POST', body });
      setDone(r);
      setPerson('');
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'client', String(err)));
    } finally {
      setBusy(false);
    }
  }
  const caseId = done?.case?.id ?? done?.case;
  return (
    <form class="panel form-grid" onSubmit={submit} aria-labelledby="confirm-title" data-testid="confirm-case">
      <h2 id="confirm-title">{t('cases.confirm')}</h2>
      <div class="field">
        <label for="case-person">{t('cases.person')}</label>
        <input id="case-person" required value={person} placeholder="JY0001:2019010101" onInput={(e) => setPerson((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="case-sample">{t('card.sample_time')}</label>
        <input id="case-sample" type="datetime-local" required value={sample} onInput={(e) => setSample((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="case-onset">{t('card.onset')}</label>
        <input id="case-onset" type="date" value={onset} onInput={(e) => setOnset((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="case-confirmed">{t('card.confirmed_at')}</label>
        <input id="case-confirmed" type="datetime-local" value={confirmed} onInput={(e) => setConfirmed((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="case-policy">{t('card.policy')}</label>
        <input id="case-policy" value={policy} placeholder="covid-8th" onInput={(e) => setPolicy((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="case-symptoms">{t('card.symptoms')}</label>
        <input id="case-symptoms" value={symptoms} onInput={(e) => setSymptoms((e.target as HTMLInputElement).value)} />
      </div>
      <div class="form-row">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {busy ? t('cases.tracing') : t('cases.confirm.submit')}
        </button>
      </div>
      {error && <ErrorBox error={error} />}
      {done && (
        <p class="alert alert-ok" role="status" data-testid="confirm-result">
          <span>
            {t('cases.confirmed', {
              c: fmtNum(num(done.close)),
              s: fmtNum(num(done.secondary)),
              w: fmtNum(num(done.without_site)),
            })}
          </span>
          {caseId !== undefined && <a href={`#/cases/${caseId}`}>{t('cases.open_card')}</a>}
        </p>
      )}
    </form>
  );
}
