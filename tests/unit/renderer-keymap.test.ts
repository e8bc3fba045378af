// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { isTypingTarget, shortcutFor } from '../../renderer/src/lib/keymap.js';

const el = (html: string) => {
  const host = document.createElement('div');
  host.innerHTML = html;
  return host.firstElementChild!;
};

describe('shortcutFor', () => {
  it('maps the documented keys', () => {
    const body = document.body;
    expect(['/', 'j', 'k', 'Enter', 'Escape', 'a', 'f', 'm', '?'].map((key) => shortcutFor({ key, target: body }))).toEqual([
      'focusSearch', 'next', 'previous', 'open', 'back', 'archive', 'favorite', 'toggleRead', 'help',
    ]);
  });

  it('ignores unknown keys and modified keys (browser shortcuts)', () => {
    expect(shortcutFor({ key: 'x', target: document.body })).toBeNull();
    expect(shortcutFor({ key: 'f', ctrlKey: true, target: document.body })).toBeNull();
    expect(shortcutFor({ key: 'a', metaKey: true, target: document.body })).toBeNull();
    expect(shortcutFor({ key: 'j', altKey: true, target: document.body })).toBeNull();
  });

  it('ignores shortcuts while typing, except Escape to leave the field', () => {
    for (const html of ['<input type="text">', '<input>', '<textarea></textarea>', '<select></select>', '<div contenteditable="true"></div>']) {
      const target = el(html);
      expect(shortcutFor({ key: 'j', target }), html).toBeNull();
      expect(shortcutFor({ key: '/', target }), html).toBeNull();
      expect(shortcutFor({ key: 'Escape', target }), html).toBe('back');
    }
  });

  it('lets a focused button or link handle Enter itself, but keeps j/k', () => {
    const button = el('<button>Save</button>');
    expect(shortcutFor({ key: 'Enter', target: button })).toBeNull();
    expect(shortcutFor({ key: 'j', target: button })).toBe('next');
    expect(shortcutFor({ key: 'Enter', target: el('<a href="https://a.test">x</a>') })).toBeNull();
  });
});

describe('isTypingTarget', () => {
  it('treats checkboxes and range sliders as non-text controls', () => {
    expect(isTypingTarget(el('<input type="checkbox">'))).toBe(false);
    expect(isTypingTarget(el('<input type="range">'))).toBe(false);
    expect(isTypingTarget(el('<input type="search">'))).toBe(true);
    expect(isTypingTarget(null)).toBe(false);
  });
});
