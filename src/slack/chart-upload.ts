// A chart into a Slack conversation, after the text answer: the chart module's SVG as a
// PNG, sent with Slack's external upload flow (files.getUploadURLExternal, the bytes POSTed
// to the pre-signed upload_url, files.completeUploadExternal sharing it in the channel or
// thread). files.upload is retired, and filesUploadV2 would hide which step failed.
// Never throws: a chart is a nicety, so a failure is logged and the text answer stands.
import type { webApi } from '@slack/bolt';
import { lineChartSvg, type LineChart } from '../charts/line-chart.js';
import { svgToPng } from '../charts/png.js';
import type { Logger } from '../log.js';

/** A chart an answer carries: what to draw and how Slack should name it. */
export interface AnswerChart extends LineChart {
  filename: string;
  /** for screen readers (Slack's alt_text) */
  altText: string;
}

export interface ChartTarget {
  channelId: string;
  /** share as a reply in this thread */
  threadTs?: string | undefined;
}

/** How long the PNG's POST to upload_url may take; the answer has long been sent by then. */
const UPLOAD_TIMEOUT_MS = 15_000;

/** Draws, converts and uploads `chart` into the target conversation; true when Slack confirmed it. */
export async function postChart(client: webApi.WebClient, log: Logger, chart: AnswerChart, target: ChartTarget): Promise<boolean> {
  let step = 'render';
  try {
    const png = await svgToPng(lineChartSvg(chart));
    step = 'files.getUploadURLExternal';
    const slot = await client.files.getUploadURLExternal({ filename: chart.filename, length: png.length, alt_text: chart.altText });
    if (!slot.upload_url || !slot.file_id) throw new Error('Slack answered without upload_url or file_id');
    step = 'upload';
    const res = await fetch(slot.upload_url, {
      method: 'POST',
      body: png,
      headers: { 'content-type': 'image/png' },
      signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
    });
    if (!res.ok) throw new Error(`upload_url answered HTTP ${res.status}`);
    step = 'files.completeUploadExternal';
    const files: [{ id: string; title: string }] = [{ id: slot.file_id, title: chart.title }];
    await client.files.completeUploadExternal(
      target.threadTs ? { files, channel_id: target.channelId, thread_ts: target.threadTs } : { files, channel_id: target.channelId },
    );
    return true;
  } catch (err) {
    log.warn({ err, step, channel: target.channelId, chart: chart.filename }, 'slack: the chart could not be posted; the text answer stands');
    return false;
  }
}
