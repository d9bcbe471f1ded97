/**
 * Minimal PNG decoder for tests (8-bit RGB/RGBA, non-interlaced — what node-canvas writes), so a test
 * can count the non-white pixels of a rendered chart without an image library.
 */
import { inflateSync } from 'node:zlib';

/** Decoded image: width, height and RGBA bytes, row-major. */
export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/** Decodes `png`; throws on anything other than 8-bit RGB(A) without interlacing. */
export function decodePng(png: Buffer): Pixels {
  if (!SIGNATURE.every((b, i) => png[i] === b)) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      const depth = data[8];
      colorType = data[9] ?? 0;
      if (depth !== 8 || (colorType !== 6 && colorType !== 2) || data[12] !== 0) {
        throw new Error(`unsupported PNG: depth ${depth}, colour type ${colorType}, interlace ${data[12]}`);
      }
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = new Uint8Array(width * height * 4);
  const prev = new Uint8Array(stride);
  const cur = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const byte = raw[y * (stride + 1) + 1 + x] ?? 0;
      const a = x >= bpp ? (cur[x - bpp] ?? 0) : 0;
      const b = prev[x] ?? 0;
      const c = x >= bpp ? (prev[x - bpp] ?? 0) : 0;
      let v: number;
      if (filter === 0) v = byte;
      else if (filter === 1) v = byte + a;
      else if (filter === 2) v = byte + b;
      else if (filter === 3) v = byte + ((a + b) >> 1);
      else {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        v = byte + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      cur[x] = v & 0xff;
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 3; k++) out[(y * width + x) * 4 + k] = cur[x * bpp + k] ?? 0;
      out[(y * width + x) * 4 + 3] = bpp === 4 ? (cur[x * bpp + 3] ?? 0) : 255;
    }
    prev.set(cur);
  }
  return { width, height, rgba: out };
}

/** Pixels that are neither (near-)white nor transparent, i.e. ink. */
export function inkPixels(p: Pixels): number {
  let n = 0;
  for (let i = 0; i < p.rgba.length; i += 4) {
    const [r, g, b, a] = [p.rgba[i] ?? 0, p.rgba[i + 1] ?? 0, p.rgba[i + 2] ?? 0, p.rgba[i + 3] ?? 0];
    if (a > 0 && (r < 235 || g < 235 || b < 235)) n++;
  }
  return n;
}

/** Fraction of fully transparent pixels (a chart meant for slides must have none). */
export function transparentFraction(p: Pixels): number {
  let n = 0;
  for (let i = 3; i < p.rgba.length; i += 4) if (p.rgba[i] === 0) n++;
  return n / (p.width * p.height);
}
