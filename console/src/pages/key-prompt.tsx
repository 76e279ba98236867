// Asks for an API key once; the server's answer to it is shown as it is.
import { useState } from 'preact/hooks';

export function KeyPrompt({ message, onKey }: { message: string; onKey: (key: string) => Promise<string | null> }) {
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    const p = await onKey(key.trim());
    setBusy(false);
    if (p) setProblem(`This key was refused: ${p}.`);
  };
  return (
    <form class="key-prompt" onSubmit={submit}>
      <h1>Glassbox</h1>
      <p>{problem ?? message}</p>
      <label>
        API key
        <input name="key" type="password" autoComplete="off" value={key} onInput={(e) => setKey(e.currentTarget.value)} required />
      </label>
      <button type="submit" disabled={busy || !key.trim()}>
        Open the console
      </button>
      <p class="muted">The key stays in this browser (localStorage) and is sent only to this server. A key is made with createApiKey (README, Key management).</p>
    </form>
  );
}
