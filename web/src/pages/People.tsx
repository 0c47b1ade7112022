import { useEffect, useState } from 'preact/hooks';
import { listOf } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { normInst } from '../data';
import { useApi } from '../hooks';
import { fmtNum, has, t, type Key } from '../i18n';

const PER_PAGE = 50;
const ROLES = ['student', 'teacher', 'staff'];

const roleLabel = (r: string) => (has(`role.${r}`) ? t(`role.${r}` as Key) : r);
const isMasked = (v: unknown) => typeof v === 'string' && /[*＊•]/.test(v);

function field(p: any, ...keys: string[]): string {
  for (const k of keys) {
    const v = k.split('.').reduce((o, kk) => (o == null ? o : o[kk]), p);
    if (v !== undefined && v !== null && v !== '') return String(v);
  }
  return '';
}

export function People({ query }: { query: URLSearchParams }) {
  const institution = query.get('institution') ?? '';
  const role = query.get('role') ?? '';
  const q = query.get('q') ?? '';
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);

  const insts = useApi<any>('/institutions');
  const people = useApi<any>('/people', { institution, role, q, page, per_page: PER_PAGE });
  const rows = listOf(people.data, 'people');
  const total: number | undefined = people.data?.total ?? people.data?.count;
  const pages = total !== undefined ? Math.max(1, Math.ceil(total / (people.data?.per_page ?? PER_PAGE))) : undefined;
  const instList = listOf(insts.data, 'institutions').map(normInst);

  const nav = (patch: Record<string, string | number>) => {
    const next = new URLSearchParams({ institution, role, q, page: String(page) });
    for (const [k, v] of Object.entries(patch)) next.set(k, String(v));
    if (!('page' in patch)) next.set('page', '1');
    for (const [k, v] of [...next.entries()]) if (!v || (k === 'page' && v === '1')) next.delete(k);
    location.hash = `#/people${next.size ? '?' + next.toString() : ''}`;
  };

  return (
    <div class="page people">
      <div class="page-head">
        <h1>{t('people.title')}</h1>
        <span class="muted">{t('people.masked')}</span>
      </div>
      <form
        class="filters panel"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          nav({ q: text });
        }}
      >
        <div class="field grow">
          <label for="q">{t('people.search.label')}</label>
          <input id="q" type="search" value={text} placeholder={t('people.search')} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        </div>
        {instList.length > 1 && (
          <div class="field">
            <label for="inst">{t('people.institution')}</label>
            <select id="inst" value={institution} onChange={(e) => nav({ institution: (e.target as HTMLSelectElement).value })}>
              <option value="">{t('people.all')}</option>
              {instList.map((i) => (
                <option value={i.code}>
                  {i.code} {i.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div class="field">
          <label for="role">{t('people.role')}</label>
          <select id="role" value={role} onChange={(e) => nav({ role: (e.target as HTMLSelectElement).value })}>
            <option value="">{t('people.all')}</option>
            {ROLES.map((r) => (
              <option value={r}>{roleLabel(r)}</option>
            ))}
          </select>
        </div>
        <button type="submit" class="btn btn-primary">
          {t('people.filter')}
        </button>
      </form>

      <section class="panel">
        {people.error && <ErrorBox error={people.error} retry={people.reload} />}
        {people.loading && !people.data && <Loading />}
        {people.data && (
          <>
            <div class="panel-head">
              <span data-testid="people-total">{total !== undefined ? t('people.total', { n: fmtNum(total) }) : ''}</span>
              {people.loading && <span class="muted">{t('loading')}</span>}
            </div>
            <div class="table-scroll">
              <table class="table people-table" data-testid="people-table">
                <thead>
                  <tr>
                    <th scope="col">{t('col.name')}</th>
                    <th scope="col">{t('col.id_number')}</th>
                    <th scope="col" class="hide-phone">{t('col.phone')}</th>
                    <th scope="col">{t('col.institution')}</th>
                    <th scope="col" class="hide-phone">{t('col.unit')}</th>
                    <th scope="col">{t('col.role')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((p: any) => {
                    const id = field(p, 'id', 'person_id', 'code');
                    return (
                      <tr data-institution={field(p, 'institution_code', 'institution.code', 'institution')}>
                        <td>
                          <a href={`#/people/${encodeURIComponent(id)}`}>{field(p, 'name')}</a>
                        </td>
                        <td class="mono">{field(p, 'id_number', 'id_number_masked', 'id_masked')}</td>
                        <td class="mono hide-phone">{field(p, 'phone', 'phone_masked')}</td>
                        <td>{field(p, 'institution_name', 'institution.name', 'institution')}</td>
                        <td class="hide-phone">{field(p, 'unit_path', 'class', 'unit', 'unit.name')}</td>
                        <td>{roleLabel(field(p, 'role', 'category'))}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {!rows.length && <p class="muted">{t('people.none')}</p>}
            <nav class="pager" aria-label={t('people.page', { p: page, n: pages ?? '?' })}>
              <button type="button" class="btn" disabled={page <= 1} onClick={() => nav({ page: page - 1 })}>
                {t('people.prev')}
              </button>
              <span>{t('people.page', { p: fmtNum(page), n: pages !== undefined ? fmtNum(pages) : '?' })}</span>
              <button
                type="button"
                class="btn"
                disabled={pages !== undefined ? page >= pages : rows.length < PER_PAGE}
                onClick={() => nav({ page: page + 1 })}
              >
                {t('people.next')}
              </button>
            </nav>
          </>
        )}
      </section>
    </div>
  );
}

const DETAIL: [Key, string[]][] = [
  ['col.name', ['name']],
  ['col.id_number', ['id_number', 'id_masked', 'id_number_masked']],
  ['col.phone', ['phone', 'phone_masked']],
  ['col.gender', ['gender', 'sex']],
  ['col.birth', ['birth_date', 'date_of_birth', 'birthday']],
  ['col.role', ['role', 'category']],
  ['col.student_no', ['person_code', 'student_no', 'code']],
  ['col.institution', ['institution_name', 'institution.name', 'institution']],
  ['col.unit', ['unit_path', 'class', 'unit', 'unit.name']],
  ['col.dorm', ['dorm', 'dorm_room']],
  ['col.compound', ['compound', 'home_compound']],
];

export function Person({ id }: { id: string }) {
  const r = useApi<any>(`/people/${encodeURIComponent(id)}`);
  const p = r.data?.person ?? r.data;
  const masked = p && (p.full === false || isMasked(p.id_number) || (!p.id_number && !!p.id_masked));
  return (
    <div class="page person">
      <div class="page-head">
        <h1>{t('person.title')}</h1>
        <a href="#/people" onClick={(e) => history.length > 1 && (e.preventDefault(), history.back())}>
          ← {t('person.back')}
        </a>
      </div>
      <section class="panel">
        {r.error && <ErrorBox error={r.error} retry={r.reload} />}
        {r.loading && !r.data && <Loading />}
        {p && (
          <>
            <p class={`alert ${masked ? 'alert-info' : 'alert-audit'}`} role="status">
              {masked ? t('person.masked') : t('person.audited')}
            </p>
            <dl class="detail" data-testid="person-detail">
              {DETAIL.map(([label, keys]) => {
                const v = field(p, ...keys);
                return v ? (
                  <>
                    <dt>{t(label)}</dt>
                    <dd class={keys[0] === 'id_number' || keys[0] === 'phone' ? 'mono' : ''}>
                      {label === 'col.role' ? roleLabel(v) : v}
                    </dd>
                  </>
                ) : null;
              })}
            </dl>
          </>
        )}
      </section>
    </div>
  );
}
