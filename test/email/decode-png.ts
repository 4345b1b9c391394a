/**
 * Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what resvg writes) into RGBA pixels, so
 * tests can check what a chart really shows. Throws on any other PNG kind.
 */
import { inflateSync } from 'node:zlib';

export interface DecodedPng {
  width: number;
  height: number;
  /** RGBA bytes, row by row. */
  pixels: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function decodePng(png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('Not a PNG: signature missing');
  let offset = 8;
  let header: { width: number; height: number; channels: number } | null = null;
  const data: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = readHeader(body);
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  if (!header) throw new Error('Not a PNG: IHDR missing');

  return {
    width: header.width,
    height: header.height,
    pixels: unfilter(inflateSync(Buffer.concat(data)), header),
  };
}

function readHeader(body: Buffer): { width: number; height: number; channels: number } {
  const bitDepth = body[8];
  const colorType = body[9];
  const interlace = body[12];
  if (bitDepth !== 8 || interlace !== 0 || (colorType !== 2 && colorType !== 6)) {
    throw new Error(
      `Unsupported PNG: bit depth ${bitDepth}, colour type ${colorType}, interlace ${interlace}`,
    );
  }

  return {
    width: body.readUInt32BE(0),
    height: body.readUInt32BE(4),
    channels: colorType === 6 ? 4 : 3,
  };
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) return a;

  return pb <= pc ? b : c;
}

function unfilter(
  raw: Buffer,
  header: { width: number; height: number; channels: number },
): Uint8Array {
  const { width, height, channels } = header;
  const stride = width * channels;
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y += 1) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x += 1) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= channels ? (rows[y * stride + x - channels] ?? 0) : 0;
      const up = y > 0 ? (rows[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = y > 0 && x >= channels ? (rows[(y - 1) * stride + x - channels] ?? 0) : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter ?? 0] ?? 0;
      rows[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  if (channels === 4) return rows;
  const rgba = new Uint8Array(width * height * 4);
  for (let index = 0; index < width * height; index += 1) {
    rgba.set(rows.subarray(index * 3, index * 3 + 3), index * 4);
    rgba[index * 4 + 3] = 255;
  }

  return rgba;
}

/** Counts pixels whose colour is within `tolerance` of `rgb` on every channel. */
export function countPixels(
  image: DecodedPng,
  rgb: [number, number, number],
  tolerance = 40,
): number {
  let count = 0;
  for (let index = 0; index < image.width * image.height; index += 1) {
    const offset = index * 4;
    const close = rgb.every(
      (channel, c) => Math.abs((image.pixels[offset + c] ?? 0) - channel) <= tolerance,
    );
    if (close) count += 1;
  }

  return count;
}

/** Counts pixels in a box that differ from white, i.e. where something was drawn. */
export function countInkPixels(
  image: DecodedPng,
  box = { x: 0, y: 0, width: image.width, height: image.height },
): number {
  let count = 0;
  for (let y = box.y; y < box.y + box.height; y += 1) {
    for (let x = box.x; x < box.x + box.width; x += 1) {
      const offset = (y * image.width + x) * 4;
      const [r, g, b] = [
        image.pixels[offset] ?? 255,
        image.pixels[offset + 1] ?? 255,
        image.pixels[offset + 2] ?? 255,
      ];
      if (r < 200 || g < 200 || b < 200) count += 1;
    }
  }

  return count;
}
