/**
 * The app's single-key shortcuts. Pure: maps a key event (or anything shaped like one) to an
 * action name; the App decides what each action does in the current state.
 */
export type ShortcutAction =
  | 'focusSearch'
  | 'next'
  | 'previous'
  | 'open'
  | 'back'
  | 'archive'
  | 'favorite'
  | 'toggleRead'
  | 'help';

export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  target?: EventTarget | null;
}

const KEYS: Record<string, ShortcutAction> = {
  '/': 'focusSearch',
  j: 'next',
  k: 'previous',
  Enter: 'open',
  Escape: 'back',
  a: 'archive',
  f: 'favorite',
  m: 'toggleRead',
  '?': 'help',
};

/** Shown in the shortcut help dialog, in this order. */
export const SHORTCUT_HELP: { keys: string[]; does: string }[] = [
  { keys: ['/'], does: 'Search' },
  { keys: ['j'], does: 'Next article (↓ also works in the list)' },
  { keys: ['k'], does: 'Previous article (↑ also works in the list)' },
  { keys: ['Enter'], does: 'Open the selected article' },
  { keys: ['Esc'], does: 'Back: close the reader, or leave the search box' },
  { keys: ['a'], does: 'Archive / unarchive' },
  { keys: ['f'], does: 'Favorite / unfavorite' },
  { keys: ['m'], does: 'Mark read / unread' },
  { keys: ['?'], does: 'This help' },
];

/** True when keys typed into `target` are text, not commands (inputs, textareas, editors). */
export function isTypingTarget(target: EventTarget | null | undefined): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const el = target as HTMLElement;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') {
    const type = ((el as HTMLInputElement).type || 'text').toLowerCase();
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
  }
  return el.isContentEditable === true || el.getAttribute?.('contenteditable') === 'true';
}

/** Elements whose own Enter handling must win (buttons, links, the open dialog's content). */
function ownsNavigationKeys(target: EventTarget | null | undefined): boolean {
  if (!target || typeof (target as Element).tagName !== 'string') return false;
  const tag = (target as Element).tagName.toLowerCase();
  return tag === 'button' || tag === 'a' || tag === 'summary';
}

/**
 * The action for a key press, or null if it is not a shortcut here. While typing in a field
 * only Escape counts (to leave the field); modified keys (Ctrl/Cmd/Alt) are left to the browser.
 */
export function shortcutFor(e: KeyLike): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const action = KEYS[e.key] ?? null;
  if (!action) return null;
  if (isTypingTarget(e.target)) return action === 'back' ? 'back' : null;
  // Enter on a focused button or link presses it; j/k and the rest stay global there.
  if (action === 'open' && ownsNavigationKeys(e.target)) return null;
  return action;
}
