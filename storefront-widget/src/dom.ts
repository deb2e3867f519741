import {CSS} from './styles.js';

/** Text into HTML (merchant texts and messages are never markup). */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A shadow root for one piece of the widget: its styles stay inside, the page's stay outside (CSS custom
 * properties, which the store themes it with, are the only thing that crosses).
 */
export function shadowHost(part: string, html: string): {host: HTMLElement; root: ShadowRoot} {
  const host = document.createElement('div');
  host.setAttribute('data-msb', part);
  const root = host.attachShadow({mode: 'open'});
  root.innerHTML = `<style>${CSS}</style>${html}`;
  return {host, root};
}

/** Runs a handler so that nothing it throws ever reaches the host page. */
export function safe<A extends unknown[]>(fn: (...args: A) => unknown): (...args: A) => void {
  return (...args) => {
    try {
      const result = fn(...args);
      if (result instanceof Promise) result.catch(() => undefined);
    } catch {
      /* the widget fails quietly; the page goes on */
    }
  };
}
