// /glassbox: acked at once; help answers in the HTTP response, anything that reads the
// database answers through respond() (Slack's three seconds are for the ack only); a chart
// follows the text into the channel.
import type { App } from '@slack/bolt';
import { helpMessage } from '../blocks/help.js';
import type { SlackContext } from '../context.js';
import { parseCommand } from '../parse-command.js';
import { userFacingError } from '../user-errors.js';
import { postChart } from '../chart-upload.js';

/** Registers the /glassbox slash command. */
export function registerCommands(app: App, ctx: SlackContext): void {
  app.command('/glassbox', async ({ command, ack, respond, client }) => {
    const cmd = parseCommand(command.text ?? '');
    if (cmd.kind === 'help') {
      await ack({ response_type: 'ephemeral', ...helpMessage(cmd.note) });
      return;
    }
    await ack();
    try {
      const { message, visible, chart } = await ctx.answer(cmd);
      await respond({ response_type: visible ? 'in_channel' : 'ephemeral', ...message });
      // after the text, for everyone in the channel: a private answer gets no chart
      const drawn = chart && visible ? await chart() : undefined;
      if (drawn) await postChart(client, ctx.deps.log, drawn, { channelId: command.channel_id });
    } catch (err) {
      const message = userFacingError(err, ctx.deps.log, { command: command.text, user: command.user_id });
      await respond({ response_type: 'ephemeral', ...message });
    }
  });
}
