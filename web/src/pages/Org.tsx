// 组织架构 — the six task groups with their members and lead, and the colleges'
// liaisons (docs/api.md "Organisation"). Everyone in the directives loop reads
// it (whom to call); command (org.manage) edits it. Phones only ever masked.
import { useState } from 'preact/hooks';
import { api, ApiError, can, listOf, url } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../hooks';
import { fmtNum, t } from '../i18n';

const LIVE = ['org.'];

export function Org() {
  const r = useApi<any>('/org', undefined, LIVE, 300);
  const manage = can('org.manage');
  const groups: any[] = listOf(r.data, 'groups');
  const liaisons: any[] = listOf(r.data, 'liaisons');
  return (
    <div class="page org">
      <div class="page-head">
        <h1>{t('org.title')}</h1>
        <div class="actions">
          <a class="btn btn-small" href={url('/org/members', { format: 'xlsx' })} download data-testid="export-members">
            {t('org.export_members')}
          </a>
          <a class="btn btn-small" href={url('/org/liaisons', { format: 'xlsx' })} download data-testid="export-liaisons">
            {t('org.export_liaisons')}
          </a>
        </div>
      </div>
      {r.error && <ErrorBox error={r.error} retry={r.reload} />}
      {r.loading && !r.data && <Loading />}
      {manage && r.data && <MemberForm groups={groups} onDone={r.reload} />}
      <div class="org-groups" data-testid="org-groups">
        {groups.map((g) => (
          <section class="panel" data-group={g.name} aria-labelledby={`org-g-${g.id}`}>
            <div class="panel-head">
              <h2 id={`org-g-${g.id}`}>
                {g.name}
                {t('org.group_suffix')}
              </h2>
              <span class="small muted">{g.duty}</span>
            </div>
            <p class="small" data-testid="group-lead">
              {t('org.lead')}: {g.lead || <span class="muted">{t('org.no_lead')}</span>}
            </p>
            {listOf(g, 'members').length === 0 ? (
              <p class="muted small">{t('org.no_members')}</p>
            ) : (
              <div class="table-wrap">
                <table class="table">
                  <thead>
                    <tr>
                      <th>{t('org.f.title')}</th>
                      <th>{t('org.f.name')}</th>
                      <th>{t('org.f.phone')}</th>
                      <th>{t('org.f.user')}</th>
                      {manage && <th />}
                    </tr>
                  </thead>
                  <tbody>
                    {listOf(g, 'members').map((m: any) => (
                      <tr data-member={m.id} class={m.lead ? 'org-lead' : ''}>
                        <td>{m.title}</td>
                        <td>{m.name}</td>
                        <td>{m.phone || '—'}</td>
                        <td>{m.user || '—'}</td>
                        {manage && (
                          <td>
                            <RemoveButton path={`/org/members/${m.id}`} onDone={r.reload} />
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        ))}
      </div>
      {r.data && (
        <section class="panel" aria-labelledby="org-liaisons-title">
          <div class="panel-head">
            <h2 id="org-liaisons-title">
              {t('org.liaisons')} · {fmtNum(liaisons.length)}
            </h2>
          </div>
          {manage && <LiaisonForm onDone={r.reload} />}
          {liaisons.length === 0 ? (
            <p class="muted small">{t('org.no_liaisons')}</p>
          ) : (
            <div class="table-wrap">
              <table class="table" data-testid="org-liaisons">
                <thead>
                  <tr>
                    <th>{t('org.f.institution')}</th>
                    <th>{t('org.f.name')}</th>
                    <th>{t('org.f.phone')}</th>
                    <th>{t('org.f.user')}</th>
                    {manage && <th />}
                  </tr>
                </thead>
                <tbody>
                  {liaisons.map((l: any) => (
                    <tr data-liaison={l.institution}>
                      <td>
                        {l.institution_name} <span class="muted small">{l.institution}</span>
                      </td>
                      <td>{l.name}</td>
                      <td>{l.phone || '—'}</td>
                      <td>{l.user || '—'}</td>
                      {manage && (
                        <td>
                          <RemoveButton path={`/org/liaisons/${encodeURIComponent(l.institution)}`} onDone={r.reload} />
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
    </div>
  );
}

function RemoveButton({ path, onDone }: { path: string; onDone: () => void }) {
  const [error, setError] = useState<ApiError | null>(null);
  return (
    <>
      <button
        type="button"
        class="btn btn-small btn-ghost"
        onClick={async () => {
          try {
            await api(path, { method: 'DELETE' });
            onDone();
          } catch (err) {
            setError(err instanceof ApiError ? err : new ApiError(0, 'client', String(err)));
          }
        }}
      >
        {t('org.remove')}
      </button>
      {error && <ErrorBox error={error} />}
    </>
  );
}

function useSubmit(onDone: () => void) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  async function run(path: string, body: any) {
    setBusy(true);
    setError(null);
    try {
      await api(path, { method: 'POST', body });
      onDone();
      return true;
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'client', String(err)));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run };
}

function MemberForm({ groups, onDone }: { groups: any[]; onDone: () => void }) {
  const [group, setGroup] = useState(groups[0]?.name ?? '综合调度');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [user, setUser] = useState('');
  const [lead, setLead] = useState(false);
  const s = useSubmit(onDone);
  async function submit(e: Event) {
    e.preventDefault();
    const body: any = { group, name: name.trim(), lead };
    if (phone.trim()) body.phone = phone.trim();
    if (user.trim()) body.user = user.trim();
    if (await s.run('/org/members', body)) (setName(''), setPhone(''), setUser(''), setLead(false));
  }
  return (
    <form class="panel form-grid" onSubmit={submit} data-testid="member-form" aria-labelledby="org-add-title">
      <h2 id="org-add-title">{t('org.add_member')}</h2>
      <div class="field">
        <label for="org-group">{t('org.f.group')}</label>
        <select id="org-group" value={group} onChange={(e) => setGroup((e.target as HTMLSelectElement).value)}>
          {groups.map((g) => (
            <option value={g.name}>{g.name}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="org-name">{t('org.f.name')}</label>
        <input id="org-name" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="org-phone">{t('org.f.phone')}</label>
        <input id="org-phone" inputMode="tel" value={phone} onInput={(e) => setPhone((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="org-user">{t('org.f.user')}</label>
        <input id="org-user" value={user} onInput={(e) => setUser((e.target as HTMLInputElement).value)} />
      </div>
      <label class="radio">
        <input id="org-lead" type="checkbox" checked={lead} onChange={(e) => setLead((e.target as HTMLInputElement).checked)} />
        {t('org.f.lead')}
      </label>
      <div class="form-row">
        <button type="submit" class="btn btn-primary" disabled={s.busy}>
          {t('org.save')}
        </button>
      </div>
      {s.error && <ErrorBox error={s.error} />}
    </form>
  );
}

function LiaisonForm({ onDone }: { onDone: () => void }) {
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const insts = useApi<any>('/institutions');
  const colleges = listOf(insts.data, 'institutions').filter((i: any) => ['college', 'university', '高职', '高校'].includes(String(i.kind)));
  const s = useSubmit(onDone);
  async function submit(e: Event) {
    e.preventDefault();
    const body: any = { name: name.trim() };
    if (phone.trim()) body.phone = phone.trim();
    if (await s.run(`/org/liaisons/${encodeURIComponent(code.trim())}`, body)) (setCode(''), setName(''), setPhone(''));
  }
  return (
    <form class="form-grid" onSubmit={submit} data-testid="liaison-form">
      <div class="field">
        <label for="org-college">{t('org.f.institution')}</label>
        <input id="org-college" list="org-colleges" required value={code} onInput={(e) => setCode((e.target as HTMLInputElement).value)} />
        <datalist id="org-colleges">
          {colleges.map((i: any) => (
            <option value={i.code}>{i.name}</option>
          ))}
        </datalist>
      </div>
      <div class="field">
        <label for="org-lname">{t('org.f.name')}</label>
        <input id="org-lname" required value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field">
        <label for="org-lphone">{t('org.f.phone')}</label>
        <input id="org-lphone" inputMode="tel" value={phone} onInput={(e) => setPhone((e.target as HTMLInputElement).value)} />
      </div>
      <div class="form-row">
        <button type="submit" class="btn btn-primary" disabled={s.busy}>
          {t('org.assign')}
        </button>
      </div>
      {s.error && <ErrorBox error={s.error} />}
    </form>
  );
}
