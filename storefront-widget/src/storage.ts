/** Set once the visitor subscribed through any of the widget's forms (the pop-up stops offering itself). */
export const SUBSCRIBED = 'msb:subscribed';

/** localStorage that never throws (private modes, sandboxed frames and full quotas all do). */
export function load(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function save(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    /* nothing to do: the widget works without memory */
  }
}
