// 指令 — the directives inbox and one directive with its recipients, docs/api.md
// "Directives (指令)" and docs/directives.md. Phone-first: the inbox is a list of
// cards, tables scroll inside their panel, the actions are stacked forms.
import { useState } from 'preact/hooks';
import { api, ApiError, can, listOf, scopeInstitutions, session, url } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { go, useApi } from '../hooks';
import { fmtNum, fmtTime, has, t, type Key } from '../i18n';

const LIVE = ['directive.'];
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0) || 0);
const label = (prefix: string, v: string) => (v && has(`${prefix}.${v}`) ? t(`${prefix}.${v}` as Key) : v);
const PRIORITIES = ['normal', 'urgent', 'critical'] as const;
/** The priority's code whether the server sends `urgent` or `紧急`. */
function priorityCode(d: any): string {
  const p = String(d?.priority ?? '');
  if ((PRIORITIES as readonly string[]).includes(p)) return p;
  const n = String(d?.priority_name ?? p);
  return n === '特急' ? 'critical' : n === '紧急' ? 'urgent' : 'normal';
}
const when = (iso: unknown) => (iso ? fmtTime(String(iso)) : '—');
const minutes = (m: unknown) => (m === null || m === undefined || m === '' ? '—' : t('dir.minutes', { n: fmtNum(Math.round(num(m))) }));
const sender = (d: any) => `${d.sender_group || t('dir.command')} · ${d.sender ?? ''}`;

const GROUPS = ['综合调度', '人员管控', '物资保障', '舆论引导', '监督检查', '教学保障'] as const;
/** A recipient row's key (学校代码, group:人员管控, liaison:liu) and name, from the row. */
const keyOf = (x: any): string => String(x.key ?? x.institution?.code ?? '');
const nameOf = (x: any): string => String(x.name || x.institution?.name || keyOf(x));

/** The caller's own institutions (an institution admin's or liaison's), from /me. */
function myInstitutions(): Set<string> {
  const u: any = session.get();
  const s = new Set(scopeInstitutions(u).map((i) => i.code));
  if (typeof u?.institution === 'string' && u.institution) s.add(u.institution);
  return s;
}

/**
 * Whether the caller acts for a row (acknowledge, report done). The server
 * returns only rows the caller sees and refuses the rest (404); this only
 * keeps the sender's group from being offered another group's or a
 * liaison's buttons, which it sees to accept or return.
 */
function actsFor(x: any, d: any, mine: Set<string>): boolean {
  const u: any = session.get();
  if (!x.kind || x.kind === 'institution') return !mine.size || mine.has(keyOf(x));
  if (u?.role === 'command') return true;
  if (x.kind === 'liaison') return keyOf(x) === `liaison:${u?.username ?? ''}`;
  const sender = u?.role === 'group' && u?.task_group === d?.sender_group;
  return !sender || keyOf(x) === `group:${u?.task_group ?? ''}`;
}

function Priority({ d }: { d: any }) {
  const p = priorityCode(d);
  return (
    <span class={`tag prio prio-${p}`} data-priority={p}>
      {label('dprio', p)}
    </span>
  );
}

function State({ r }: { r: any }) {
  return (
    <span class={`tag dstate dstate-${r.state}`} data-state={r.state}>
      {label('dstate', String(r.state))}
    </span>
  );
}

export function Directives({ id }: { id?: string }) {
  return id ? <Directive id={id} /> : <Inbox />;
}

// ---- the inbox

