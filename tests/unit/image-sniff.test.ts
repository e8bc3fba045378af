import { describe, expect, it } from 'vitest';
import { FolioError } from '../../app/core/errors.js';
import { decodeDataUrl, shortDataUrl, sniffImage, SVG_REFUSED_REASON, textKindOf } from '../../app/capture/image-sniff.js';
import { gifBytes, jpegBytes, pngBytes, webpBytes } from '../helpers/image-bytes.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('sniffImage', () => {
  it('recognises real PNG, JPEG, GIF and WebP bytes', async () => {
    expect(await sniffImage(pngBytes(4, 4))).toEqual({ ok: true, type: 'image/png' });
    expect(await sniffImage(jpegBytes())).toEqual({ ok: true, type: 'image/jpeg' });
    expect(await sniffImage(gifBytes(4, 4))).toEqual({ ok: true, type: 'image/gif' });
    expect(await sniffImage(webpBytes())).toEqual({ ok: true, type: 'image/webp' });
  });

  it('recognises BMP and ICO by their headers', async () => {
    // 1×1 24-bit BMP: file header + BITMAPINFOHEADER + one padded pixel row.
    const bmp = Buffer.alloc(58);
    bmp.write('BM', 0, 'latin1');
    bmp.writeUInt32LE(58, 2);
    bmp.writeUInt32LE(54, 10);
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(1, 18);
    bmp.writeInt32LE(1, 22);
    bmp.writeUInt16LE(1, 26);
    bmp.writeUInt16LE(24, 28);
    expect(await sniffImage(new Uint8Array(bmp))).toEqual({ ok: true, type: 'image/bmp' });

    // An ICO directory with one PNG-encoded 16×16 entry.
    const png = pngBytes(16, 16);
    const ico = Buffer.alloc(22 + png.length);
    ico.writeUInt16LE(0, 0);
    ico.writeUInt16LE(1, 2);
    ico.writeUInt16LE(1, 4);
    ico[6] = 16;
    ico[7] = 16;
    ico.writeUInt16LE(1, 10);
    ico.writeUInt16LE(32, 12);
    ico.writeUInt32LE(png.length, 14);
    ico.writeUInt32LE(22, 18);
    ico.set(png, 22);
    expect(await sniffImage(new Uint8Array(ico))).toEqual({ ok: true, type: 'image/x-icon' });
  });

  it('refuses SVG, with or without an XML prolog, comments and doctype', async () => {
    const svgs = [
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- made by hand -->\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg width="10"/>',
      '\uFEFF  <svg:svg xmlns:svg="http://www.w3.org/2000/svg"/>',
      '<!DOCTYPE svg [ <!ENTITY x "y"> ]><svg/>',
    ];
    for (const svg of svgs) {
      const result = await sniffImage(text(svg));
      expect(result).toEqual({ ok: false, reason: SVG_REFUSED_REASON, detected: 'image/svg+xml' });
    }
  });

  it('says what a non-image is', async () => {
    expect(await sniffImage(text('<!DOCTYPE html><html><body>Not found</body></html>'))).toMatchObject({
      ok: false,
      reason: 'not an image (text/html)',
    });
    expect(await sniffImage(text('  <h1>404</h1>'))).toMatchObject({ ok: false, reason: 'not an image (text/html)' });
    expect(await sniffImage(text('{"error":"nope"}'))).toMatchObject({ ok: false, reason: 'not an image (application/json)' });
    expect(await sniffImage(text('plain words'))).toMatchObject({ ok: false, reason: 'not an image (text/plain)' });
    expect(await sniffImage(text('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj'))).toMatchObject({ ok: false, reason: 'not an image (application/pdf)' });
    expect(await sniffImage(new Uint8Array(0))).toMatchObject({ ok: false, reason: 'empty response (0 bytes)' });
    expect(await sniffImage(new Uint8Array([0, 1, 2, 3, 250, 251, 252, 7, 8, 9]))).toMatchObject({ ok: false, reason: 'not a recognised image format' });
  });

  it('refuses image formats browsers cannot show (TIFF)', async () => {
    const tiff = new Uint8Array([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00]);
    const result = await sniffImage(tiff);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(/unsupported image format \(image\/tiff\)/);
  });

  it('classifies text by its first element', () => {
    expect(textKindOf(text('<?xml version="1.0"?><rss/>'))).toBe('application/xml');
    expect(textKindOf(pngBytes(1, 1))).toBeNull();
  });
});

describe('decodeDataUrl', () => {
  it('decodes base64 payloads, ignoring whitespace', () => {
    const png = pngBytes(3, 3);
    const b64 = Buffer.from(png).toString('base64');
    const spaced = b64.replace(/(.{10})/g, '$1\n ');
    const decoded = decodeDataUrl(`data:image/png;base64,${spaced}`);
    expect(decoded.mediaType).toBe('image/png');
    expect(Buffer.from(decoded.data).equals(Buffer.from(png))).toBe(true);
  });

  it('decodes percent-encoded payloads to bytes', () => {
    const decoded = decodeDataUrl('data:image/svg+xml,%3Csvg%20xmlns%3D%22x%22%2F%3E');
    expect(new TextDecoder().decode(decoded.data)).toBe('<svg xmlns="x"/>');
    expect(decoded.mediaType).toBe('image/svg+xml');
    // Percent escapes can carry arbitrary bytes, e.g. a GIF signature followed by 0xFF.
    expect(Array.from(decodeDataUrl('data:,GIF89a%FF%00').data)).toEqual([71, 73, 70, 56, 57, 97, 255, 0]);
  });

  it('accepts percent-encoded base64 and an upper-case scheme; defaults the type', () => {
    expect(new TextDecoder().decode(decodeDataUrl('DATA:;BASE64,aGk%3D').data)).toBe('hi');
    expect(decodeDataUrl('data:,x').mediaType).toBe('text/plain;charset=us-ascii');
  });

  it('throws DECODE_FAILED on malformed input', () => {
    for (const bad of ['data:image/png;base64', 'data:image/png;base64,abc$def', 'data:image/png;base64,a', 'http://x/a.png']) {
      expect(() => decodeDataUrl(bad)).toThrow(FolioError);
      try {
        decodeDataUrl(bad);
      } catch (err) {
        expect((err as FolioError).code).toBe('DECODE_FAILED');
      }
    }
  });

  it('shortens data: URLs for messages', () => {
    expect(shortDataUrl('data:image/png;base64,' + 'A'.repeat(5000))).toBe('data:image/png;base64,…');
  });
});
