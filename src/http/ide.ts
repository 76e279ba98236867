// GET / when the console is not built (what this server is) and GET /graphql (GraphiQL, bundled into dist/ide/ at build
// time by scripts/build-ide.mjs): everything from this origin, nothing from a CDN, no
// telemetry, so it works on a server with no internet.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express, type Request, type Response } from 'express';
import { PACKAGE_ROOT, VERSION } from '../version.js';

export const IDE_DIR = join(PACKAGE_ROOT, 'dist', 'ide');

export interface IdeOptions {
  /** GLASSBOX_IDE: true always, false never, undefined in local mode only */
  ide: boolean | undefined;
  /** local mode right now (read from the store: keys may be created by another process) */
  localMode: () => Promise<boolean>;
}

const page = (title: string, body: string, head = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>${head}</head>
${body}</html>
`;

const STYLE = '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#222}code{background:#f2f2f2;padding:0 .2em}</style>';

async function ideOn(opts: IdeOptions): Promise<boolean> {
  return opts.ide ?? opts.localMode();
}

async function home(opts: IdeOptions): Promise<string> {
  const local = await opts.localMode();
  const ide = (opts.ide ?? local)
    ? '<li><a href="graphql">GraphQL IDE</a> (GraphiQL): explore the schema and run queries</li>'
    : '<li><code>POST /graphql</code>: the GraphQL API (the IDE is off here: it is on in local mode, or with <code>GLASSBOX_IDE=on</code>)</li>';
  return page(
    'Glassbox',
    `<body><h1>Glassbox ${VERSION}</h1>
<p>A model performance management server: drift, data integrity, performance and fairness of
machine-learning models in production, monitors and alerts, through one GraphQL API.</p>
<p>The console is not built: run <code>npm run build</code> (it needs the dev dependencies) to see it here.</p>
<ul>${ide}
<li><a href="healthz">/healthz</a>: whether the server and its database answer</li>
<li><a href="metrics">/metrics</a>: Prometheus metrics of this process</li>
<li><code>POST /v1/models/NAME/predictions | actuals | baseline</code>: bulk ingest as NDJSON</li></ul>
${local ? '<p><strong>Local mode</strong>: no API key exists, so every request from this machine acts as ADMIN.</p>' : '<p>Requests need <code>Authorization: Bearer &lt;key&gt;</code>.</p>'}
</body>`,
    STYLE,
  );
}

const GRAPHIQL = page(
  'Glassbox GraphQL IDE',
  `<body style="margin:0;height:100vh"><div id="graphiql" style="height:100vh"></div>
<script src="ide/graphiql.js"></script></body>`,
  '<link rel="stylesheet" href="ide/graphiql.css">',
);

/** Mounts GET /, GET /graphql (the IDE page, when on and not a GET query) and /ide/ assets. */
export function mountIde(app: Express, opts: IdeOptions): void {
  app.get('/', async (_req, res) => {
    res.type('html').send(await home(opts));
  });
  app.use('/ide', express.static(IDE_DIR, { index: false, fallthrough: true, maxAge: '1h' }));
  app.get('/graphql', async (req: Request, res: Response, next) => {
    if (req.query.query !== undefined) return next(); // a GraphQL query over GET: Apollo's
    if (!(await ideOn(opts))) {
      res.status(404).type('html').send(page('Glassbox', `<body><p>The GraphQL IDE is off on this server (it is on in local mode, or with <code>GLASSBOX_IDE=on</code>). Send queries with <code>POST /graphql</code>.</p></body>`, STYLE));
      return;
    }
    if (!existsSync(join(IDE_DIR, 'graphiql.js'))) {
      res.status(503).type('html').send(page('Glassbox', `<body><p>The GraphQL IDE is not built: run <code>npm run build</code> (it needs the dev dependencies).</p></body>`, STYLE));
      return;
    }
    res.type('html').send(GRAPHIQL);
  });
}
