import { useEffect, useState } from 'preact/hooks';
import { ApiError, login, loginReason } from '../api';
import { lang, setLang, t } from '../i18n';
import { useSignal } from '../signal';

export function Login() {
  const reason = useSignal(loginReason);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [wait, setWait] = useState(0); // seconds until a throttled login may retry

  useEffect(() => {
    if (wait <= 0) return;
    const id = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(id);
  }, [wait]);

  async function submit(e: Event) {
    e.preventDefault();
    if (!username || !password) {
      setError(t('login.missing'));
      return;
    }
    setBusy(true);
    setError('');
    try {
      await login(username, password);
      location.hash = '#/';
    } catch (err) {
      const ae = err instanceof ApiError ? err : new ApiError(0, 'client', String(err));
      if (ae.status === 401 || ae.status === 403) setError(t('login.wrong'));
      else if (ae.status === 429) {
        if (ae.retryAfter) {
          setWait(ae.retryAfter);
          setError('throttled');
        } else setError(t('login.throttled.later'));
      } else if (ae.status === 0) setError(t('banner.down'));
      else setError(t('error.generic', { m: ae.message }));
    } finally {
      setBusy(false);
    }
  }

  const message =
    error === 'throttled'
      ? wait > 0
        ? t('login.throttled', { s: wait })
        : t('login.throttled.later')
      : error;

  return (
    <main class="login-page" id="main">
      <form class="login-card" onSubmit={submit} aria-labelledby="login-title" noValidate>
        <div class="login-brand">
          <span class="logo logo-big" aria-hidden="true">
            防
          </span>
          <div>
            <div class="brand-name">
              防线 <span class="brand-latin">Fangxian</span>
            </div>
            <div class="brand-sub">{t('app.subtitle')}</div>
          </div>
        </div>
        <h1 id="login-title">{t('login.title')}</h1>
        {reason && !error && (
          <div class="alert alert-info" role="status" data-testid="login-reason">
            {t(reason === 'expired' ? 'login.expired' : 'login.loggedout')}
          </div>
        )}
        {message && (
          <div class="alert alert-error" role="alert" data-testid="login-error">
            {message}
          </div>
        )}
        <label for="username">{t('login.username')}</label>
        <input
          id="username"
          name="username"
          autocomplete="username"
          value={username}
          onInput={(e) => setUsername((e.target as HTMLInputElement).value)}
          autoFocus
        />
        <label for="password">{t('login.password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
        />
        <button type="submit" class="btn btn-primary btn-block" disabled={busy || wait > 0}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
        <button
          type="button"
          class="btn btn-link"
          aria-label={t('lang.switch.label')}
          onClick={() => setLang(lang.get() === 'zh' ? 'en' : 'zh')}
        >
          {t('lang.switch')}
        </button>
      </form>
    </main>
  );
}
