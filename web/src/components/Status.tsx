import { ApiError } from '../api';
import { t } from '../i18n';

export function Loading() {
  return (
    <p class="muted" role="status" aria-live="polite">
      {t('loading')}
    </p>
  );
}

export function ErrorBox({ error, retry }: { error: ApiError; retry?: () => void }) {
  let msg: string;
  if (error.status === 403) msg = t('error.forbidden');
  else if (error.status === 404 || error.status === 405 || error.status === 501)
    msg = t('error.notfound', { p: error.code });
  else msg = t('error.generic', { m: error.message || error.code });
  return (
    <div class="alert alert-error" role="alert">
      <span>{msg}</span>
      {retry && (
        <button type="button" class="btn btn-small" onClick={retry}>
          {t('retry')}
        </button>
      )}
    </div>
  );
}
