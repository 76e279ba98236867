// ChannelsRepo on SQLite.
import { asc, eq, inArray } from 'drizzle-orm';
import { channels, models, monitorChannels, monitors } from '../../db/schema/index.js';
import type { ChannelKind, StoredChannel } from '../../domain/monitoring/channel.js';
import type { ChannelsRepo } from '../ports/channels.js';
import type { SqliteContext } from './context.js';

type Row = typeof channels.$inferSelect;

function toRecord(r: Row): StoredChannel {
  return { id: r.id, name: r.name, kind: r.kind as ChannelKind, config: r.config, createdAt: r.createdAt };
}

/** The SQLite channels repository. */
export function sqliteChannels({ db, tx, statement }: SqliteContext): ChannelsRepo {
  return {
    list: () => tx.exec(() => db.select().from(channels).orderBy(asc(channels.name)).all().map(toRecord)),
    get: (id) =>
      tx.exec(() => {
        const r = db.select().from(channels).where(eq(channels.id, id)).get();
        return r ? toRecord(r) : null;
      }),
    byName: (name) =>
      tx.exec(() => {
        const r = db.select().from(channels).where(eq(channels.name, name)).get();
        return r ? toRecord(r) : null;
      }),
    create: (v, createdAt) => tx.exec(() => toRecord(db.insert(channels).values({ ...v, createdAt }).returning().get())),
    update: (id, v) => tx.exec(() => void db.update(channels).set(v).where(eq(channels.id, id)).run()),
    delete: (id) =>
      tx.exec(() => {
        db.delete(monitorChannels).where(eq(monitorChannels.channelId, id)).run();
        db.delete(channels).where(eq(channels.id, id)).run(); // deliveries go by cascade
      }),
    idsByName: (names) =>
      tx.exec(() => {
        if (names.length === 0) return new Map<string, number>();
        const rows = db.select({ id: channels.id, name: channels.name }).from(channels).where(inArray(channels.name, [...new Set(names)])).all();
        return new Map(rows.map((r) => [r.name, r.id]));
      }),
    ofMonitor: (monitorId) =>
      tx.exec(() =>
        db
          .select({ c: channels })
          .from(monitorChannels)
          .innerJoin(channels, eq(channels.id, monitorChannels.channelId))
          .where(eq(monitorChannels.monitorId, monitorId))
          .orderBy(asc(channels.name))
          .all()
          .map((r) => toRecord(r.c)),
      ),
    idsOfMonitor: (monitorId) =>
      tx.exec(() =>
        statement<[number], { id: number }>('SELECT channel_id AS id FROM monitor_channels WHERE monitor_id = ? ORDER BY channel_id')
          .all(monitorId)
          .map((r) => r.id),
      ),
    usersOf: (channelId) =>
      tx.exec(() =>
        db
          .select({ name: monitors.name, id: monitors.id })
          .from(monitorChannels)
          .innerJoin(monitors, eq(monitors.id, monitorChannels.monitorId))
          .where(eq(monitorChannels.channelId, channelId))
          .all(),
      ),
    uses: () =>
      tx.exec(() =>
        db
          .select({ channel: channels.name, model: models.name })
          .from(monitorChannels)
          .innerJoin(channels, eq(channels.id, monitorChannels.channelId))
          .innerJoin(monitors, eq(monitors.id, monitorChannels.monitorId))
          .innerJoin(models, eq(models.id, monitors.modelId))
          .all(),
      ),
  };
}
