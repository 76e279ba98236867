// Notification channels and which monitors use them.
import type { ChannelValues, StoredChannel } from '../../domain/monitoring/channel.js';

export interface ChannelsRepo {
  /** Every channel, by name. */
  list(): Promise<StoredChannel[]>;
  /** The channel with that id, or null. */
  get(id: number): Promise<StoredChannel | null>;
  /** The channel of that name, or null. */
  byName(name: string): Promise<StoredChannel | null>;
  /** Inserts a channel (the name must be free). */
  create(v: ChannelValues, createdAt: number): Promise<StoredChannel>;
  update(id: number, v: ChannelValues): Promise<void>;
  /** Deletes the channel, its links to monitors and its deliveries. */
  delete(id: number): Promise<void>;
  /** Ids of the channels with these names (unknown names absent). */
  idsByName(names: string[]): Promise<Map<string, number>>;
  /** The channels a monitor notifies, by name. */
  ofMonitor(monitorId: number): Promise<StoredChannel[]>;
  /** Ids of the channels a monitor notifies, ascending. */
  idsOfMonitor(monitorId: number): Promise<number[]>;
  /** The monitors notifying a channel. */
  usersOf(channelId: number): Promise<Array<{ id: number; name: string }>>;
  /** Every (channel, model of a monitor using it) pair. */
  uses(): Promise<Array<{ channel: string; model: string }>>;
}
