// Every model with its health: the status, open alerts and the server's one-sentence summary.
import { useQuery } from '../api/use-query';
import { ModelsQuery } from '../api/operations';

export function ModelsPage() {
  const { data, error, loading } = useQuery(ModelsQuery, {});
  if (error) return <p class="error">{error}</p>;
  if (!data) return <p class="muted">{loading ? 'Loading the models…' : ''}</p>;
  if (data.models.length === 0) return <p>No model yet: register one with createModel (README, “Five things to do with the API”), or run <code>npm run demo</code>.</p>;
  return (
    <section>
      <h1>Models</h1>
      <table class="models">
        <thead>
          <tr><th>Model</th><th>Health</th><th>Open alerts</th><th>Task</th><th>Summary</th></tr>
        </thead>
        <tbody>
          {data.models.map((m) => (
            <tr key={m.name} data-model={m.name}>
              <td><a href={`/models/${encodeURIComponent(m.name)}`} data-route>{m.name}</a></td>
              <td><span class={`badge ${m.health.status}`}>{m.health.status}</span></td>
              <td class="num">{m.health.openAlerts.length}</td>
              <td class="muted">{m.task.toLowerCase().replace(/_/g, ' ')} · {m.features.length} features</td>
              <td>{m.health.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
