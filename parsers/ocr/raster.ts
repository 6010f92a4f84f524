/** Raster steps before OCR: cutting a cell's ink out, enlarging it, stacking cells into one sheet. */
import type { Box } from './grid.ts';
import type { Gray } from './png.ts';

const INK = 160;

/** The box of the ink inside `box` (null for a blank cell). */
export function inkBox(g: Gray, box: Box): Box | null {
  let x0 = Infinity, y0 = Infinity, x1 = -1, y1 = -1;
  for (let y = Math.max(0, box.y0); y <= Math.min(g.height - 1, box.y1); y++) {
    for (let x = Math.max(0, box.x0); x <= Math.min(g.width - 1, box.x1); x++) {
      if (g.data[y * g.width + x] < INK) {
        if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x0, y0, x1, y1 };
}

/** `box` of `g` enlarged `scale` times (bilinear): body-size type is too small for tesseract. */
export function cropScaled(g: Gray, box: Box, scale: number): Gray {
  const w = box.x1 - box.x0 + 1, h = box.y1 - box.y0 + 1;
  const W = Math.round(w * scale), H = Math.round(h * scale);
  const out = new Uint8Array(W * H);
  const px = (x: number, y: number) => {
    const cx = Math.min(Math.max(x, 0), w - 1) + box.x0, cy = Math.min(Math.max(y, 0), h - 1) + box.y0;
    return g.data[cy * g.width + cx];
  };
  for (let Y = 0; Y < H; Y++) {
    const sy = (Y + 0.5) / scale - 0.5, y = Math.floor(sy), fy = sy - y;
    for (let X = 0; X < W; X++) {
      const sx = (X + 0.5) / scale - 0.5, x = Math.floor(sx), fx = sx - x;
      const top = px(x, y) * (1 - fx) + px(x + 1, y) * fx;
      const bottom = px(x, y + 1) * (1 - fx) + px(x + 1, y + 1) * fx;
      out[Y * W + X] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return { width: W, height: H, data: out };
}

/** Pieces stacked top to bottom on white with `gap` px between; `bands[i]` = rows of piece i. */
export function stack(pieces: Gray[], gap: number): { sheet: Gray; bands: Array<[number, number]> } {
  const W = Math.max(1, ...pieces.map((p) => p.width)) + 2 * gap;
  const H = pieces.reduce((s, p) => s + p.height + gap, gap);
  const data = new Uint8Array(W * H).fill(255);
  const bands: Array<[number, number]> = [];
  let y = gap;
  for (const p of pieces) {
    for (let r = 0; r < p.height; r++) data.set(p.data.subarray(r * p.width, (r + 1) * p.width), (y + r) * W + gap);
    bands.push([y, y + p.height - 1]);
    y += p.height + gap;
  }
  return { sheet: { width: W, height: H, data }, bands };
}
