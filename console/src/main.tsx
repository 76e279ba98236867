// The console: who is asking (Query.me, with the stored key or, in local mode, none), then
// the models page or a model's page. A key is asked for once and kept in localStorage.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, request, storedKey, storeKey } from './api/client';
import { MeQuery } from './api/operations';
import type { MeQuery as Me } from './gql/graphql';
import { KeyPrompt } from './pages/key-prompt';
import { ModelsPage } from './pages/models';
import { ModelPage } from './pages/model';
import { interceptLinks, useRoute } from './router';
import './styles.css';

type Who = { state: 'checking' } | { state: 'in'; me: Me } | { state: 'key'; message: string } | { state: 'down'; message: string };

function App() {
  const [who, setWho] = useState<Who>({ state: 'checking' });
  const route = useRoute();

  const check = async (key: string | null): Promise<string | null> => {
    try {
      const me = await request(MeQuery, {}, key);
      storeKey(me.me.localMode ? null : key);
      setWho({ state: 'in', me });
      return null;
    } catch (err) {
      const e = err as ApiError;
      if (e.code !== 'UNAUTHENTICATED') return e.message;
      storeKey(null);
      setWho({ state: 'key', message: key ? `This key was refused: ${e.message}.` : 'This server needs an API key.' });
      return e.message;
    }
  };

  useEffect(() => {
    // a refused key shows the prompt (check); any other problem (the server down) is shown as it is
    void check(storedKey()).then((problem) => problem && setWho((w) => (w.state === 'checking' ? { state: 'down', message: problem } : w)));
  }, []);

  if (who.state === 'checking') return <p class="muted page">Connecting…</p>;
  if (who.state === 'down') return <p class="page error">The console cannot reach the API: {who.message}</p>;
  if (who.state === 'key') return <KeyPrompt message={who.message} onKey={(k) => check(k)} />;
  const { me } = who.me;
  const canEdit = me.role === 'EDITOR' || me.role === 'ADMIN';
  return (
    <div onClick={interceptLinks}>
      <header class="top">
        <a href="/" data-route class="brand">Glassbox</a>
        <span class="muted">{who.me.version}</span>
        <span class="spacer" />
        <span class="who" data-role={me.role}>
          {me.localMode ? 'local mode (ADMIN)' : `${me.name} · ${me.role}`}
        </span>
        {me.localMode ? null : (
          <button class="link" onClick={() => (storeKey(null), setWho({ state: 'key', message: 'Signed out: the key is forgotten in this browser.' }))}>
            Forget key
          </button>
        )}
        <a href="/graphql">GraphQL</a>
      </header>
      <main class="page">{route.model ? <ModelPage name={route.model} tab={route.tab} search={route.search} canEdit={canEdit} /> : <ModelsPage />}</main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
