/** A minimal PNG reader (8-bit, non-interlaced; the kind screenshots are) giving a grayscale raster. */
import { inflateSync } from 'node:zlib';

export interface Gray {
  width: number;
  height: number;
  /** one byte per pixel, 0 = black, row-major */
  data: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export class PngError extends Error {}

export function decodePng(bytes: Uint8Array): Gray {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8 || SIGNATURE.some((b, i) => buf[i] !== b)) throw new PngError('not a PNG file (no PNG signature)');
  let width = 0, height = 0, depth = 0, colorType = -1, interlace = 0;
  let palette: Buffer | null = null;
  const idat: Buffer[] = [];
  for (let p = 8; p + 8 <= buf.length; ) {
    const len = buf.readUInt32BE(p);
    const type = buf.toString('latin1', p + 4, p + 8);
    const body = buf.subarray(p + 8, p + 8 + len);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      depth = body[8];
      colorType = body[9];
      interlace = body[12];
    } else if (type === 'PLTE') palette = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    p += 12 + len;
  }
  const channels = CHANNELS[colorType];
  if (!width || !height || channels === undefined) throw new PngError('a broken PNG file: no usable IHDR');
  if (depth !== 8 || interlace !== 0) throw new PngError(`unsupported PNG: bit depth ${depth}, interlace ${interlace} (only 8-bit non-interlaced)`);
  if (colorType === 3 && !palette) throw new PngError('a broken PNG file: palette image without PLTE');
  let raw: Buffer;
  try {
    raw = inflateSync(Buffer.concat(idat));
  } catch (e) {
    throw new PngError(`a broken PNG file: ${(e as Error).message}`);
  }
  const stride = width * channels;
  if (raw.length < (stride + 1) * height) throw new PngError('a broken PNG file: image data too short');
  const cur = new Uint8Array(stride);
  const prev = new Uint8Array(stride);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels] : 0;
      const b = prev[i];
      const c = i >= channels ? prev[i - channels] : 0;
      let v = line[i];
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const pa = Math.abs(b - c), pb = Math.abs(a - c), pc = Math.abs(a + b - 2 * c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else if (f !== 0) throw new PngError(`a broken PNG file: filter ${f} on row ${y}`);
      cur[i] = v & 0xff;
    }
    for (let x = 0; x < width; x++) {
      let r: number, g: number, bl: number, alpha = 255;
      const o = x * channels;
      if (colorType === 0 || colorType === 4) {
        r = g = bl = cur[o];
        if (colorType === 4) alpha = cur[o + 1];
      } else if (colorType === 3) {
        const pi = cur[o] * 3;
        r = palette![pi]; g = palette![pi + 1]; bl = palette![pi + 2];
      } else {
        r = cur[o]; g = cur[o + 1]; bl = cur[o + 2];
        if (colorType === 6) alpha = cur[o + 3];
      }
      const lum = (r * 299 + g * 587 + bl * 114) / 1000;
      // transparent pixels are composed on white, as a browser shows them
      data[y * width + x] = Math.round((lum * alpha + 255 * (255 - alpha)) / 255);
    }
    prev.set(cur);
  }
  return { width, height, data };
}