function Inbox() {
  const r = useApi<any>('/directives', undefined, LIVE, 300);
  const [creating, setCreating] = useState(false);
  const items = listOf(r.data)
    .slice()
    .sort((a: any, b: any) => String(b.created_at ?? '').localeCompare(String(a.created_at ?? '')) || num(b.id) - num(a.id));
  const mine = myInstitutions();
  const send = can('directives.send');
  return (
    <div class="page directives">
      <div class="page-head">
        <h1>{t('dir.title')}</h1>
        <a class="btn btn-small" href={url('/directives', { format: 'xlsx' })} download data-testid="export-directives">
          {t('export.xlsx')}
        </a>
        {send && (
          <button type="button" class="btn btn-primary" data-testid="new-directive" aria-expanded={creating} onClick={() => setCreating(!creating)}>
            {t('dir.new')}
          </button>
        )}
      </div>
      {send && creating && <NewDirective onDone={(id) => (setCreating(false), go(`#/directives/${id}`))} />}
      <section class="panel" aria-labelledby="dir-inbox-title">
        <div class="panel-head">
          <h2 id="dir-inbox-title">
            {t('dir.inbox')}
            {r.data ? ` · ${fmtNum(items.length)}` : ''}
          </h2>
        </div>
        {r.error && <ErrorBox error={r.error} retry={r.reload} />}
        {r.loading && !r.data && <Loading />}
        {r.data && !items.length && <p class="muted">{t('dir.none')}</p>}
        {items.length > 0 && (
          <ul class="dir-list" data-testid="directives-inbox" aria-busy={r.loading}>
            {items.map((d: any) => {
              const s = d.summary ?? {};
              const p = priorityCode(d);
              const rows: any[] = Array.isArray(d.recipients) ? d.recipients : [];
              const own = rows.filter((x) => (x.kind && x.kind !== 'institution' ? actsFor(x, d, mine) : mine.size && mine.has(keyOf(x))));
              return (
                <li class={`dir-item prio-${p}${num(s.overdue) > 0 ? ' row-overdue' : ''}`} data-directive={d.id}>
                  <div class="dir-item-head">
                    <Priority d={d} />
                    <a class="dir-title" href={`#/directives/${d.id}`}>
                      {d.title}
                    </a>
                  </div>
                  <div class="dir-meta small muted">
                    <span>{sender(d)}</span>
                    <span>{t('dir.sent_at', { t: when(d.created_at) })}</span>
                    {d.deadline && <span class={num(s.overdue) > 0 ? 'bad-text' : ''}>{t('dir.deadline_at', { t: d.deadline_local || when(d.deadline) })}</span>}
                  </div>
                  <div class="dir-summary small" data-testid="directive-summary">
                    <span>{t('dir.sum.recipients', { n: fmtNum(num(s.recipients)) })}</span>
                    <span>{t('dir.sum.acknowledged', { n: fmtNum(num(s.acknowledged)) })}</span>
                    <span>{t('dir.sum.done', { n: fmtNum(num(s.done)) })}</span>
                    <span>{t('dir.sum.accepted', { n: fmtNum(num(s.accepted)) })}</span>
                    {num(s.overdue) > 0 && <span class="bad-text">{t('dir.sum.overdue', { n: fmtNum(num(s.overdue)) })}</span>}
                  </div>
                  {own.map((x) => (
                    <div class="dir-own small" data-own={keyOf(x)}>
                      {nameOf(x)}: <State r={x} />
                      {x.overdue && <span class="tag prio-critical">{t('dir.overdue')}</span>}
                    </div>
                  ))}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <Timing />
    </div>
  );
}

/** Time from issue to acknowledgement and to completion per recipient (GET /directives/stats). */
function Timing() {
  const r = useApi<any>('/directives/stats', undefined, LIVE, 600);
  const rows: any[] = [...listOf(r.data, 'institutions'), ...listOf(r.data, 'groups_and_liaisons')];
  const total = r.data?.total ?? {};
  return (
    <section class="panel" aria-labelledby="dir-timing-title" data-testid="directive-timing">
      <div class="panel-head">
        <h2 id="dir-timing-title">{t('dir.timing')}</h2>
        <a class="btn btn-small" href={url('/directives/stats', { format: 'xlsx' })} download data-testid="export-timing">
          {t('export.xlsx')}
        </a>
      </div>
      {r.error && <ErrorBox error={r.error} retry={r.reload} />}
      {r.data && (
        <p class="small dir-summary">
          <span>{t('dir.median_ack', { m: minutes(total.median_minutes_to_ack) })}</span>
          <span>{t('dir.median_done', { m: minutes(total.median_minutes_to_done) })}</span>
        </p>
      )}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th>{t('dir.timing.institution')}</th>
                <th class="num">{t('dir.timing.received')}</th>
                <th class="num">{t('dir.timing.acknowledged')}</th>
                <th class="num">{t('dir.timing.done')}</th>
                <th class="num">{t('dir.timing.overdue')}</th>
                <th class="num">{t('dir.to_ack')}</th>
                <th class="num">{t('dir.to_done')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((x: any) => (
                <tr data-institution={x.code} data-kind={x.kind ?? 'institution'}>
                  <td>
                    {x.name} <span class="muted small">{x.kind === 'group' || x.kind === 'liaison' ? label('dkind', x.kind) : x.code}</span>
                  </td>
                  <td class="num">{fmtNum(num(x.summary?.recipients))}</td>
                  <td class="num">{fmtNum(num(x.summary?.acknowledged))}</td>
                  <td class="num">{fmtNum(num(x.summary?.done))}</td>
                  <td class={`num${num(x.summary?.overdue) > 0 ? ' bad-text' : ''}`}>{fmtNum(num(x.summary?.overdue))}</td>
                  <td class="num" data-testid="median-ack">{minutes(x.summary?.median_minutes_to_ack)}</td>
                  <td class="num">{minutes(x.summary?.median_minutes_to_done)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function NewDirective({ onDone }: { onDone: (id: number) => void }) {
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [priority, setPriority] = useState('普通');
  const [deadline, setDeadline] = useState('');
  const [to, setTo] = useState('');
  const [all, setAll] = useState(false);
  const [picked, setPicked] = useState<string[]>([]); // group:… and liaison:… keys
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const insts = useApi<any>('/institutions');
  const instList = listOf(insts.data, 'institutions');
  // Liaisons with an account can receive directives (docs/directives.md).
  const org = useApi<any>('/org');
  const liaisons = listOf(org.data, 'liaisons').filter((l: any) => l.user);
  const toggle = (key: string, on: boolean) => setPicked((p) => (on ? [...p.filter((k) => k !== key), key] : p.filter((k) => k !== key)));
  async function submit(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const typed = to.split(/[\s,,、;;]+/).map((s) => s.trim()).filter(Boolean);
    const codes = all ? ['all'] : [...typed, ...picked];
    const req: any = { title: title.trim(), priority, to: codes };
    if (body.trim()) req.body = body.trim();
    if (deadline) req.deadline = deadline.replace('T', ' ').slice(0, 16);
    try {
      const d = await api<any>('/directives', { method: 'POST', body: req });
      onDone(d.id);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'client', String(err)));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="panel form-grid dir-form" onSubmit={submit} aria-labelledby="dir-new-title" data-testid="directive-form">
      <h2 id="dir-new-title">{t('dir.new')}</h2>
      <div class="field wide">
        <label for="dir-title">{t('dir.f.title')}</label>
        <input id="dir-title" required value={title} onInput={(e) => setTitle((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field wide">
        <label for="dir-body">{t('dir.f.body')}</label>
        <textarea id="dir-body" rows={4} value={body} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />
      </div>
      <div class="field">
        <label for="dir-priority">{t('dir.f.priority')}</label>
        <select id="dir-priority" value={priority} onChange={(e) => setPriority((e.target as HTMLSelectElement).value)}>
          <option value="普通">{t('dprio.normal')}</option>
          <option value="紧急">{t('dprio.urgent')}</option>
          <option value="特急">{t('dprio.critical')}</option>
        </select>
      </div>
      <div class="field">
        <label for="dir-deadline">{t('dir.f.deadline')}</label>
        <input id="dir-deadline" type="datetime-local" value={deadline} onInput={(e) => setDeadline((e.target as HTMLInputElement).value)} />
      </div>
      <div class="field wide">
        <label for="dir-to">{t('dir.f.to')}</label>
        <input
          id="dir-to"
          list="dir-insts"
          value={to}
          disabled={all}
          required={!all && !picked.length}
          placeholder="JY0001, JY0002"
          onInput={(e) => setTo((e.target as HTMLInputElement).value)}
        />
        <datalist id="dir-insts">
          {instList.map((i: any) => (
            <option value={i.code}>{i.name}</option>
          ))}
        </datalist>
        <label class="radio">
          <input type="checkbox" checked={all} onChange={(e) => setAll((e.target as HTMLInputElement).checked)} />
          {t('dir.f.all')}
        </label>
      </div>
      <fieldset class="field wide" data-testid="pick-groups" disabled={all}>
        <legend>{t('dir.f.groups')}</legend>
        {GROUPS.map((g) => (
          <label class="radio">
            <input type="checkbox" value={`group:${g}`} checked={picked.includes(`group:${g}`)} onChange={(e) => toggle(`group:${g}`, (e.target as HTMLInputElement).checked)} />
            {g}
          </label>
        ))}
      </fieldset>
      {liaisons.length > 0 && (
        <fieldset class="field wide" data-testid="pick-liaisons" disabled={all}>
          <legend>{t('dir.f.liaisons')}</legend>
          {liaisons.map((l: any) => (
            <label class="radio">
              <input
                type="checkbox"
                value={`liaison:${l.user}`}
                checked={picked.includes(`liaison:${l.user}`)}
                onChange={(e) => toggle(`liaison:${l.user}`, (e.target as HTMLInputElement).checked)}
              />
              {l.name} · {l.institution_name || l.institution}
            </label>
          ))}
        </fieldset>
      )}
      <div class="form-row">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('dir.f.send')}
        </button>
      </div>
      {error && <ErrorBox error={error} />}
    </form>
  );
}

// ---- one directive

function Directive({ id }: { id: string }) {
  const r = useApi<any>(`/directives/${encodeURIComponent(id)}`, undefined, LIVE, 300);
  const d = r.data;
  const rows: any[] = Array.isArray(d?.recipients) ? d.recipients : [];
  const history: any[] = Array.isArray(d?.history) ? d.history : [];
  const s = d?.summary ?? {};
  const act = can('directives.act');
  const send = can('directives.send');
  const mine = myInstitutions();
  // Acknowledge and report done: for one's own institution; a caller without an
  // institution scope (command, groups) may act for any row it sees.
  const mayAct = (x: any) => act && actsFor(x, d, mine);
  const actionable = rows.filter(
    (x) => (mayAct(x) && ['delivered', 'read', 'acknowledged', 'done'].includes(x.state)) || (send && x.state === 'done'),
  );
  return (
    <div class="page directives">
      <div class="page-head">
        <a href="#/directives">← {t('dir.back')}</a>
        <a class="btn btn-small" href={url(`/directives/${encodeURIComponent(id)}`, { format: 'xlsx' })} download data-testid="export-recipients">
          {t('export.xlsx')}
        </a>
      </div>
      {r.error && <ErrorBox error={r.error} retry={r.reload} />}
      {r.loading && !d && <Loading />}
      {d && (
        <>
          <section class={`panel dir-detail prio-${priorityCode(d)}`} data-testid="directive-detail" data-directive={d.id} aria-labelledby="dir-h">
            <div class="dir-item-head">
              <Priority d={d} />
              <h1 id="dir-h">{d.title}</h1>
            </div>
            <dl class="detail dir-facts">
              <dt>{t('dir.sender')}</dt>
              <dd>{sender(d)}</dd>
              <dt>{t('dir.sent')}</dt>
              <dd>{when(d.created_at)}</dd>
              <dt>{t('dir.deadline')}</dt>
              <dd>{d.deadline ? d.deadline_local || when(d.deadline) : t('dir.no_deadline')}</dd>
              {d.source === 'round_missed' && (
                <>
                  <dt>{t('dir.source')}</dt>
                  <dd>
                    <a href={`#/rounds/${d.source_id}`}>{t('dir.source.round', { n: d.source_id })}</a>
                  </dd>
                </>
              )}
              <dt>{t('dir.summary')}</dt>
              <dd class="dir-summary">
                <span>{t('dir.sum.recipients', { n: fmtNum(num(s.recipients)) })}</span>
                <span>{t('dir.sum.acknowledged', { n: fmtNum(num(s.acknowledged)) })}</span>
                <span>{t('dir.sum.done', { n: fmtNum(num(s.done)) })}</span>
                <span>{t('dir.sum.accepted', { n: fmtNum(num(s.accepted)) })}</span>
                {num(s.overdue) > 0 && <span class="bad-text">{t('dir.sum.overdue', { n: fmtNum(num(s.overdue)) })}</span>}
                {num(s.escalated) > 0 && <span class="warn-text">{t('dir.sum.escalated', { n: fmtNum(num(s.escalated)) })}</span>}
                <span>{t('dir.median_ack', { m: minutes(s.median_minutes_to_ack) })}</span>
                <span>{t('dir.median_done', { m: minutes(s.median_minutes_to_done) })}</span>
              </dd>
            </dl>
            {d.body && <div class="dir-body">{d.body}</div>}
          </section>

          {actionable.map((x) => (
            <RecipientActions d={d} x={x} act={mayAct(x)} send={send} onDone={r.reload} />
          ))}

          <section class="panel" aria-labelledby="dir-rcpt-title">
            <div class="panel-head">
              <h2 id="dir-rcpt-title">{t('dir.recipients')}</h2>
            </div>
            <div class="table-scroll">
              <table class="table compact dir-table" data-testid="recipients-table" aria-busy={r.loading}>
                <thead>
                  <tr>
                    <th scope="col">{t('dir.recipient')}</th>
                    <th scope="col">{t('dir.state')}</th>
                    <th scope="col">{t('dir.times')}</th>
                    <th scope="col" class="num">{t('dir.to_ack')}</th>
                    <th scope="col" class="num">{t('dir.to_done')}</th>
                    <th scope="col">{t('dir.flags')}</th>
                    <th scope="col">{t('dir.feedback')}</th>
                    <th scope="col" class="num">{t('dir.people')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((x) => (
                    <tr data-recipient={keyOf(x)} data-kind={x.kind ?? 'institution'} data-state={x.state} class={x.overdue ? 'row-overdue' : ''}>
                      <th scope="row">
                        <div>{nameOf(x)}</div>
                        <div class="mono muted small">{x.kind === 'group' || x.kind === 'liaison' ? label('dkind', x.kind) : keyOf(x)}</div>
                      </th>
                      <td data-col="state">
                        <State r={x} />
                      </td>
                      <td class="small nowrap">
                        {(['delivered_at', 'read_at', 'acknowledged_at', 'done_at', 'accepted_at'] as const).map((k) =>
                          x[k] ? (
                            <div>
                              {t(`dir.at.${k}` as Key)} {when(x[k])}
                            </div>
                          ) : null,
                        )}
                      </td>
                      <td class="num">{minutes(x.minutes_to_ack)}</td>
                      <td class="num">{minutes(x.minutes_to_done)}</td>
                      <td class="small">
                        {x.overdue && <div class="bad-text">{t('dir.overdue')}</div>}
                        {x.escalated_at && (
                          <div class="warn-text">{t('dir.escalated', { to: x.escalated_to ?? '', t: when(x.escalated_at) })}</div>
                        )}
                        {num(x.returns) > 0 && <div>{t('dir.returns', { n: fmtNum(num(x.returns)) })}</div>}
                      </td>
                      <td class="dir-feedback" data-col="feedback">
                        {x.feedback}
                        {x.return_reason && <div class="small warn-text">{t('dir.returned_for', { r: x.return_reason })}</div>}
                      </td>
                      <td class="num">{fmtNum(Array.isArray(x.people) ? x.people.length : 0)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section class="panel" aria-labelledby="dir-hist-title">
            <div class="panel-head">
              <h2 id="dir-hist-title">{t('dir.history')}</h2>
            </div>
            {!history.length && <p class="muted">{t('dir.history.none')}</p>}
            {history.length > 0 && (
              <ol class="dir-history" data-testid="directive-history">
                {history.map((h) => (
                  <li data-action={h.action}>
                    <span class="mono small muted">{when(h.at)}</span> <strong>{label('daction', String(h.action))}</strong>{' '}
                    <span class="small">
                      {h.from ? `${label('dstate', h.from)} → ` : ''}
                      {label('dstate', h.to ?? '')}
                    </span>{' '}
                    <span class="small muted">{h.actor}</span>
                    {h.note && <div class="small">{h.note}</div>}
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </div>
  );
}

function RecipientActions({ d, x, act, send, onDone }: { d: any; x: any; act: boolean; send: boolean; onDone: () => void }) {
  const [feedback, setFeedback] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const code = keyOf(x);
  const post = async (what: string, body: any) => {
    setBusy(true);
    setError(null);
    try {
      await api(`/directives/${d.id}/recipients/${encodeURIComponent(code)}/${what}`, { method: 'POST', body });
      setFeedback('');
      setReason('');
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
    } finally {
      setBusy(false);
    }
  };
  const fb = `dir-fb-${x.id ?? code}`;
  const rs = `dir-rs-${x.id ?? code}`;
  const canAck = act && (x.state === 'delivered' || x.state === 'read');
  const canDone = act && (x.state === 'acknowledged' || x.state === 'done');
  const canJudge = send && x.state === 'done';
  return (
    <section class="panel dir-actions" data-actions={code} aria-label={t('dir.actions_for', { n: nameOf(x) })}>
      <div class="panel-head">
        <h2>
          {nameOf(x)} <span class="mono muted small">{code}</span>
        </h2>
        <State r={x} />
      </div>
      {canAck && (
        <button type="button" class="btn btn-primary btn-wide" disabled={busy} onClick={() => post('ack', {})}>
          {t('dir.ack')}
        </button>
      )}
      {canDone && (
        <form class="dir-act-form" onSubmit={(e) => (e.preventDefault(), post('done', { feedback: feedback.trim() }))}>
          <label for={fb}>{x.state === 'done' ? t('dir.feedback.revise') : t('dir.feedback.label')}</label>
          <textarea id={fb} rows={3} required value={feedback} onInput={(e) => setFeedback((e.target as HTMLTextAreaElement).value)} />
          <button type="submit" class="btn btn-primary btn-wide" disabled={busy || !feedback.trim()}>
            {x.state === 'done' ? t('dir.done.revise') : t('dir.done')}
          </button>
        </form>
      )}
      {canJudge && (
        <div class="dir-act-form">
          {x.feedback && <p class="dir-body">{x.feedback}</p>}
          <button type="button" class="btn btn-primary btn-wide" disabled={busy} onClick={() => post('accept', {})}>
            {t('dir.accept')}
          </button>
          <form class="dir-act-form" onSubmit={(e) => (e.preventDefault(), post('return', { reason: reason.trim() }))}>
            <label for={rs}>{t('dir.return.reason')}</label>
            <input id={rs} required value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
            <button type="submit" class="btn btn-wide" disabled={busy || !reason.trim()}>
              {t('dir.return')}
            </button>
          </form>
        </div>
      )}
      {error && <ErrorBox error={error} />}
    </section>
  );
}
