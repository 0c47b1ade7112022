import { useRef, useState } from 'preact/hooks';
import { ApiError, listOf, upload, url, type UploadProgress } from '../api';
import { ErrorBox, Loading } from '../components/Status';
import { useApi } from '../hooks';
import { fmtNum, fmtPct, fmtTime, t } from '../i18n';

type Kind = 'roster' | 'institutions';

interface Rejection {
  row: number;
  column?: string;
  reason: string;
}

function rejectionsOf(report: any): Rejection[] {
  const r = report?.rejected ?? report?.rejections ?? report?.errors ?? report?.rejected_rows;
  return Array.isArray(r) ? r.map((x: any) => ({ row: x.row, column: x.column ?? x.field, reason: x.reason ?? x.message ?? '' })) : [];
}
function rejectedCount(report: any): number {
  if (typeof report?.rejected === 'number') return report.rejected;
  return rejectionsOf(report).length;
}
function acceptedCount(report: any): number {
  const n = (k: string) => (typeof report?.[k] === 'number' ? report[k] : 0);
  return n('imported') + n('updated') + n('unchanged') || n('accepted');
}

export function Imports() {
  const [kind, setKind] = useState<Kind>('roster');
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [report, setReport] = useState<any>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [hint, setHint] = useState('');
  const fileRef = useRef<HTMLInputElement>(null);
  const history = useApi<any>('/imports', undefined, true);

  async function submit(e: Event) {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) {
      setHint(t('imports.choose'));
      return;
    }
    setHint('');
    setBusy(true);
    setReport(null);
    setError(null);
    setProgress({ phase: 'upload', fraction: 0 });
    try {
      const r = await upload(`/imports/${kind}`, file, setProgress);
      setReport(r);
      history.reload();
    } catch (err) {
      const ae = err instanceof ApiError ? err : new ApiError(0, 'client', String(err));
      // A rejected upload may still carry a report with row errors.
      const body = (ae as any).body;
      if (body && rejectionsOf(body).length) setReport(body);
      setError(ae);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  }

  // Upload is the first half of the bar, the server's processing the second.
  const pct = progress
    ? progress.phase === 'upload'
      ? (progress.fraction ?? 0) * 0.5
      : 0.5 + (progress.fraction ?? 0) * 0.5
    : 0;
  const rejected = report ? rejectionsOf(report) : [];
  const importId = report?.import_id ?? report?.id;
  const records = listOf(history.data, 'imports');

  return (
    <div class="page imports">
      <div class="page-head">
        <h1>{t('imports.title')}</h1>
      </div>
      <form class="panel upload-form" onSubmit={submit}>
        <fieldset class="field">
          <legend>{t('imports.kind')}</legend>
          <div class="radios">
            {(['roster', 'institutions'] as Kind[]).map((k) => (
              <label class="radio">
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                {t(k === 'roster' ? 'imports.kind.roster' : 'imports.kind.institutions')}
              </label>
            ))}
          </div>
        </fieldset>
        <div class="field grow">
          <label for="file">{t('imports.file')}</label>
          <input id="file" ref={fileRef} type="file" accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
        </div>
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('imports.upload')}
        </button>
        {hint && (
          <p class="alert alert-error" role="alert">
            {hint}
          </p>
        )}
        {busy && (
          <div class="progress-wrap" role="status" aria-live="polite">
            {progress?.phase === 'server' && progress.fraction === undefined ? (
              <progress aria-label={t('imports.uploading', { p: '' })} data-testid="import-progress" />
            ) : (
              <progress max={1} value={pct} aria-label={t('imports.uploading', { p: fmtPct(pct) })} data-testid="import-progress" />
            )}
            <span>
              {t('imports.uploading', { p: fmtPct(pct) })}
              {progress?.rows !== undefined ? ` · ${fmtNum(progress.rows)}` : ''}
            </span>
          </div>
        )}
      </form>

      {error && <ErrorBox error={new ApiError(error.status, error.code, t('imports.failed', { m: error.message }))} />}

      {report && (
        <section class="panel" aria-labelledby="report-title" data-testid="import-report">
          <h2 id="report-title" class="alert alert-ok" aria-live="polite">
            {t('imports.done', { a: fmtNum(acceptedCount(report)), r: fmtNum(rejectedCount(report)) })}
          </h2>
          {rejected.length > 0 && (
            <>
              <div class="panel-head">
                <h3>{t('imports.rejected')}</h3>
                {importId ? (
                  <a class="btn" href={url(`/imports/${importId}/errors`)} download data-testid="errors-download">
                    {t('imports.download')}
                  </a>
                ) : null}
              </div>
              <div class="table-scroll tall">
                <table class="table" data-testid="rejected-rows">
                  <thead>
                    <tr>
                      <th scope="col" class="num">{t('imports.row')}</th>
                      <th scope="col">{t('imports.column')}</th>
                      <th scope="col">{t('imports.reason')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rejected.map((r) => (
                      <tr>
                        <td class="num">{r.row}</td>
                        <td>{r.column}</td>
                        <td>{r.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      )}

      <section class="panel" aria-labelledby="hist-title">
        <div class="panel-head">
          <h2 id="hist-title">{t('imports.history')}</h2>
        </div>
        {history.error && <ErrorBox error={history.error} retry={history.reload} />}
        {history.loading && !history.data && <Loading />}
        {history.data && !records.length && <p class="muted">{t('imports.none')}</p>}
        {records.length > 0 && (
          <div class="table-scroll">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{t('imports.when')}</th>
                  <th scope="col">{t('imports.kind')}</th>
                  <th scope="col">{t('imports.filename')}</th>
                  <th scope="col" class="num">{t('imports.accepted')}</th>
                  <th scope="col" class="num">{t('imports.rejectedn')}</th>
                  <th scope="col"></th>
                </tr>
              </thead>
              <tbody>
                {records.map((r: any) => (
                  <tr>
                    <td>{r.finished_at || r.started_at ? fmtTime(r.finished_at ?? r.started_at) : ''}</td>
                    <td>{r.kind === 'institutions' ? t('imports.kind.institutions') : r.kind === 'roster' ? t('imports.kind.roster') : r.kind}</td>
                    <td>{r.file_name}</td>
                    <td class="num">{fmtNum(acceptedCount(r))}</td>
                    <td class="num">{fmtNum(rejectedCount(r))}</td>
                    <td>
                      {rejectedCount(r) > 0 && (
                        <a href={url(`/imports/${r.id}/errors`)} download>
                          {t('imports.download')}
                        </a>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
