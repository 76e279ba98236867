// SVG -> PNG with resvg (Rust, prebuilt in its npm package: no browser, no Cairo).
// Rendered off the event loop (resvg's renderAsync runs on libuv's pool), at twice the
// SVG's size so that Slack's preview stays sharp on high-density screens.
import { renderAsync } from '@resvg/resvg-js';

/** The PNG image of an SVG document, `zoom` times its size. Fonts: the system's (DejaVu Sans preferred). */
export async function svgToPng(svg: string, zoom = 2): Promise<Buffer> {
  const image = await renderAsync(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    logLevel: 'off',
  });
  return image.asPng();
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The width and height in a PNG's IHDR chunk, or null when `bytes` is not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 24 || !b.subarray(0, 8).equals(PNG_SIGNATURE) || b.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}
