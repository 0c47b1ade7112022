import { useEffect } from 'preact/hooks';
import { can, live, loadMe, logout, serverDown, session, startEvents, stopEvents, type User } from './api';
import { lang, setLang, t, type Key } from './i18n';
import { useSignal } from './signal';
import { go, useRoute } from './hooks';
import { Login } from './pages/Login';
import { Overview } from './pages/Overview';
import { People, Person } from './pages/People';
import { Imports } from './pages/Imports';
import { Audit, Tokens, Users } from './pages/Admin';
import { Rounds } from './pages/Rounds';
import { Cases, Tracking } from './pages/Tracking';
import { CaseCard } from './pages/CaseCard';
import { Directives } from './pages/Directives';
import { Chain } from './pages/Chain';
import { Inspections } from './pages/Inspections';
import { Teaching } from './pages/Teaching';
import { Volunteers } from './pages/Volunteers';
import { Screening } from './pages/Screening';
import { Org } from './pages/Org';
import { Loading } from './components/Status';

export const isCommand = (u: User | null | undefined) =>
  !!u && ['command', 'admin', 'commander'].includes(String(u.role).toLowerCase());

interface NavItem {
  hash: string;
  page: string;
  label: Key;
  command?: boolean;
  /** Shown only when /me lists one of these permissions. */
  perm?: string | string[];
}
const NAV: NavItem[] = [
  { hash: '#/', page: '', label: 'nav.overview' },
  { hash: '#/people', page: 'people', label: 'nav.people' },
  { hash: '#/rounds', page: 'rounds', label: 'nav.rounds', perm: 'figures.read' },
  { hash: '#/tracking', page: 'tracking', label: 'nav.tracking', perm: 'people.list' },
  { hash: '#/cases', page: 'cases', label: 'nav.cases', perm: 'people.list' },
  { hash: '#/directives', page: 'directives', label: 'nav.directives', perm: ['directives.act', 'directives.send'] },
  { hash: '#/inspections', page: 'inspections', label: 'nav.inspections', perm: 'figures.read' },
  { hash: '#/teaching', page: 'teaching', label: 'nav.teaching', perm: 'figures.read' },
  { hash: '#/volunteers', page: 'volunteers', label: 'nav.volunteers', perm: 'figures.read' },
  { hash: '#/screening', page: 'screening', label: 'nav.screening', perm: ['screening.report', 'figures.read'] },
  { hash: '#/org', page: 'org', label: 'nav.org', perm: ['directives.act', 'org.manage'] },
  { hash: '#/imports', page: 'imports', label: 'nav.imports' },
  { hash: '#/users', page: 'users', label: 'nav.users', command: true },
  { hash: '#/tokens', page: 'tokens', label: 'nav.tokens', command: true },
  { hash: '#/audit', page: 'audit', label: 'nav.audit', command: true },
];

function roleName(role: string): string {
  const k = `urole.${role}` as Key;
  return t(k) === k ? role : t(k);
}

export function App() {
  useSignal(lang); // re-render everything on a language switch
  const user = useSignal(session);
  const down = useSignal(serverDown);
  const isLive = useSignal(live);
  const route = useRoute();

  useEffect(() => {
    loadMe();
  }, []);

  useEffect(() => {
    if (user) startEvents();
    else stopEvents();
    if (user === null && route.path[0] !== 'login') go('#/login');
    if (user && route.path[0] === 'login') go('#/');
  }, [user, route.path[0]]);

  const banner = down && (
    <div class="banner" role="alert" data-testid="server-down">
      {t('banner.down')}
    </div>
  );

  if (user === undefined)
    return (
      <>
        {banner}
        <main class="center">
          <Loading />
        </main>
      </>
    );

  if (!user || route.path[0] === 'login')
    return (
      <>
        {banner}
        <Login />
      </>
    );

  const page = route.path[0] ?? '';
  const cmd = isCommand(user);
  let body;
  switch (page) {
    case '':
      body = <Overview user={user} />;
      break;
    case 'people':
      body = route.path[1] ? <Person id={route.path[1]} /> : <People query={route.query} />;
      break;
    case 'rounds':
      body = <Rounds id={route.path[1]} query={route.query} />;
      break;
    case 'tracking':
      body = <Tracking query={route.query} />;
      break;
    case 'cases':
      body = route.path[1] ? <CaseCard id={route.path[1]} /> : <Cases />;
      break;
    case 'chain':
      body = <Chain />;
      break;
    case 'directives':
      body = <Directives id={route.path[1]} />;
      break;
    case 'inspections':
      body = <Inspections />;
      break;
    case 'teaching':
      body = <Teaching query={route.query} />;
      break;
    case 'volunteers':
      body = <Volunteers />;
      break;
    case 'screening':
      body = <Screening query={route.query} />;
      break;
    case 'org':
      body = <Org />;
      break;
    case 'imports':
      body = <Imports />;
      break;
    case 'users':
      body = <Users />;
      break;
    case 'tokens':
      body = <Tokens />;
      break;
    case 'audit':
      body = <Audit />;
      break;
    default:
      body = <p>404</p>;
  }

  return (
    <>
      <a class="skip" href="#main" onClick={(e) => (e.preventDefault(), document.getElementById('main')?.focus())}>
        {t('app.skip')}
      </a>
      {banner}
      <header class="top">
        <div class="brand">
          <span class="logo" aria-hidden="true">
            防
          </span>
          <div>
            <div class="brand-name">
              防线 <span class="brand-latin">Fangxian</span>
            </div>
            <div class="brand-sub">{t('app.subtitle')}</div>
          </div>
        </div>
        <nav aria-label={t('nav.main')} class="nav">
          {NAV.filter((n) => (!n.command || cmd) && (!n.perm || [n.perm].flat().some((p) => can(p, user)))).map((n) => (
            <a href={n.hash} class={page === n.page ? 'active' : ''} aria-current={page === n.page ? 'page' : undefined}>
              {t(n.label)}
            </a>
          ))}
        </nav>
        <div class="who">
          <span class={`live ${isLive ? 'on' : ''}`} title={isLive ? t('banner.live') : t('banner.offline')}>
            <span class="dot" aria-hidden="true" />
            {isLive ? t('banner.live') : t('banner.offline')}
          </span>
          <span class="user" data-testid="user">
            {user.display_name || user.username}
            <small>{roleName(String(user.role))}</small>
          </span>
          <button
            type="button"
            class="btn btn-ghost"
            aria-label={t('lang.switch.label')}
            onClick={() => setLang(lang.get() === 'zh' ? 'en' : 'zh')}
          >
            {t('lang.switch')}
          </button>
          <button type="button" class="btn btn-ghost" onClick={() => logout()}>
            {t('logout')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {body}
      </main>
    </>
  );
}
