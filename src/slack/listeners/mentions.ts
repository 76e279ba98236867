// @Glassbox <subcommand> and "@Glassbox how is MODEL doing?": answered in the mention's thread,
// a chart (when the answer has one) following the text there.
import type { App } from '@slack/bolt';
import { helpMessage } from '../blocks/help.js';
import type { SlackContext } from '../context.js';
import { parseCommand } from '../parse-command.js';
import { userFacingError } from '../user-errors.js';
import { postChart } from '../chart-upload.js';

/** Registers the app_mention listener. */
export function registerMentions(app: App, ctx: SlackContext): void {
  app.event('app_mention', async ({ event, client, context }) => {
    // Slack re-sends an event it thinks we missed; the first delivery was acked and answered.
    if ((context.retryNum ?? 0) > 0) return;
    const threadTs = event.thread_ts ?? event.ts;
    const cmd = parseCommand(event.text);
    try {
      const answer = cmd.kind === 'help' ? { message: helpMessage(cmd.note), chart: undefined } : await ctx.answer(cmd);
      await client.chat.postMessage({ channel: event.channel, thread_ts: threadTs, ...answer.message });
      const drawn = answer.chart ? await answer.chart() : undefined;
      if (drawn) await postChart(client, ctx.deps.log, drawn, { channelId: event.channel, threadTs });
    } catch (err) {
      const message = userFacingError(err, ctx.deps.log, { mention: event.text, user: event.user });
      if (event.user) {
        await client.chat.postEphemeral({ channel: event.channel, user: event.user, thread_ts: threadTs, ...message });
      }
    }
  });
}
