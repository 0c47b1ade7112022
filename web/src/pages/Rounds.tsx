// 检测轮次 — test rounds and the statistics table (核酸检测统计表), docs/api.md
// "Test rounds". The table reloads live on `round.*` changes.
import { useRef, useState } from 'preact/hooks';
import { api, ApiError, can, listOf, scopeInstitutions, upload, url, type UploadProgress } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../hooks';
import { fmtNum, fmtPct, fmtTime, has, t, type Key } from '../i18n';

/** The figures of a table row, in the bureau's column order; `status` makes a figure a drill-down. */
const COLS: { key: string; label: Key; status?: string; alert?: boolean }[] = [
  { key: 'due', label: 'rounds.col.due', status: '' },
  { key: 'sampled', label: 'rounds.col.sampled', status: 'sampled' },
  { key: 'reported', label: 'rounds.col.reported' },
  { key: 'negative', label: 'rounds.col.negative', status: 'negative' },
  { key: 'pending', label: 'rounds.col.pending' },
  { key: 'pool_positive', label: 'rounds.col.pool_positive', status: 'pool_positive', alert: true },
  { key: 'positive', label: 'rounds.col.positive', status: 'positive', alert: true },
  { key: 'invalid', label: 'rounds.col.invalid', status: 'invalid', alert: true },
  { key: 'missed', label: 'rounds.col.missed', status: 'missed', alert: true },
  { key: 'exempt', label: 'rounds.col.exempt', status: 'exempt' },
];

const LIVE = ['round.'];
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0) || 0);
const statusLabel = (s: string) => (has(`rstatus.${s}`) ? t(`rstatus.${s}` as Key) : s);

export interface Drill {
  status: string;
  institution?: string;
  institutionName?: string;
  unit?: string | number;
  unitPath?: string;
}

function navRounds(id: string | number | undefined, q: Record<string, string | undefined>) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) p.set(k, v);
  location.hash = `#/rounds${id !== undefined ? '/' + encodeURIComponent(String(id)) : ''}${p.size ? '?' + p : ''}`;
}

