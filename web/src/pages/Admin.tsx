// Users, API tokens and the audit log: for the command role.
import { useState } from 'preact/hooks';
import { api, ApiError, listOf } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../hooks';
import { fmtTime, has, t, type Key } from '../i18n';

function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
const looksLikeTime = (k: string) => /(_at|^at|time|when|created)$/.test(k);

function Table({ rows, cols, testid }: { rows: any[]; cols: [Key, string[]][]; testid?: string }) {
  if (!rows.length) return <p class="muted">{t('empty')}</p>;
  return (
    <div class="table-scroll tall">
      <table class="table" data-testid={testid}>
        <thead>
          <tr>
            {cols.map(([label]) => (
              <th scope="col">{t(label)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              {cols.map(([, keys]) => {
                const k = keys.find((kk) => r[kk] !== undefined && r[kk] !== null && r[kk] !== '');
                const v = k ? r[k] : '';
                return <td>{k && looksLikeTime(k) && v ? fmtTime(v) : text(v)}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const roleLabel = (r: string) => (has(`urole.${r}`) ? t(`urole.${r}` as Key) : r);

export function Users() {
  const users = useApi<any>('/users');
  const [form, setForm] = useState({ username: '', display_name: '', role: 'institution', scope: '', password: '' });
  const [msg, setMsg] = useState('');
  const [err, setErr] = useState<ApiError | null>(null);
  const set = (k: keyof typeof form) => (e: Event) => setForm({ ...form, [k]: (e.target as HTMLInputElement).value });

  async function add(e: Event) {
    e.preventDefault();
    setErr(null);
    setMsg('');
    try {
      const { scope, ...rest } = form;
      const body: Record<string, unknown> = { ...rest };
      if (scope && form.role === 'institution') body.institution = scope;
      if (scope && form.role === 'group') body.task_group = scope;
      if (!body.password) delete body.password;
      await api('/users', { method: 'POST', body });
      setMsg(t('users.added', { u: form.username }));
      setForm({ ...form, username: '', display_name: '', password: '' });
      users.reload();
    } catch (e2) {
      setErr(e2 as ApiError);
    }
  }

  const rows = listOf(users.data, 'users').map((u: any) => ({ ...u, role: roleLabel(String(u.role ?? '')) }));
  return (
    <div class="page">
      <div class="page-head">
        <h1>{t('users.title')}</h1>
      </div>
      <section class="panel">
        {users.error && <ErrorBox error={users.error} retry={users.reload} />}
        {users.loading && !users.data && <Loading />}
        {users.data && (
          <Table
            testid="users-table"
            rows={rows}
            cols={[
              ['users.username', ['username', 'name']],
              ['users.display', ['display_name']],
              ['users.role', ['role']],
              ['users.scope', ['institution', 'task_group', 'colleges', 'scope']],
            ]}
          />
        )}
      </section>
      {!users.error && (
        <form class="panel form-grid" onSubmit={add} aria-labelledby="add-user">
          <h2 id="add-user">{t('users.add')}</h2>
          <label>
            {t('users.username')}
            <input required value={form.username} onInput={set('username')} autocomplete="off" />
          </label>
          <label>
            {t('users.display')}
            <input value={form.display_name} onInput={set('display_name')} />
          </label>
          <label>
            {t('users.role')}
            <select value={form.role} onChange={set('role')}>
              {['command', 'group', 'institution', 'liaison', 'viewer'].map((r) => (
                <option value={r}>{roleLabel(r)}</option>
              ))}
            </select>
          </label>
          <label>
            {t('users.scope')}
            <input value={form.scope} onInput={set('scope')} placeholder="JY0001" />
          </label>
          <label>
            {t('users.password')}
            <input required type="password" value={form.password} onInput={set('password')} autocomplete="new-password" />
          </label>
          <div>
            <button class="btn btn-primary" type="submit">
              {t('users.add')}
            </button>
          </div>
          {msg && (
            <p class="alert alert-ok" role="status">
              {msg}
            </p>
          )}
          {err && <ErrorBox error={err} />}
        </form>
      )}
    </div>
  );
}

export function Tokens() {
  const tokens = useApi<any>('/tokens');
  const [name, setName] = useState('');
  const [secret, setSecret] = useState('');
  const [err, setErr] = useState<ApiError | null>(null);

  async function create(e: Event) {
    e.preventDefault();
    setErr(null);
    try {
      const r = await api<any>('/tokens', { method: 'POST', body: { name } });
      setSecret(typeof r?.secret === 'string' ? r.secret : typeof r?.token === 'string' ? r.token : '');
      setName('');
      tokens.reload();
    } catch (e2) {
      setErr(e2 as ApiError);
    }
  }
  async function revoke(id: string) {
    try {
      await api(`/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
      tokens.reload();
    } catch (e2) {
      setErr(e2 as ApiError);
    }
  }
  const rows = listOf(tokens.data, 'tokens');
  return (
    <div class="page">
      <div class="page-head">
        <h1>{t('tokens.title')}</h1>
      </div>
      <section class="panel">
        {tokens.error && <ErrorBox error={tokens.error} retry={tokens.reload} />}
        {tokens.loading && !tokens.data && <Loading />}
        {tokens.data &&
          (rows.length ? (
            <div class="table-scroll">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">{t('tokens.name')}</th>
                    <th scope="col">{t('users.username')}</th>
                    <th scope="col">{t('tokens.created')}</th>
                    <th scope="col"></th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r: any) => (
                    <tr>
                      <td>{r.name}</td>
                      <td>{r.username ?? roleLabel(String(r.role ?? ''))}</td>
                      <td>{r.created_at ? fmtTime(r.created_at) : ''}</td>
                      <td>
                        {r.revoked ? (
                          <span class="muted">{t('tokens.revoked')}</span>
                        ) : (
                          <button type="button" class="btn btn-small" onClick={() => revoke(String(r.id))}>
                            {t('tokens.revoke')}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : (
            <p class="muted">{t('empty')}</p>
          ))}
      </section>
      {!tokens.error && (
        <form class="panel form-row" onSubmit={create}>
          <label>
            {t('tokens.name')}
            <input required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
          </label>
          <button class="btn btn-primary" type="submit">
            {t('tokens.add')}
          </button>
          {secret && (
            <p class="alert alert-ok" role="status">
              {t('tokens.secret')} <code>{secret}</code>
            </p>
          )}
          {err && <ErrorBox error={err} />}
        </form>
      )}
    </div>
  );
}

export function Audit() {
  const audit = useApi<any>('/audit', { limit: 200 }, true);
  const rows = listOf(audit.data, 'entries', 'audit').map((e: any) => ({
    ...e,
    target: e.target ?? [e.subject_kind, e.subject_id || ''].filter(Boolean).join(' ') + (e.route ? ` · ${e.route}` : ''),
  }));
  return (
    <div class="page">
      <div class="page-head">
        <h1>{t('audit.title')}</h1>
      </div>
      <section class="panel">
        {audit.error && <ErrorBox error={audit.error} retry={audit.reload} />}
        {audit.loading && !audit.data && <Loading />}
        {audit.data && (
          <Table
            testid="audit-table"
            rows={rows}
            cols={[
              ['audit.when', ['at', 'time', 'created_at']],
              ['audit.who', ['actor', 'username', 'user']],
              ['audit.action', ['action', 'kind', 'what']],
              ['audit.target', ['target', 'subject', 'path', 'detail']],
            ]}
          />
        )}
      </section>
    </div>
  );
}
