// The alert message's controls. Each press changes the alert through the same service as
// the GraphQL mutations (actor slack:<user id>, audited there), then redraws the message.
import type { App, BlockAction, ButtonAction, StaticSelectAction } from '@slack/bolt';
import type { Actor } from '../../services/deps.js';
import { ACTION, SNOOZE_CHOICES, alertMessage, type AlertView } from '../blocks/alert.js';
import { errorMessage } from '../blocks/help.js';
import { slackDate } from '../blocks/format.js';
import { parseDuration } from '../../domain/windows.js';
import { actorMention } from '../blocks/kit.js';
import { slackActor, type SlackContext } from '../context.js';
import { userFacingError } from '../user-errors.js';
import { HOUR_MS, MINUTE_MS } from '../../domain/time.js';
import { firstSighting } from '../../services/slack-seen.js';

type Operation = (actor: Actor, id: string, until: number) => Promise<AlertView>;

interface Pressed {
  alertId: string;
  snoozeMs: number;
}

const ONE_HOUR = HOUR_MS;
/** How long a press is remembered: longer than any signed duplicate of it can arrive. */
const PRESS_MEMORY_MS = 10 * MINUTE_MS;

/** The alert id and snooze length a control carries: a button's value, or `<id>:<duration>`. */
export function readPress(action: ButtonAction | StaticSelectAction): Pressed | null {
  const raw = action.type === 'button' ? action.value : action.selected_option?.value;
  if (!raw) return null;
  const [alertId, duration] = raw.split(':');
  if (!alertId) return null;
  if (duration === undefined) return { alertId, snoozeMs: ONE_HOUR };
  if (!(SNOOZE_CHOICES as readonly string[]).includes(duration)) return null;
  return { alertId, snoozeMs: parseDuration(duration)! };
}

function alreadyResolved(a: AlertView): string {
  const when = a.resolvedAt !== null ? ` ${slackDate(a.resolvedAt)}` : '';
  const who = a.lastActor ? ` by ${actorMention(a.lastActor)}` : '';
  return `Alert #${a.id} (${a.monitor} on ${a.model}) was already resolved${who}${when}; nothing changed. A new alert opens if the monitor breaches again.`;
}

/** Registers alert_acknowledge, alert_snooze, alert_snooze_for and alert_resolve. */
export function registerActions(app: App, ctx: SlackContext): void {
  const ops: Array<[string, Operation]> = [
    [ACTION.acknowledge, (actor, id) => ctx.alerts.acknowledge(actor, id)],
    [ACTION.snooze, (actor, id, until) => ctx.alerts.snooze(actor, id, until)],
    [ACTION.snoozeFor, (actor, id, until) => ctx.alerts.snooze(actor, id, until)],
    [ACTION.resolve, (actor, id) => ctx.alerts.resolve(actor, id)],
  ];
  for (const [actionId, op] of ops) {
    app.action<BlockAction<ButtonAction | StaticSelectAction>>(actionId, async ({ ack, body, action, client }) => {
      await ack();
      const userId = body.user.id;
      const channel = body.container?.channel_id ?? body.channel?.id;
      const ts = body.container?.message_ts ?? body.message?.ts;
      const tell = async (text: string, blocks?: ReturnType<typeof errorMessage>['blocks']) => {
        if (channel) await client.chat.postEphemeral({ channel, user: userId, text, ...(blocks ? { blocks } : {}) });
      };
      // One press acts once: a duplicate delivery of it (same user, control, action_ts and
      // value; a replay of the very request is refused earlier, by its signature) is acked
      // and dropped, so it adds no alert event, audit entry or message update.
      const pressKey = `action:${body.team?.id ?? ''}:${userId}:${actionId}:${action.action_ts}:${action.type === 'button' ? action.value : action.selected_option?.value}`;
      if (!(await firstSighting(ctx.deps, pressKey, ctx.deps.clock.now() + PRESS_MEMORY_MS))) {
        ctx.deps.log.info({ action: actionId, user: userId }, 'slack: duplicate press ignored');
        return;
      }
      const press = readPress(action);
      if (!press) {
        await tell(`That control did not say which alert it is for (action ${actionId}); nothing changed.`);
        return;
      }
      try {
        const current = await ctx.alerts.get(press.alertId);
        if (!current) {
          await tell(`Alert #${press.alertId} no longer exists (its monitor or model was deleted); nothing changed.`);
          return;
        }
        if (current.status === 'RESOLVED') {
          await tell(alreadyResolved(current));
          if (channel && ts) await client.chat.update({ channel, ts, ...alertMessage(current) });
          return;
        }
        const actor = slackActor(userId);
        const updated = await op(actor, press.alertId, ctx.deps.clock.now() + press.snoozeMs);
        if (channel && ts) await client.chat.update({ channel, ts, ...alertMessage({ ...updated, lastActor: actor.name }) });
      } catch (err) {
        const message = userFacingError(err, ctx.deps.log, { action: actionId, alertId: press.alertId, user: userId });
        await tell(message.text, message.blocks);
      }
    });
  }
}
