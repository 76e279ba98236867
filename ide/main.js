// The GraphQL IDE served at GET /graphql: GraphiQL bundled at build time (scripts/build-ide.mjs)
// so the page works offline, with no CDN and no telemetry. Requests go to this same origin.
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import React from 'react';
import { createRoot } from 'react-dom/client';

const fetcher = createGraphiQLFetcher({ url: new URL('graphql', document.baseURI).href });
const defaultQuery = `# Glassbox: one GraphQL API. Outside local mode, add your key under Headers:
#   { "authorization": "Bearer gbx_..." }
{
  models {
    name
    health { status summary }
  }
}
`;

createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, { fetcher, defaultQuery, isHeadersEditorEnabled: true, shouldPersistHeaders: false }),
);
