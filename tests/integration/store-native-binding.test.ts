import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openArchive } from '../../app/store/open-archive.js';
import { withNativeBinding } from '../../app/store/sqlite-binding.js';

// npm start runs the store under Electron with a separately built better-sqlite3 named by
// FOLIO_SQLITE_BINDING; the store must load that build, not node_modules' Node build.
describe('FOLIO_SQLITE_BINDING', () => {
  const saved = process.env.FOLIO_SQLITE_BINDING;
  afterEach(() => {
    if (saved === undefined) delete process.env.FOLIO_SQLITE_BINDING;
    else process.env.FOLIO_SQLITE_BINDING = saved;
  });

  it('passes the named binding to better-sqlite3 and nothing otherwise', () => {
    expect(withNativeBinding({ readonly: true }, {})).toEqual({ readonly: true });
    expect(withNativeBinding({ readonly: true }, { FOLIO_SQLITE_BINDING: '/x/b.node' })).toEqual({
      readonly: true,
      nativeBinding: '/x/b.node',
    });
  });

  it('is what openArchive loads: a missing build fails the open', () => {
    const dir = mkdtempSync(join(tmpdir(), 'folio-binding-'));
    try {
      process.env.FOLIO_SQLITE_BINDING = join(dir, 'missing.node');
      expect(() => openArchive(join(dir, 'a.db'))).toThrow(/missing\.node|Cannot find|binding/i);
      delete process.env.FOLIO_SQLITE_BINDING;
      const archive = openArchive(join(dir, 'a.db'));
      expect(archive.stats().articles).toBe(0);
      archive.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
