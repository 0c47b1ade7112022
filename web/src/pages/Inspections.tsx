// 检查整改 — inspection and rectification, docs/inspections.md and docs/api.md
// "Inspections and rectification". Figures for everyone with figures.read; the
// findings (with evidence and verification), letters and supervisors for those
// who may read them. Each list exports to XLSX.
import { useState } from 'preact/hooks';
import { api, ApiError, can, listOf, url } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../hooks';
import { fmtNum, t, type Key } from '../i18n';

const LIVE = ['inspection.', 'finding.', 'letter.', 'supervisor.'];
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0) || 0);

function Exports({ path, query }: { path: string; query?: Record<string, string> }) {
  return (
    <span class="exports">
      <a class="btn btn-small" href={url(path, { ...query, format: 'xlsx' })} download data-testid={`export-${path.split('/').pop()}`}>
        {t('export.xlsx')}
      </a>
    </span>
  );
}

function Figures() {
  const r = useApi<any>('/inspections/figures', undefined, LIVE, 300);
  const f = r.data;
  const cards: { key: string; label: Key; value: number; tone?: string }[] = f
    ? [
        { key: 'rounds', label: 'insp.fig.rounds', value: num(f.rounds) },
        { key: 'findings', label: 'insp.fig.findings', value: num(f.findings) },
        { key: 'closed', label: 'insp.fig.closed', value: num(f.closed), tone: 'good' },
        { key: 'open', label: 'insp.fig.open', value: num(f.open) },
        { key: 'overdue', label: 'insp.fig.overdue', value: num(f.overdue), tone: num(f.overdue) ? 'bad' : '' },
        { key: 'letters', label: 'insp.fig.letters', value: num(f.letters) },
        { key: 'supervisors', label: 'insp.fig.supervisors', value: num(f.supervisors) },
        { key: 'on_site', label: 'insp.fig.on_site', value: num(f.on_site) },
      ]
    : [];
  return (
    <section class="panel" aria-labelledby="insp-fig-title">
      <div class="panel-head">
        <h2 id="insp-fig-title">{t('insp.figures')}</h2>
      </div>
      {r.error && <ErrorBox error={r.error} retry={r.reload} />}
      {r.loading && !f && <Loading />}
      <ul class="figures" data-testid="inspection-figures">
        {cards.map((c) => (
          <li class={`figure ${c.tone ?? ''}`}>
            <div class="fig-link">
              <span class="fig-label">{t(c.label)}</span>
              <span class="fig-value" data-key={c.key}>
                {fmtNum(c.value)}
              </span>
            </div>
          </li>
        ))}
      </ul>
      {f && (
        <div class="table-wrap">
          <table class="table" data-testid="inspection-coverage">
            <caption class="sr-only">{t('insp.coverage')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('insp.col.round')}</th>
                <th scope="col">{t('insp.col.dates')}</th>
                <th scope="col" class="num">
                  {t('insp.col.coverage')}
                </th>
                <th scope="col" class="num">
                  {t('insp.col.findings')}
                </th>
              </tr>
            </thead>
            <tbody>
              {listOf(f.coverage).map((c: any) => (
                <tr data-round={c.id}>
                  <th scope="row">{c.name}</th>
                  <td>
                    {c.start_date} — {c.end_date}
                  </td>
                  <td class="num" data-key="coverage">
                    {fmtNum(num(c.inspected))}/{fmtNum(num(c.total))}
                  </td>
                  <td class="num">{fmtNum(num(c.findings))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function FindingActions({ f, onDone }: { f: any; onDone: () => void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const manage = can('inspections.manage');
  async function post(path: string, body: any) {
    setBusy(true);
    setError(null);
    try {
      await api(`/inspections/findings/${f.id}/${path}`, { method: 'POST', body });
      setText('');
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'client', String(err)));
    } finally {
      setBusy(false);
    }
  }
  if (f.status === 'closed') return null;
  return (
    <div class="insp-actions" data-testid={`finding-actions-${f.id}`}>
      <label class="sr-only" for={`insp-text-${f.id}`}>
        {t('insp.text')}
      </label>
      <input id={`insp-text-${f.id}`} value={text} placeholder={t('insp.text')} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
      {can('directives.act') && f.status !== 'closed' && (
        <button type="button" class="btn btn-small" disabled={busy || !text.trim()} onClick={() => post('evidence', { text: text.trim() })}>
          {t('insp.submit')}
        </button>
      )}
      {manage && f.status === 'submitted' && (
        <>
          <button type="button" class="btn btn-small btn-primary" disabled={busy} onClick={() => post('verify', text.trim() ? { note: text.trim() } : {})}>
            {t('insp.verify')}
          </button>
          <button type="button" class="btn btn-small" disabled={busy || !text.trim()} onClick={() => post('return', { reason: text.trim() })}>
            {t('insp.return')}
          </button>
        </>
      )}
      {error && <ErrorBox error={error} />}
    </div>
  );
}

function Findings() {
  const [status, setStatus] = useState('');
  const query = status ? { status } : undefined;
  const r = useApi<any>('/inspections/findings', query, LIVE, 300);
  const items = listOf(r.data, 'findings');
  return (
    <section class="panel" aria-labelledby="insp-findings-title">
      <div class="panel-head">
        <h2 id="insp-findings-title">
          {t('insp.findings')}
          {r.data ? ` · ${fmtNum(items.length)}` : ''}
        </h2>
        <div class="toolbar">
          <label class="sr-only" for="insp-status">
            {t('insp.status')}
          </label>
          <select id="insp-status" value={status} onChange={(e) => setStatus((e.target as HTMLSelectElement).value)}>
            <option value="">{t('insp.status.all')}</option>
            <option value="open">{t('insp.status.open')}</option>
            <option value="submitted">{t('insp.status.submitted')}</option>
            <option value="closed">{t('insp.status.closed')}</option>
            <option value="overdue">{t('insp.status.overdue')}</option>
          </select>
          <Exports path="/inspections/findings" query={query} />
        </div>
      </div>
      {r.error && <ErrorBox error={r.error} retry={r.reload} />}
      {r.loading && !r.data && <Loading />}
      {r.data && !items.length && <p class="muted">{t('insp.none')}</p>}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="table" data-testid="inspection-findings">
            <thead>
              <tr>
                <th scope="col">{t('insp.col.round')}</th>
                <th scope="col">{t('insp.col.institution')}</th>
                <th scope="col">{t('insp.col.category')}</th>
                <th scope="col">{t('insp.col.description')}</th>
                <th scope="col">{t('insp.col.deadline')}</th>
                <th scope="col">{t('insp.status')}</th>
                <th scope="col">{t('insp.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((f: any) => (
                <tr data-finding={f.id} data-status={f.status} class={f.overdue ? 'row-overdue' : ''}>
                  <td>{f.round}</td>
                  <td>{f.institution?.name || f.institution?.code}</td>
                  <td>
                    {f.category} <span class="tag">{f.severity_name}</span>
                  </td>
                  <td>{f.description}</td>
                  <td class={f.overdue ? 'bad-text' : ''}>
                    {f.deadline}
                    {f.overdue ? ` · ${t('insp.status.overdue')}` : ''}
                  </td>
                  <td>{f.status_name}</td>
                  <td>
                    <FindingActions f={f} onDone={r.reload} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Letters() {
  const r = useApi<any>('/inspections/letters', undefined, LIVE, 300);
  const items = listOf(r.data, 'letters');
  return (
    <section class="panel" aria-labelledby="insp-letters-title">
      <div class="panel-head">
        <h2 id="insp-letters-title">
          {t('insp.letters')}
          {r.data ? ` · ${fmtNum(items.length)}` : ''}
        </h2>
        <Exports path="/inspections/letters" />
      </div>
      {r.error && <ErrorBox error={r.error} retry={r.reload} />}
      {r.data && !items.length && <p class="muted">{t('insp.none')}</p>}
      {items.length > 0 && (
        <ul class="insp-letters" data-testid="inspection-letters">
          {items.map((l: any) => (
            <li data-letter={l.id}>
              <a href={url(`/inspections/letters/${l.id}`, { format: 'text' })} target="_blank" rel="noopener">
                {l.number_text}
              </a>{' '}
              {l.institution?.name} · {l.title} · {l.issued_on}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Supervisors() {
  const r = useApi<any>('/inspections/supervisors', undefined, LIVE, 300);
  const items = listOf(r.data, 'supervisors');
  return (
    <section class="panel" aria-labelledby="insp-sup-title">
      <div class="panel-head">
        <h2 id="insp-sup-title">
          {t('insp.supervisors')}
          {r.data ? ` · ${fmtNum(items.length)}` : ''}
        </h2>
        <Exports path="/inspections/supervisors" />
      </div>
      {r.error && <ErrorBox error={r.error} retry={r.reload} />}
      {r.data && !items.length && <p class="muted">{t('insp.none')}</p>}
      {items.length > 0 && (
        <div class="table-wrap">
          <table class="table" data-testid="inspection-supervisors">
            <thead>
              <tr>
                <th scope="col">{t('insp.col.name')}</th>
                <th scope="col">{t('insp.col.organisation')}</th>
                <th scope="col">{t('insp.col.institution')}</th>
                <th scope="col">{t('insp.col.dates')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s: any) => (
                <tr data-supervisor={s.id}>
                  <td>{s.name}</td>
                  <td>{s.organisation}</td>
                  <td>{s.institution?.name}</td>
                  <td>
                    {s.start_date} — {s.end_date || t('insp.on_site')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

export function Inspections() {
  const lists = can('directives.act') || can('inspections.manage');
  return (
    <div class="page inspections">
      <div class="page-head">
        <h1>{t('insp.title')}</h1>
      </div>
      <Figures />
      {lists && <Findings />}
      {lists && <Letters />}
      {lists && <Supervisors />}
    </div>
  );
}
