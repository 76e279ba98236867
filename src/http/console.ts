// The console (console/, built by scripts/build-console.mjs into dist/console/): its page
// at / and at each client route, its hashed assets under /console/. Nothing else: /graphql,
// /v1, /slack, /healthz and /metrics are never answered with the page.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';
import { PACKAGE_ROOT } from '../version.js';

export const CONSOLE_DIR = join(PACKAGE_ROOT, 'dist', 'console');

/** The console's client routes (console/src/router.ts): each answers its page. */
export const CONSOLE_ROUTES = ['/', '/models/:name', '/models/:name/:tab'];

/** Mounts the console; when it is not built, GET / falls through to the home page (ide.ts). */
export function mountConsole(app: Express, dir = CONSOLE_DIR): void {
  // hashed file names: a new build has new names, so they can be cached for good
  app.use('/console', express.static(dir, { index: false, immutable: true, maxAge: '365d' }));
  const page = join(dir, 'index.html');
  app.get(CONSOLE_ROUTES, (_req, res, next) => {
    if (!existsSync(page)) return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(page);
  });
}
