import { afterEach, describe, expect, it, vi } from 'vitest';
import { dispatch } from '../../app/api/dispatch.js';
import { createEventBus } from '../../app/api/events.js';
import { DEFAULT_SETTINGS, METHOD_NAMES, type FolioHandlers, type Settings } from '../../app/core/contract.js';
import { FolioError } from '../../app/core/errors.js';

/**
 * A handlers object for the transport only: a few methods do real work on in-memory state,
 * the rest report plainly that this test does not provide them.
 */
function makeHandlers(): FolioHandlers & { calls: string[] } {
  const calls: string[] = [];
  let settings: Settings = { ...DEFAULT_SETTINGS };
  const tags = new Map<number, string[]>([[1, ['news']]]);
  const absent = Object.fromEntries(
    METHOD_NAMES.map((name) => [name, async () => { throw new FolioError('INTERNAL', `${name} is not provided by this test`); }]),
  ) as unknown as FolioHandlers;
  return {
    ...absent,
    calls,
    'settings.get': async () => settings,
    'settings.set': async (patch) => {
      calls.push('settings.set');
      settings = { ...settings, ...patch };
      return settings;
    },
    'tags.list': async () => {
      const counts = new Map<string, number>();
      for (const list of tags.values()) for (const t of list) counts.set(t, (counts.get(t) ?? 0) + 1);
      return [...counts].map(([tag, count]) => ({ tag, count }));
    },
    'articles.get': async ({ id }) => {
      throw new FolioError('NOT_FOUND', `No article #${id} in the archive; run \`folio list\` to see the ids.`);
    },
    'stats.get': async () => {
      throw new Error('disk on fire at /secret/path/folio.db');
    },
  };
}

afterEach(() => vi.restoreAllMocks());

describe('dispatch', () => {
  it('answers a known method with a success envelope holding the handler value', async () => {
    const handlers = makeHandlers();
    const set = await dispatch(handlers, 'settings.set', { theme: 'dark', fontSize: 20 });
    expect(set).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 20 } });
    // The state really changed: a later call sees it.
    expect(await dispatch(handlers, 'settings.get', {})).toEqual({ ok: true, value: { ...DEFAULT_SETTINGS, theme: 'dark', fontSize: 20 } });
    expect(await dispatch(handlers, 'tags.list', {})).toEqual({ ok: true, value: [{ tag: 'news', count: 1 }] });
  });

  it('passes the parsed input, not the raw one (zod transforms apply, unknown keys dropped)', async () => {
    let seen: unknown;
    const handlers = { ...makeHandlers(), 'articles.setTags': async (input: unknown) => { seen = input; return {} as never; } };
    const result = await dispatch(handlers, 'articles.setTags', { id: 3, tags: ['  padded  '], extra: 'ignored' });
    expect(result.ok).toBe(true);
    expect(seen).toEqual({ id: 3, tags: ['padded'] });
  });

  it('refuses an unknown method with UNKNOWN_METHOD, naming it', async () => {
    const result = await dispatch(makeHandlers(), 'articles.explode', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    if (!result.ok) expect(result.error.message).toContain('"articles.explode"');
  });

  it('does not treat inherited object keys as methods', async () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const result = await dispatch(makeHandlers(), name, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('reports validation errors with the field path and what is wrong, without calling the handler', async () => {
    const handlers = makeHandlers();
    const result = await dispatch(handlers, 'settings.set', { fontSize: 'huge' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('VALIDATION');
    expect(result.error.message).toContain('settings.set');
    expect(result.error.message).toMatch(/fontSize: .*expected number/);
    expect(handlers.calls).toEqual([]);

    const nested = await dispatch(handlers, 'articles.setTags', { id: 1, tags: ['ok', ''] });
    expect(nested.ok).toBe(false);
    if (!nested.ok) expect(nested.error.message).toMatch(/tags\[1\]: Too small/);

    const whole = await dispatch(handlers, 'tags.list', 'not an object');
    expect(whole.ok).toBe(false);
    if (!whole.ok) expect(whole.error.message).toMatch(/input as a whole: .*expected object/);
  });

  it('passes a FolioError through with its code and message', async () => {
    const result = await dispatch(makeHandlers(), 'articles.get', { id: 42 });
    expect(result).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No article #42 in the archive; run `folio list` to see the ids.' },
    });
  });

  it('turns any other exception into INTERNAL without leaking its message or stack, and logs it', async () => {
    const logged: unknown[][] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args));
    const result = await dispatch(makeHandlers(), 'stats.get', {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INTERNAL');
    expect(result.error.message).not.toContain('disk on fire');
    expect(result.error.message).not.toContain('/secret/path');
    expect(result.error.message).not.toMatch(/\bat .*\.ts:\d+/);
    // The details are not lost: they went to the log.
    const log = logged.flat().map(String).join('\n');
    expect(log).toContain('disk on fire');
    expect(log).toContain('stats.get');
  });

  it('never throws, even for a handlers object missing a method at run time or non-string names', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const incomplete = { ...makeHandlers() } as Partial<FolioHandlers>;
    delete incomplete['sites.list'];
    const missing = await dispatch(incomplete as FolioHandlers, 'sites.list', {});
    expect(missing).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    const weird = await dispatch(makeHandlers(), 42 as unknown as string, {});
    expect(weird).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
  });
});

