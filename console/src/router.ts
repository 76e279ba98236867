// A router of two paths: / (the models) and /models/NAME[/TAB], with the window in the query
// string. The server answers the same page for each (its SPA fallback).
import { useEffect, useState } from 'preact/hooks';

export interface Route {
  model?: string;
  tab?: string;
  search: string;
}

export function parseRoute(path: string, search: string): Route {
  const m = /^\/models\/([^/]+)(?:\/([a-z]+))?\/?$/.exec(path);
  return m ? { model: decodeURIComponent(m[1]!), tab: m[2], search } : { search };
}

export function navigate(href: string): void {
  history.pushState(null, '', href);
  dispatchEvent(new PopStateEvent('popstate'));
}

/** Follows same-origin link clicks without a reload. */
export function interceptLinks(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element).closest('a');
  if (!a || a.target || a.hasAttribute('download') || !a.dataset.route) return;
  e.preventDefault();
  navigate(a.getAttribute('href')!);
}

export function useRoute(): Route {
  const read = () => parseRoute(location.pathname, location.search);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const on = () => setRoute(read());
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  return route;
}

/** The current query string with some keys changed (undefined removes one). */
export function withQuery(search: string, changes: Record<string, string | undefined>): string {
  const q = new URLSearchParams(search);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) q.delete(k);
    else q.set(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
