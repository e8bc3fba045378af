import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportFileFor, suggestedName } from '../../main/export-file.js';

// main copies a finished export out of the core's exports/ folder when the desktop UI asks;
// the renderer's arguments must never be able to name any other file.
describe('exportFileFor', () => {
  const dir = '/home/u/.config/Folio';
  const id = 'A'.repeat(16) + 'b_-9'.repeat(4); // 32 base64url characters, like io-jobs makes

  it('maps a real download id and export name to the file io-jobs wrote', () => {
    expect(exportFileFor(dir, id, 'folio-2026-11-24-markdown.zip')).toBe(join(dir, 'exports', `${id}.zip`));
    expect(exportFileFor(dir, id, 'Folio.EPUB')).toBe(join(dir, 'exports', `${id}.epub`));
    expect(exportFileFor(dir, id, 'refs.bib')).toBe(join(dir, 'exports', `${id}.bib`));
  });

  it.each([
    ['../../etc/passwd', 'x.zip'],
    [`${id}/../x`, 'x.zip'],
    [id.slice(1), 'x.zip'],
    [`${id}x`, 'x.zip'],
    [42, 'x.zip'],
    [id, 'x.exe'],
    [id, 'x.zip/../../y'],
    [id, null],
  ])('refuses id %j with name %j', (downloadId, fileName) => {
    expect(exportFileFor(dir, downloadId, fileName)).toBeNull();
  });

  it('offers a plain file name in the save dialog', () => {
    expect(suggestedName('/tmp/evil/../notes.zip')).toBe('notes.zip');
    expect(suggestedName('a:b*c?.zip')).toBe('a_b_c_.zip');
  });
});
