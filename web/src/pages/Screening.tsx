// 居家排查 — home-bound screening, docs/api.md "Home-bound screening". On a
// phone (375 px) the report form comes first: a class teacher or parent picks
// a person not yet reported today and fills the day's report. Below: the
// day's table per institution and the abnormal list (with 列入重点人员).
import { useState } from 'preact/hooks';
import { api, ApiError, can, listOf, url } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../hooks';
import { fmtNum, t, type Key } from '../i18n';

const LIVE = ['screening.', 'tracking.symptomatic'];
const SYMPTOMS = ['fever', 'cough', 'fatigue', 'sore_throat', 'diarrhoea', 'smell_taste', 'other'];

function today(): string {
  // Asia/Shanghai, as the server counts days.
  return new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
}

function ReportForm({ day, onDone }: { day: string; onDone: () => void }) {
  const missing = useApi<any>('/screening/list', { kind: 'not_reported', day }, LIVE, 300);
  const people: any[] = listOf(missing.data, 'items');
  const [person, setPerson] = useState('');
  const [temp, setTemp] = useState('');
  const [sym, setSym] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [location, setLocation] = useState('');
  const [atHome, setAtHome] = useState(true);
  const [reporter, setReporter] = useState('parent');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setMsg(null);
    try {
      const r = await api<any>('/screening/reports', {
        method: 'POST',
        body: { person: Number(person), day, temperature: temp, symptoms: sym, symptom_note: note, location, at_home: atHome, reporter },
      });
      setMsg({ ok: true, text: r.abnormal ? t('scr.saved.abnormal') : t('scr.saved') });
      setPerson('');
      setTemp('');
      setSym([]);
      setNote('');
      onDone();
    } catch (err) {
      setMsg({ ok: false, text: err instanceof ApiError ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="panel scr-form" data-testid="screening-form" onSubmit={submit}>
      <h2>{t('scr.form.title', { d: day })}</h2>
      {missing.loading && !missing.data ? <Loading /> : null}
      <label>
        {t('scr.person')}
        <select required value={person} onChange={(e) => setPerson((e.target as HTMLSelectElement).value)} data-testid="scr-person">
          <option value="">{t('scr.person.pick', { n: people.length })}</option>
          {people.map((p) => (
            <option value={p.person}>
              {p.name} · {p.unit || p.institution} · {p.person_code}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('scr.temperature')}
        <input
          required
          inputMode="decimal"
          placeholder="36.5"
          value={temp}
          onInput={(e) => setTemp((e.target as HTMLInputElement).value)}
          data-testid="scr-temperature"
        />
      </label>
      <fieldset class="scr-symptoms">
        <legend>{t('scr.symptoms')}</legend>
        {SYMPTOMS.map((s) => (
          <label class="check">
            <input
              type="checkbox"
              checked={sym.includes(s)}
              onChange={(e) => setSym((e.target as HTMLInputElement).checked ? [...sym, s] : sym.filter((x) => x !== s))}
            />
            {t(`scr.sym.${s}` as Key)}
          </label>
        ))}
      </fieldset>
      {sym.includes('other') ? (
        <label>
          {t('scr.note')}
          <input value={note} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
        </label>
      ) : null}
      <label>
        {t('scr.location')}
        <input value={location} onInput={(e) => setLocation((e.target as HTMLInputElement).value)} />
      </label>
      <label class="check">
        <input type="checkbox" checked={atHome} onChange={(e) => setAtHome((e.target as HTMLInputElement).checked)} data-testid="scr-athome" />
        {t('scr.at_home')}
      </label>
      <label>
        {t('scr.reporter')}
        <select value={reporter} onChange={(e) => setReporter((e.target as HTMLSelectElement).value)}>
          {['parent', 'self', 'teacher'].map((r) => (
            <option value={r}>{t(`scr.rep.${r}` as Key)}</option>
          ))}
        </select>
      </label>
      <button class="btn btn-primary" type="submit" disabled={busy} data-testid="scr-submit">
        {t('scr.submit')}
      </button>
      {msg ? (
        <p class={msg.ok ? 'ok' : 'error'} role={msg.ok ? 'status' : 'alert'} data-testid="scr-message">
          {msg.text}
        </p>
      ) : null}
    </form>
  );
}

export function Screening({ query }: { query: URLSearchParams }) {
  const day = query.get('day') || today();
  const table = useApi<any>('/screening/day', { day }, LIVE, 300);
  const figures = useApi<any>('/screening/figures', { day }, LIVE, 300);
  const abnormal = useApi<any>(can('people.list') ? '/screening/list' : null, { kind: 'abnormal', day }, LIVE, 300);
  const rows: any[] = listOf(table.data, 'rows');
  const total = table.data?.total ?? {};
  const [trackMsg, setTrackMsg] = useState('');
  const setDay = (d: string) => (location.hash = `#/screening?day=${d}`);

  const track = async (person: number) => {
    try {
      await api('/screening/track', { method: 'POST', body: { person, day } });
      setTrackMsg(t('scr.tracked'));
      abnormal.reload();
    } catch (err) {
      setTrackMsg(err instanceof ApiError ? err.message : String(err));
    }
  };

  return (
    <div class="page screening">
      <div class="page-head">
        <h1>{t('scr.title')}</h1>
        <input type="date" value={day} onChange={(e) => setDay((e.target as HTMLInputElement).value)} aria-label={t('scr.day')} />
      </div>
      {can('screening.report') ? <ReportForm day={day} onDone={() => table.reload()} /> : null}
      <ul class="figures" data-testid="screening-figures">
        {(
          [
            ['due', 'scr.fig.due'],
            ['reported', 'scr.fig.reported'],
            ['not_reported', 'scr.fig.not_reported'],
            ['abnormal', 'scr.fig.abnormal'],
          ] as [string, Key][]
        ).map(([k, label]) => (
          <li class={`figure ${k === 'abnormal' && total[k] > 0 ? 'hot' : ''}`} data-fig={k}>
            <div class="fig-link">
              <span class="fig-label">{t(label)}</span>
              <span class="fig-value">{table.data ? fmtNum(Number(total[k] ?? 0)) : '—'}</span>
            </div>
          </li>
        ))}
        <li class="figure" data-fig="person_times">
          <div class="fig-link">
            <span class="fig-label">{t('scr.fig.person_times')}</span>
            <span class="fig-value">{figures.data ? fmtNum(Number(figures.data.person_times ?? 0)) : '—'}</span>
          </div>
        </li>
      </ul>
      {table.error ? <ErrorBox error={table.error} retry={table.reload} /> : null}
      <section class="panel">
        <div class="panel-head">
          <h2>{t('scr.table')}</h2>
          <a href={url('/screening/day', { day, format: 'xlsx' })} download class="btn">
            {t('scr.export')}
          </a>
        </div>
        <div class="table-scroll">
          <table class="table compact" data-testid="screening-table">
            <thead>
              <tr>
                <th>{t('scr.col.inst')}</th>
                <th class="num">{t('scr.fig.due')}</th>
                <th class="num">{t('scr.fig.reported')}</th>
                <th class="num">{t('scr.fig.not_reported')}</th>
                <th class="num">{t('scr.fig.abnormal')}</th>
                <th class="num">{t('scr.col.rate')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td>{r.institution?.name}</td>
                  <td class="num">{fmtNum(r.due)}</td>
                  <td class="num">{fmtNum(r.reported)}</td>
                  <td class="num">{fmtNum(r.not_reported)}</td>
                  <td class="num">{fmtNum(r.abnormal)}</td>
                  <td class="num">{Number(r.rate).toFixed(1)}%</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      {abnormal.data ? (
        <section class="panel">
          <div class="panel-head">
            <h2>{t('scr.abnormal')}</h2>
            <a href={url('/screening/list', { kind: 'abnormal', day, format: 'xlsx' })} download class="btn">
              {t('scr.export')}
            </a>
          </div>
          {trackMsg ? <p role="status">{trackMsg}</p> : null}
          <ul class="scr-abnormal" data-testid="screening-abnormal">
            {listOf(abnormal.data, 'items').map((p: any) => (
              <li>
                <strong>{p.name}</strong> {p.unit} · {p.report?.temperature}℃ {p.report?.symptom_names}
                {p.report && !p.report.at_home ? ` · ${t('scr.not_home')}` : ''}
                {p.on_tracking ? (
                  <span class="tag">{t('scr.on_tracking')}</span>
                ) : can('cases.manage') ? (
                  <button class="btn btn-small" type="button" onClick={() => track(p.person)}>
                    {t('scr.track')}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
