// 病例卡 — the case card (确诊人员信息卡), GET /cases/{id}; laid out to print on
// one A4 page (styles.css @media print hides the frame and the buttons).
import { listOf, url } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../hooks';
import { caseId } from './Tracking';
import { fmtNum, has, t, type Key } from '../i18n';

const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0) || 0);
const label = (prefix: string, v: string) => (v && has(`${prefix}.${v}`) ? t(`${prefix}.${v}` as Key) : v);

export function CaseCard({ id }: { id: string }) {
  const r = useApi<any>(`/cases/${encodeURIComponent(id)}`, undefined, ['case.'], 300);
  // Who infected whom: the cases list maps a person to their case card.
  const cases = useApi<any>('/cases', undefined, ['case.'], 300);
  const caseOf = new Map<number, any>(listOf(cases.data).map((c: any) => [num(c.person), c]));
  const c = r.data;
  const places: any[] = Array.isArray(c?.places) ? c.places : [];
  const contacts: any[] = Array.isArray(c?.contacts) ? c.contacts : [];
  const close = contacts.filter((x) => x.category === 'close');
  const secondary = contacts.filter((x) => x.category === 'secondary');
  const source = c?.infected_by ? caseOf.get(num(c.infected_by)) : undefined;
  const infected = contacts.filter((x) => x.became_case);

  const personLink = (person: number, name: string) => {
    const k = caseOf.get(num(person));
    return k && String(caseId(k)) !== String(id) ? (
      <a href={`#/cases/${caseId(k)}`} data-testid="case-link">
        {name} ({t('track.case_n', { n: caseId(k) })})
      </a>
    ) : (
      name
    );
  };

  // On paper the card keeps to one A4 page: long lists are cut there (never on
  // screen) with a note pointing to the full list in the tracking table.
  const PRINT_MAX = { close: 90, secondary: 60, places: 14 };
  const cut = (i: number, max: number) => (i >= max ? 'print-cut' : '');
  const contactList = (list: any[], cat: 'close' | 'secondary') => (
    <section class="card-section" aria-labelledby={`card-${cat}`}>
      <h3 id={`card-${cat}`}>
        {t(cat === 'close' ? 'card.contacts.close' : 'card.contacts.secondary')} · {fmtNum(list.length)}
      </h3>
      {list.length ? (
        <ul class="contact-list" data-testid={`card-${cat}`}>
          {list.map((x, i) => (
            <li class={`${x.became_case ? 'became-case' : ''} ${cut(i, PRINT_MAX[cat])}`} data-person={x.person}>
              {personLink(x.person, x.name)}
              <span class="muted">
                {' '}
                · {label('kstatus', x.status)}
                {x.minutes ? ` · ${t('track.minutes', { n: fmtNum(num(x.minutes)) })}` : ''}
                {x.became_case && x.status !== 'became_case' ? ` · ${t('card.became_case')}` : ''}
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('empty')}</p>
      )}
      {list.length > PRINT_MAX[cat] && <p class="print-only small">{t('card.more', { n: fmtNum(list.length - PRINT_MAX[cat]) })}</p>}
    </section>
  );

  return (
    <div class="page case-card-page">
      <div class="page-head no-print">
        <a href="#/cases">← {t('cases.list')}</a>
        {c && (
          <div class="form-row">
            <button type="button" class="btn btn-primary" onClick={() => print()}>
              {t('card.print')}
            </button>
            <a class="btn" href={url(`/cases/${encodeURIComponent(id)}`, { format: 'pdf' })} download data-testid="card-pdf">
              {t('card.pdf')}
            </a>
            <a class="btn" href={url(`/cases/${encodeURIComponent(id)}`, { format: 'xlsx' })} download>
              {t('export.xlsx')}
            </a>
            <a class="btn" href={url(`/cases/${encodeURIComponent(id)}`, { format: 'csv' })} download>
              {t('export.csv')}
            </a>
          </div>
        )}
      </div>
      {r.error && <ErrorBox error={r.error} retry={r.reload} />}
      {r.loading && !r.data && <Loading />}
      {c && (
        <article class="case-card" data-testid="case-card" data-case={c.case ?? id} aria-labelledby="card-title">
          <header class="card-head">
            <h1 id="card-title">{t('card.title')}</h1>
            <span class="card-no">{t('track.case_n', { n: c.case ?? id })}</span>
          </header>
          <dl class="card-grid">
            <dt>{t('col.name')}</dt>
            <dd data-testid="card-name">{c.name}</dd>
            <dt>{t('col.id_number')}</dt>
            <dd class="mono">{c.id_masked}</dd>
            <dt>{t('col.student_no')}</dt>
            <dd class="mono">{c.person_code}</dd>
            <dt>{t('col.institution')}</dt>
            <dd>{c.institution}</dd>
            <dt>{t('col.unit')}</dt>
            <dd>{c.unit}</dd>
            <dt>{t('card.sample_time')}</dt>
            <dd>{c.sample_time}</dd>
            <dt>{t('card.onset')}</dt>
            <dd>{c.onset_date || t('card.asymptomatic')}</dd>
            <dt>{t('card.confirmed_at')}</dt>
            <dd>{c.confirmed_at}</dd>
            <dt>{t('card.symptoms')}</dt>
            <dd>{c.symptoms || '—'}</dd>
            <dt>{t('card.policy')}</dt>
            <dd>{c.policy}</dd>
            <dt>{t('card.window')}</dt>
            <dd>
              {c.window_from} — {c.window_to}
            </dd>
            <dt>{t('card.outcome')}</dt>
            <dd>{c.outcome || '—'}</dd>
            <dt>{t('card.source')}</dt>
            <dd data-testid="card-source">
              {c.infected_by ? (
                source ? (
                  <a href={`#/cases/${caseId(source)}`} data-testid="case-link">
                    {c.infected_by_name || source.name} ({t('track.case_n', { n: caseId(source) })})
                  </a>
                ) : (
                  c.infected_by_name
                )
              ) : (
                t('card.unknown')
              )}
            </dd>
            <dt>{t('card.counts')}</dt>
            <dd>
              {t('card.counts.v', { c: fmtNum(num(c.close)), s: fmtNum(num(c.secondary)), b: fmtNum(num(c.became_cases)) })}
            </dd>
          </dl>
          {infected.length > 0 && (
            <section class="card-section" aria-labelledby="card-infected">
              <h3 id="card-infected">{t('card.infected')}</h3>
              <p data-testid="card-infected">
                {infected.map((x, i) => (
                  <>
                    {i > 0 ? '、' : ''}
                    {personLink(x.person, x.name)}
                  </>
                ))}
              </p>
            </section>
          )}
          <section class="card-section" aria-labelledby="card-places">
            <h3 id="card-places">{t('card.places')}</h3>
            {places.length ? (
              <div class="table-scroll card-scroll">
              <table class="table compact card-table" data-testid="card-places">
                <thead>
                  <tr>
                    <th scope="col">{t('card.place')}</th>
                    <th scope="col">{t('card.place_kind')}</th>
                    <th scope="col">{t('card.from')}</th>
                    <th scope="col">{t('card.to')}</th>
                    <th scope="col" class="num">{t('card.minutes')}</th>
                    <th scope="col" class="num">{t('card.people')}</th>
                  </tr>
                </thead>
                <tbody>
                  {places.map((p, i) => (
                    <tr class={cut(i, PRINT_MAX.places)}>
                      <td>{p.place}</td>
                      <td>{label('pkind', p.kind)}</td>
                      <td class="nowrap">{p.from}</td>
                      <td class="nowrap">{p.to}</td>
                      <td class="num">{fmtNum(num(p.minutes))}</td>
                      <td class="num">{fmtNum(num(p.contacts))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              </div>
            ) : (
              <p class="muted">{t('empty')}</p>
            )}
            {places.length > PRINT_MAX.places && <p class="print-only small">{t('card.more', { n: fmtNum(places.length - PRINT_MAX.places) })}</p>}
          </section>
          <div class="card-two">
            {contactList(close, 'close')}
            {contactList(secondary, 'secondary')}
          </div>
          <footer class="card-foot print-only">{t('card.printed', { d: new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) })}</footer>
        </article>
      )}
    </div>
  );
}
