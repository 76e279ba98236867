// The README's picture of a Slack answer with its chart: the answer's blocks as Slack lays
// them out (bot name, header, sections, context) above the PNG the server uploaded, drawn
// as SVG and rendered with the server's own resvg. Written only when asked
// (GLASSBOX_UPDATE_DOC_IMAGES=1), so that a test run leaves the working tree as it was.
import { mkdirSync, writeFileSync } from 'node:fs';
import { escapeXml } from '../../src/charts/line-chart.js';
import { svgToPng } from '../../src/charts/png.js';
import type { SlackCall } from '../helpers/fake-slack.js';

export const SLACK_ANSWER_IMAGE = 'docs/img/slack-drift-answer.png';

interface Line {
  text: string;
  size: number;
  bold?: boolean;
  color?: string;
}

/** mrkdwn as plain text: *bold*, _italic_, `code` and <url|label> lose their marks; emoji stay as :name: for `svgText`. */
const plain = (s: string) =>
  s
    .replace(/<[^|>]+\|([^>]+)>/g, '$1')
    .replace(/[*`]/g, '')
    .replace(/(^|\s)_([^_]+)_(?=\s|$|[.,:;])/g, '$1$2');

const EMOJI: Record<string, string> = { red_circle: '#dd2e44', large_orange_circle: '#f4900c', large_yellow_circle: '#fdcb58', large_green_circle: '#78b159', white_circle: '#c8c8c8', white_check_mark: '#78b159' };

/** A line as SVG text: the colour circles Slack shows for our emoji codes, the rest escaped. */
const svgText = (s: string) => escapeXml(s).replace(/:([a-z_]+):/g, (code, name: string) => (EMOJI[name] ? `<tspan fill="${EMOJI[name]}">●</tspan>` : code));

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      if (line && (line + ' ' + word).length > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}

function linesOf(blocks: Array<Record<string, any>>): Line[] {
  const lines: Line[] = [];
  for (const b of blocks) {
    if (b.type === 'header') lines.push({ text: plain(b.text.text), size: 17, bold: true });
    else if (b.type === 'section') {
      const texts = [b.text?.text, ...(b.fields ?? []).map((f: { text: string }) => f.text)].filter(Boolean);
      for (const t of texts) for (const l of wrap(plain(t), 100)) lines.push({ text: l, size: 14 });
    } else if (b.type === 'context') for (const e of b.elements ?? []) for (const l of wrap(plain(e.text ?? ''), 110)) lines.push({ text: l, size: 12, color: '#616061' });
  }
  return lines;
}

/** Writes the picture when GLASSBOX_UPDATE_DOC_IMAGES=1; returns whether it did. */
export async function writeSlackAnswerImage(answer: SlackCall, chartPng: Buffer): Promise<boolean> {
  if (process.env.GLASSBOX_UPDATE_DOC_IMAGES !== '1') return false;
  const lines = linesOf(answer.args.blocks ?? [{ type: 'section', text: { text: answer.args.text } }]);
  const W = 760;
  const x = 68;
  let y = 34;
  const parts: string[] = [
    `<rect width="${W}" height="100%" fill="#ffffff"/>`,
    `<rect x="16" y="16" width="38" height="38" rx="6" fill="#2563eb"/><text x="35" y="42" font-size="20" font-weight="bold" fill="#ffffff" text-anchor="middle">G</text>`,
    `<text x="${x}" y="${y}" font-size="15" font-weight="bold" fill="#1d1c1d">Glassbox</text>`,
    `<rect x="${x + 78}" y="${y - 13}" width="30" height="16" rx="3" fill="#e8e8e8"/><text x="${x + 93}" y="${y - 1}" font-size="10" font-weight="bold" fill="#616061" text-anchor="middle">APP</text>`,
    `<text x="${x + 116}" y="${y}" font-size="12" fill="#616061">00:00</text>`,
  ];
  y += 8;
  for (const l of lines) {
    y += l.size + 8;
    parts.push(`<text x="${x}" y="${y}" font-size="${l.size}"${l.bold ? ' font-weight="bold"' : ''} fill="${l.color ?? '#1d1c1d'}">${svgText(l.text)}</text>`);
  }
  y += 14;
  const imgW = 640;
  const imgH = 240;
  parts.push(`<rect x="${x - 1}" y="${y - 1}" width="${imgW + 2}" height="${imgH + 2}" rx="6" fill="none" stroke="#dddddd"/>`);
  parts.push(`<image x="${x}" y="${y}" width="${imgW}" height="${imgH}" href="data:image/png;base64,${chartPng.toString('base64')}"/>`);
  const H = y + imgH + 20;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="'DejaVu Sans', Arial, sans-serif">${parts.join('')}</svg>`;
  mkdirSync('docs/img', { recursive: true });
  writeFileSync(SLACK_ANSWER_IMAGE, await svgToPng(svg, 1.5));
  return true;
}