export function Rounds({ id, query }: { id?: string; query: URLSearchParams }) {
  const rounds = useApi<any>('/rounds', undefined, LIVE, 300);
  const items = listOf(rounds.data);
  const selected = id ?? (items[0]?.round?.id !== undefined ? String(items[0].round.id) : undefined);
  return (
    <div class="page rounds">
      <div class="page-head">
        <h1>{t('rounds.title')}</h1>
        <span class="muted">{t('rounds.lead')}</span>
      </div>
      {can('rounds.manage') && <CreateRound onCreated={(r) => (rounds.reload(), navRounds(r?.round?.id ?? r?.id, {}))} />}
      <section class="panel" aria-labelledby="rounds-list-title">
        <div class="panel-head">
          <h2 id="rounds-list-title">{t('rounds.list')}</h2>
          {rounds.loading && rounds.data && <span class="muted">{t('loading')}</span>}
        </div>
        {rounds.error && <ErrorBox error={rounds.error} retry={rounds.reload} />}
        {rounds.loading && !rounds.data && <Loading />}
        {rounds.data && !items.length && <p class="muted">{t('rounds.none')}</p>}
        {items.length > 0 && (
          <div class="table-scroll">
            <table class="table" data-testid="rounds-list">
              <thead>
                <tr>
                  <th scope="col">{t('rounds.name')}</th>
                  <th scope="col">{t('rounds.date')}</th>
                  <th scope="col" class="num">{t('rounds.pool')}</th>
                  <th scope="col">{t('rounds.status')}</th>
                  <th scope="col" class="num">{t('rounds.col.due')}</th>
                  <th scope="col" class="num">{t('rounds.col.sampled')}</th>
                  <th scope="col" class="num">{t('rounds.col.missed')}</th>
                  <th scope="col" class="num">{t('rounds.col.positive')}</th>
                  <th scope="col" class="num">{t('rounds.col.coverage')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map(({ round: r, total }: any) => {
                  const cur = String(r.id) === selected;
                  return (
                    <tr class={cur ? 'selected' : ''} data-round={r.id}>
                      <td>
                        <a href={`#/rounds/${r.id}`} aria-current={cur ? 'true' : undefined}>
                          {r.name}
                        </a>
                      </td>
                      <td>{r.date}</td>
                      <td class="num">{r.pool_size}</td>
                      <td>
                        <span class={`tag tag-${r.status}`}>{t(r.status === 'closed' ? 'rounds.closed' : 'rounds.open')}</span>
                      </td>
                      <td class="num">{fmtNum(num(total?.due))}</td>
                      <td class="num">{fmtNum(num(total?.sampled))}</td>
                      <td class="num">{fmtNum(num(total?.missed))}</td>
                      <td class="num">{fmtNum(num(total?.positive))}</td>
                      <td class="num">{fmtPct(num(total?.coverage) / 100)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {selected && <RoundDetail id={selected} query={query} key={selected} />}
    </div>
  );
}

function CreateRound({ onCreated }: { onCreated: (r: any) => void }) {
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
  const [name, setName] = useState('');
  const [date, setDate] = useState(today);
  const [pool, setPool] = useState('10');
  const [scopeKind, setScopeKind] = useState('all');
  const [values, setValues] = useState('');
  const [deadline, setDeadline] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [open, setOpen] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const body: any = { name: name.trim(), date, pool_size: Number(pool) };
    if (scopeKind !== 'all')
      body.scope = {
        kind: scopeKind,
        values: values
          .split(/[\s,,、]+/)
          .filter(Boolean)
          .map((v) => (scopeKind === 'institutions' ? v : Number(v) || v)),
      };
    if (deadline) body.deadline = deadline.replace('T', ' ');
    try {
      const r = await api('/rounds', { method: 'POST', body });
      setName('');
      setOpen(false);
      onCreated(r);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'client', String(err)));
    } finally {
      setBusy(false);
    }
  }

  if (!open)
    return (
      <div class="actions-bar">
        <button type="button" class="btn btn-primary" onClick={() => setOpen(true)} data-testid="new-round">
          + {t('rounds.create')}
        </button>
      </div>
    );
  return (
    <form class="panel form-grid" onSubmit={submit} aria-labelledby="create-round-title" data-testid="create-round">
      <h2 id="create-round-title">{t('rounds.create')}</h2>
      <div class="field">
        <label for="round-name">{t('rounds.name')}</label>
        <input id="round-name" required value={name} placeholder={t('rounds.name.ph')} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="round-date">{t('rounds.date')}</label>
        <input id="round-date" type="date" required value={date} onInput={(e) => setDate((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="round-pool">{t('rounds.pool')}</label>
        <select id="round-pool" value={pool} onChange={(e) => setPool((e.target as HTMLSelectElement).value)}>
          {['1', '5', '10', '20'].map((p) => (
            <option value={p}>{t('rounds.pool.n', { n: p })}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="round-deadline">{t('rounds.deadline')}</label>
        <input id="round-deadline" type="datetime-local" value={deadline} onInput={(e) => setDeadline((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="round-scope">{t('rounds.scope')}</label>
        <select id="round-scope" value={scopeKind} onChange={(e) => setScopeKind((e.target as HTMLSelectElement).value)}>
          {['all', 'institutions', 'units', 'people'].map((k) => (
            <option value={k}>{t(`rounds.scope.${k}` as Key)}</option>
          ))}
        </select>
      </div>
      {scopeKind !== 'all' && (
        <div class="field">
          <label for="round-values">{t('rounds.scope.values')}</label>
          <input id="round-values" required value={values} placeholder="JY0001, JY0002" onInput={(e) => setValues((e.target as HTMLInputElement).value)} />
        </div>
      )}
      <div class="form-row">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('rounds.create.submit')}
        </button>
        <button type="button" class="btn" onClick={() => setOpen(false)}>
          {t('cancel')}
        </button>
      </div>
      {error && <ErrorBox error={error} />}
    </form>
  );
}

function RoundDetail({ id, query }: { id: string; query: URLSearchParams }) {
  const by = query.get('by') === 'unit' ? 'unit' : 'institution';
  const institution = query.get('institution') ?? '';
  const mine = scopeInstitutions();
  const tableQuery = { by, institution: institution || undefined };
  const table = useApi<any>(`/rounds/${encodeURIComponent(id)}/table`, tableQuery, LIVE, 300);
  const [drill, setDrill] = useState<Drill | null>(null);
  const drillRef = useRef<HTMLElement>(null);
  const round = table.data?.round;
  const rows: any[] = listOf(table.data, 'rows');
  const total = table.data?.total;
  const insts = useApi<any>('/institutions');
  const instList = listOf(insts.data, 'institutions');
  const instName = (code: string) => instList.find((i: any) => i.code === code)?.name ?? mine.find((i) => i.code === code)?.name ?? code;

  const setQ = (patch: Record<string, string | undefined>) =>
    navRounds(id, { by, institution: institution || undefined, ...patch });
  const open = (d: Drill) => {
    setDrill(d);
    setTimeout(() => drillRef.current?.focus(), 50);
  };
  const exportHref = (format: string) => url(`/rounds/${encodeURIComponent(id)}/table`, { ...tableQuery, format });

  const figure = (row: any, c: (typeof COLS)[number], isTotal: boolean) => {
    const v = num(row?.[c.key]);
    const cls = `num${c.alert && v > 0 ? ' hot' : ''}`;
    if (c.status === undefined || v === 0) return <td class={cls} data-col={c.key}>{fmtNum(v)}</td>;
    const d: Drill = {
      status: c.status,
      institution: isTotal ? institution || undefined : row.institution_code,
      institutionName: isTotal ? (institution ? instName(institution) : undefined) : row.institution_name,
      unit: isTotal ? undefined : row.unit_id,
      unitPath: isTotal ? undefined : row.unit_path,
    };
    const where = d.unitPath ?? d.institutionName ?? t('rounds.all');
    return (
      <td class={cls} data-col={c.key}>
        <button type="button" class="cell-link" onClick={() => open(d)} aria-label={`${where} ${t(c.label)} ${fmtNum(v)}`}>
          {fmtNum(v)}
        </button>
      </td>
    );
  };

  return (
    <>
      <section class="panel" aria-labelledby="round-title" data-testid="round-detail" data-round={id}>
        <div class="panel-head">
          <h2 id="round-title">
            {t('rounds.table')}
            {round ? ` · ${round.name}` : ''}
          </h2>
          <div class="form-row">
            <div class="seg" role="group" aria-label={t('rounds.by')}>
              <button type="button" class={`btn btn-small ${by === 'institution' ? 'on' : ''}`} aria-pressed={by === 'institution'} onClick={() => setQ({ by: 'institution' })}>
                {t('rounds.by.institution')}
              </button>
              <button type="button" class={`btn btn-small ${by === 'unit' ? 'on' : ''}`} aria-pressed={by === 'unit'} onClick={() => setQ({ by: 'unit' })}>
                {t('rounds.by.unit')}
              </button>
            </div>
            {instList.length > 1 && (
              <div class="field inline">
                <label for="round-inst">{t('col.institution')}</label>
                <select id="round-inst" value={institution} onChange={(e) => setQ({ institution: (e.target as HTMLSelectElement).value || undefined })}>
                  <option value="">{t('rounds.all')}</option>
                  {instList.map((i: any) => (
                    <option value={i.code}>
                      {i.code} {i.name}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <a class="btn btn-small" href={exportHref('xlsx')} download data-testid="export-xlsx">
              {t('export.xlsx')}
            </a>
            <a class="btn btn-small" href={exportHref('csv')} download data-testid="export-csv">
              {t('export.csv')}
            </a>
          </div>
        </div>
        {round && (
          <p class="muted round-meta">
            {t('rounds.meta', {
              d: round.date,
              p: round.pool_size,
              s: t(round.status === 'closed' ? 'rounds.closed' : 'rounds.open'),
              dl: round.deadline || '—',
            })}
            {table.data?.generated_at ? ` · ${t('overview.updated', { t: fmtTime(table.data.generated_at) })}` : ''}
          </p>
        )}
        {table.error && <ErrorBox error={table.error} retry={table.reload} />}
        {table.loading && !table.data && <Loading />}
        {table.data && (
          <div class="table-scroll tall">
            <table class="table stats-table" data-testid="round-table" data-by={by} aria-busy={table.loading}>
              <caption class="sr-only">{t('rounds.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('col.institution')}</th>
                  {by === 'unit' && <th scope="col">{t('col.unit')}</th>}
                  {COLS.map((c) => (
                    <th scope="col" class="num">
                      {t(c.label)}
                    </th>
                  ))}
                  <th scope="col" class="num">
                    {t('rounds.col.coverage')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr data-institution={r.institution_code} data-unit={r.unit_id}>
                    <th scope="row">
                      {by === 'institution' ? (
                        <a href={`#/rounds/${id}?by=unit&institution=${encodeURIComponent(r.institution_code)}`} title={t('rounds.by.unit')}>
                          {r.institution_name}
                        </a>
                      ) : (
                        r.institution_name
                      )}
                    </th>
                    {by === 'unit' && <td>{r.unit_path}</td>}
                    {COLS.map((c) => figure(r, c, false))}
                    <td class="num" data-col="coverage">
                      <Coverage v={num(r.coverage)} />
                    </td>
                  </tr>
                ))}
              </tbody>
              {total && (
                <tfoot>
                  <tr data-testid="round-total">
                    <th scope="row" colSpan={by === 'unit' ? 2 : 1}>
                      {t('rounds.total')}
                    </th>
                    {COLS.map((c) => figure(total, c, true))}
                    <td class="num" data-col="coverage">
                      <Coverage v={num(total.coverage)} />
                    </td>
                  </tr>
                </tfoot>
              )}
            </table>
          </div>
        )}
        {table.data && !rows.length && <p class="muted">{t('rounds.norows')}</p>}
      </section>

      <Lists institutions={instList.length ? instList : mine} onOpen={open} />

      {drill && (
        <section class="panel" aria-labelledby="drill-title" ref={drillRef} tabIndex={-1} data-testid="drill">
          <DrillDown id={id} drill={drill} onClose={() => setDrill(null)} />
        </section>
      )}

      {can('samples.write') && round?.status !== 'closed' && <RoundUpload id={id} onDone={table.reload} />}
    </>
  );
}

function Coverage({ v }: { v: number }) {
  const cls = v >= 99.5 ? 'good' : v >= 90 ? 'warn' : 'bad';
  return (
    <span class={`cov cov-${cls}`}>
      {fmtNum(v)}%
    </span>
  );
}

/** The missed list (漏检名单) and the re-test list (复检名单) per institution. */
function Lists({ institutions, onOpen }: { institutions: any[]; onOpen: (d: Drill) => void }) {
  const [inst, setInst] = useState(institutions.length === 1 ? institutions[0].code : '');
  const name = institutions.find((i) => i.code === inst)?.name;
  return (
    <section class="panel form-row lists" aria-label={t('rounds.lists')}>
      <h2>{t('rounds.lists')}</h2>
      {institutions.length > 1 && (
        <div class="field inline">
          <label for="lists-inst">{t('col.institution')}</label>
          <select id="lists-inst" value={inst} onChange={(e) => setInst((e.target as HTMLSelectElement).value)}>
            <option value="">{t('rounds.all')}</option>
            {institutions.map((i: any) => (
              <option value={i.code}>
                {i.code} {i.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <button type="button" class="btn" onClick={() => onOpen({ status: 'missed', institution: inst || undefined, institutionName: name })} data-testid="missed-list">
        {t('rounds.missed.list')}
      </button>
      <button type="button" class="btn" onClick={() => onOpen({ status: 'pool_positive,invalid', institution: inst || undefined, institutionName: name })} data-testid="retest-list">
        {t('rounds.retest.list')}
      </button>
    </section>
  );
}

const PER_PAGE = 100;

function DrillDown({ id, drill, onClose }: { id: string; drill: Drill; onClose: () => void }) {
  const [page, setPage] = useState(1);
  const key = JSON.stringify(drill);
  const [lastKey, setLastKey] = useState(key);
  if (key !== lastKey) {
    setLastKey(key);
    setPage(1);
  }
  const q = {
    status: drill.status || undefined,
    institution: drill.institution,
    unit: drill.unit,
    page,
    per_page: PER_PAGE,
  };
  const r = useApi<any>(`/rounds/${encodeURIComponent(id)}/people`, q, LIVE, 300);
  const items = listOf(r.data);
  const total: number = r.data?.total ?? items.length;
  const pages = Math.max(1, Math.ceil(total / PER_PAGE));
  const what = drill.status ? drill.status.split(',').map(statusLabel).join(' / ') : t('rounds.col.due');
  const where = drill.unitPath ?? drill.institutionName ?? t('rounds.all');
  return (
    <>
      <div class="panel-head">
        <h2 id="drill-title">
          {what} · {where}
          {r.data ? ` · ${t('people.total', { n: fmtNum(total) })}` : ''}
        </h2>
        <button type="button" class="btn btn-small" onClick={onClose}>
          {t('close')}
        </button>
      </div>
      {r.error && <ErrorBox error={r.error} retry={r.reload} />}
      {r.loading && !r.data && <Loading />}
      {r.data && !items.length && <p class="muted">{t('people.none')}</p>}
      {items.length > 0 && (
        <div class="table-scroll">
          <table class="table compact" data-testid="drill-table">
            <thead>
              <tr>
                <th scope="col">{t('col.name')}</th>
                <th scope="col">{t('col.student_no')}</th>
                <th scope="col">{t('col.id_number')}</th>
                <th scope="col">{t('col.institution')}</th>
                <th scope="col">{t('col.unit')}</th>
                <th scope="col">{t('rounds.status')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((p: any) => (
                <tr data-person={p.person_id}>
                  <td>{p.name}</td>
                  <td class="mono">{p.person_code}</td>
                  <td class="mono">{p.id_masked}</td>
                  <td>{p.institution?.name ?? p.institution}</td>
                  <td>{p.unit_path}</td>
                  <td>
                    <span class={`tag st-${p.status}`}>{lang_status(p)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav class="pager" aria-label={t('people.page', { p: page, n: pages })}>
          <button type="button" class="btn" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t('people.prev')}
          </button>
          <span>{t('people.page', { p: fmtNum(page), n: fmtNum(pages) })}</span>
          <button type="button" class="btn" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {t('people.next')}
          </button>
        </nav>
      )}
    </>
  );
}

/** The server's Chinese status name in Chinese, our own label otherwise. */
function lang_status(p: any): string {
  const own = statusLabel(p.status);
  return own !== p.status ? own : (p.status_name ?? p.status);
}

function RoundUpload({ id, onDone }: { id: string; onDone: () => void }) {
  const [kind, setKind] = useState<'sampling' | 'results'>('sampling');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [report, setReport] = useState<any>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [hint, setHint] = useState('');
  const fileRef = useRef<HTMLInputElement>(null);

  async function submit(e: Event) {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) return setHint(t('imports.choose'));
    setHint('');
    setBusy(true);
    setReport(null);
    setError(null);
    try {
      setReport(await upload(`/rounds/${encodeURIComponent(id)}/imports/${kind}`, file, setProgress));
      onDone();
    } catch (err) {
      const ae = err instanceof ApiError ? err : new ApiError(0, 'client', String(err));
      const body = (ae as any).body;
      if (body && Array.isArray(body.rejected)) setReport(body);
      setError(ae);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  }
  const rejected: any[] = Array.isArray(report?.rejected) ? report.rejected : [];
  const conflicts: any[] = Array.isArray(report?.conflicts) ? report.conflicts : [];
  const accepted = num(report?.imported) + num(report?.unchanged);
  return (
    <>
      <form class="panel upload-form" onSubmit={submit} aria-labelledby="round-upload-title">
        <h2 id="round-upload-title" class="full">
          {t('rounds.upload')}
        </h2>
        <fieldset class="field">
          <legend>{t('imports.kind')}</legend>
          <div class="radios">
            {(['sampling', 'results'] as const).map((k) => (
              <label class="radio">
                <input type="radio" name="round-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                {t(k === 'sampling' ? 'rounds.upload.sampling' : 'rounds.upload.results')}
              </label>
            ))}
          </div>
        </fieldset>
        <div class="field grow">
          <label for="round-file">{t('imports.file')}</label>
          <input id="round-file" ref={fileRef} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
        </div>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('imports.upload')}
        </button>
        <p class="muted full">{t(kind === 'sampling' ? 'rounds.upload.sampling.cols' : 'rounds.upload.results.cols')}</p>
        {hint && (
          <p class="alert alert-error full" role="alert">
            {hint}
          </p>
        )}
        {busy && (
          <div class="progress-wrap" role="status" aria-live="polite">
            <progress max={1} value={progress?.fraction ?? 0} aria-label={t('imports.uploading', { p: '' })} />
          </div>
        )}
      </form>
      {error && <ErrorBox error={new ApiError(error.status, error.code, t('imports.failed', { m: error.message }))} />}
      {report && (
        <section class="panel" aria-labelledby="round-report-title" data-testid="round-report">
          <h2 id="round-report-title" class="alert alert-ok" aria-live="polite">
            {report.already_imported
              ? t('rounds.upload.again')
              : t('imports.done', { a: fmtNum(accepted), r: fmtNum(rejected.length) })}
            {num(report.flagged) > 0 ? ` ${t('rounds.upload.flagged', { n: fmtNum(num(report.flagged)) })}` : ''}
          </h2>
          {rejected.length > 0 && (
            <div class="table-scroll">
              <table class="table compact" data-testid="round-rejected">
                <caption class="caption">{t('imports.rejected')}</caption>
                <thead>
                  <tr>
                    <th scope="col" class="num">{t('imports.row')}</th>
                    <th scope="col">{t('imports.column')}</th>
                    <th scope="col">{t('imports.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rejected.map((r) => (
                    <tr>
                      <td class="num">{r.row}</td>
                      <td>{r.column}</td>
                      <td>{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {conflicts.length > 0 && (
            <div class="table-scroll">
              <table class="table compact">
                <caption class="caption">{t('rounds.conflicts')}</caption>
                <thead>
                  <tr>
                    <th scope="col" class="num">{t('imports.row')}</th>
                    <th scope="col">{t('rounds.tube')}</th>
                    <th scope="col">{t('imports.reason')}</th>
                  </tr>
                </thead>
                <tbody>
                  {conflicts.map((c) => (
                    <tr>
                      <td class="num">{c.row}</td>
                      <td class="mono">{c.tube_code}</td>
                      <td>
                        {c.kind} {c.detail}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </>
  );
}