describe('FolioHandlers typing', () => {
  it('makes a handlers object that lacks a contract method a type error', () => {
    const { 'tags.list': _omitted, ...rest } = makeHandlers();
    // @ts-expect-error -- 'tags.list' is missing: tsc must reject this (checked by `npm run typecheck`).
    const incomplete: FolioHandlers = rest;
    expect(Object.keys(incomplete)).not.toContain('tags.list');
  });

  it('makes a handler returning the wrong shape a type error', () => {
    const wrong: FolioHandlers = {
      ...makeHandlers(),
      // @ts-expect-error -- tags.list must resolve to {tag,count}[], not strings.
      'tags.list': async () => ['news'],
    };
    expect(typeof wrong['tags.list']).toBe('function');
  });
});

describe('event bus', () => {
  it('delivers typed payloads to subscribers of that event only, and unsubscribes', () => {
    const bus = createEventBus();
    const changed: number[][] = [];
    const progress: string[] = [];
    const off = bus.on('library.changed', (p) => changed.push(p.ids));
    bus.on('queue.progress', (p) => progress.push(p.item.status));
    bus.emit('library.changed', { ids: [1, 2] });
    off();
    off(); // idempotent
    bus.emit('library.changed', { ids: [3] });
    expect(changed).toEqual([[1, 2]]);
    expect(progress).toEqual([]);
    expect(bus.listenerCount('library.changed')).toBe(0);
    expect(bus.listenerCount()).toBe(1);
  });

  it('forwards every event to onAny listeners in emit order', () => {
    const bus = createEventBus();
    const seen: string[] = [];
    const off = bus.onAny((e) => seen.push(`${e.name}:${JSON.stringify(e.payload)}`));
    bus.emit('library.changed', { ids: [7] });
    bus.emit('library.changed', { ids: [8] });
    off();
    bus.emit('library.changed', { ids: [9] });
    expect(seen).toEqual(['library.changed:{"ids":[7]}', 'library.changed:{"ids":[8]}']);
  });

  it('keeps delivering when a listener throws or unsubscribes during emit', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const bus = createEventBus();
    const got: string[] = [];
    const offFirst = bus.on('library.changed', () => {
      got.push('first');
      offFirst();
    });
    bus.on('library.changed', () => {
      throw new Error('listener bug');
    });
    bus.on('library.changed', () => void got.push('third'));
    expect(() => bus.emit('library.changed', { ids: [] })).not.toThrow();
    bus.emit('library.changed', { ids: [] });
    expect(got).toEqual(['first', 'third', 'third']);
  });
});
