// ChannelsRepo on PostgreSQL. Names sort by code point (COLLATE "C"), as on SQLite; a taken
// name is refused as SQLite refuses it (see unique.ts). Inside a transaction, a channel found
// by name (to change or delete it) is locked FOR UPDATE, and channels looked up to be linked FOR KEY
// SHARE: a deletion and a monitor linking the channel serialise as on SQLite (the deletion
// sees the link and is refused, or the linker no longer finds the channel), where otherwise
// the deletion would fail on the link's foreign key.
import { sql, type SQL } from 'drizzle-orm';
import type { ChannelKind, StoredChannel } from '../../domain/monitoring/channel.js';
import type { ChannelsRepo } from '../ports/channels.js';
import type { PgContext } from './context.js';
import { int8 } from './int8.js';
import { uniquely } from './unique.js';

interface Row extends Record<string, unknown> {
  id: number;
  name: string;
  kind: string;
  config: Record<string, string>;
  created_at: unknown;
}

const COLUMNS = sql.raw('c.id, c.name, c.kind, c.config, c.created_at');

function toRecord(r: Row): StoredChannel {
  return { id: r.id, name: r.name, kind: r.kind as ChannelKind, config: r.config, createdAt: int8(r.created_at) };
}

/** The PostgreSQL channels repository. */
export function pgChannels({ tx }: PgContext): ChannelsRepo {
  const rows = async (query: SQL) => (await tx.q().execute<Row>(query)).rows.map(toRecord);
  const one = async (query: SQL) => (await rows(query))[0] ?? null;
  const lock = (mode: 'UPDATE' | 'KEY SHARE') => (tx.inside() ? sql.raw(` FOR ${mode}`) : sql``);
  return {
    list: () => rows(sql`SELECT ${COLUMNS} FROM channels c ORDER BY c.name COLLATE "C"`),
    get: (id) => one(sql`SELECT ${COLUMNS} FROM channels c WHERE c.id = ${id}`),
    byName: (name) => one(sql`SELECT ${COLUMNS} FROM channels c WHERE c.name = ${name}${lock('UPDATE')}`),
    create: (v, createdAt) =>
      uniquely('channels.name', async () =>
        (await one(sql`INSERT INTO channels AS c (name, kind, config, created_at)
          VALUES (${v.name}, ${v.kind}, ${JSON.stringify(v.config)}::jsonb, ${createdAt}) RETURNING ${COLUMNS}`))!,
      ),
    update: (id, v) =>
      uniquely('channels.name', async () => {
        await tx.q().execute(sql`UPDATE channels SET name = ${v.name}, kind = ${v.kind}, config = ${JSON.stringify(v.config)}::jsonb WHERE id = ${id}`);
      }),
    delete: (id) =>
      tx.atomic(async (q) => {
        await q.execute(sql`DELETE FROM monitor_channels WHERE channel_id = ${id}`);
        await q.execute(sql`DELETE FROM channels WHERE id = ${id}`); // deliveries go by cascade
      }),
    idsByName: async (names) => {
      if (names.length === 0) return new Map<string, number>();
      const list = sql.join([...new Set(names)].map((n) => sql`${n}`), sql`, `);
      const found = await tx.q().execute<{ id: number; name: string }>(sql`SELECT id, name FROM channels WHERE name IN (${list})${lock('KEY SHARE')}`);
      return new Map(found.rows.map((r) => [r.name, r.id]));
    },
    ofMonitor: (monitorId) =>
      rows(sql`SELECT ${COLUMNS} FROM monitor_channels l JOIN channels c ON c.id = l.channel_id
        WHERE l.monitor_id = ${monitorId} ORDER BY c.name COLLATE "C"`),
    idsOfMonitor: async (monitorId) =>
      (await tx.q().execute<{ id: number }>(sql`SELECT channel_id AS id FROM monitor_channels WHERE monitor_id = ${monitorId} ORDER BY channel_id`)).rows.map((r) => r.id),
    usersOf: async (channelId) =>
      (
        await tx.q().execute<{ id: number; name: string }>(sql`SELECT m.id, m.name FROM monitor_channels l JOIN monitors m ON m.id = l.monitor_id
          WHERE l.channel_id = ${channelId} ORDER BY m.id`)
      ).rows.map((r) => ({ id: r.id, name: r.name })),
    uses: async () =>
      (
        await tx.q().execute<{ channel: string; model: string }>(sql`SELECT c.name AS channel, mo.name AS model FROM monitor_channels l
          JOIN channels c ON c.id = l.channel_id JOIN monitors m ON m.id = l.monitor_id JOIN models mo ON mo.id = m.model_id
          ORDER BY l.monitor_id, l.channel_id`)
      ).rows.map((r) => ({ channel: r.channel, model: r.model })),
  };
}
