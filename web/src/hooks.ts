import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, onChange, type Opts } from './api';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  reload: () => void;
}

/** Which live changes a page reloads on: any (true), none (false), or kinds starting with one of the prefixes. */
export type LiveFilter = boolean | string[];

export function liveMatches(filter: LiveFilter, change: any): boolean {
  if (filter === true) return true;
  if (!filter) return false;
  const kind = typeof change === 'string' ? change : String(change?.kind ?? '');
  return filter.some((p) => kind.startsWith(p));
}

/**
 * GET a path; re-fetches when `key` changes, and on live `change` events matching
 * `liveRefresh` (debounced: a burst of changes is one reload). A live reload keeps
 * the current data on screen until the new answer arrives.
 */
export function useApi<T = any>(path: string | null, query?: Opts['query'], liveRefresh: LiveFilter = false, debounceMs = 400): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const key = path + JSON.stringify(query ?? {});
  const seq = useRef(0);

  useEffect(() => {
    if (!path) {
      setLoading(false);
      return;
    }
    const mine = ++seq.current;
    setLoading(true);
    api<T>(path, { query })
      .then((d) => {
        if (mine !== seq.current) return;
        setData(d);
        setError(null);
      })
      .catch((e) => {
        if (mine !== seq.current) return;
        setError(e instanceof ApiError ? e : new ApiError(0, 'client', String(e)));
      })
      .finally(() => mine === seq.current && setLoading(false));
  }, [key, tick]);

  useEffect(() => {
    if (!liveRefresh) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onChange((change) => {
      if (!liveMatches(liveRefresh, change)) return;
      clearTimeout(timer);
      timer = setTimeout(() => setTick((n) => n + 1), debounceMs);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [JSON.stringify(liveRefresh), debounceMs]);

  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

/** The hash route: "#/people/12?q=x" → { path: ['people','12'], query }. */
export function useRoute() {
  const read = () => {
    const h = location.hash.replace(/^#/, '') || '/';
    const [p, q] = h.split('?');
    return { path: p.split('/').filter(Boolean), query: new URLSearchParams(q ?? '') };
  };
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

export function go(hash: string) {
  if (location.hash !== hash) location.hash = hash;
}
