import {esc, safe, shadowHost} from './dom.js';
import {load, save, SUBSCRIBED} from './storage.js';
import {formHtml, wireForm, type FormContext} from './subscribe-form.js';

const SEEN = 'msb:popup';

/**
 * The pop-up: a modal dialog holding the subscribe form. It opens by itself after `popupDelay` seconds at most once
 * per `popupDays` (and never again after a subscription), or whenever an element matching `popupOpen` is clicked.
 * Escape, the close button or a click on the backdrop close it; focus stays inside while it is open and returns to
 * where it was afterwards.
 */
export function mountPopup(ctx: FormContext): void {
  const {config} = ctx;
  const {host, root} = shadowHost(
    'popup',
    `<dialog aria-labelledby="t" aria-modal="true"><button type="button" class="x" aria-label="${esc(config.m.close)}">×</button><div class="in">${formHtml(config)}</div></dialog>`,
  );
  document.body.appendChild(host);
  const dialog = root.querySelector('dialog')!;
  const form = wireForm(root, ctx);
  let opener: Element | null = null;

  const open = () => {
    if (dialog.open) return;
    opener = document.activeElement;
    save(SEEN, String(Date.now()));
    if (dialog.showModal) dialog.showModal();
    else dialog.setAttribute('open', '');
    form.focus();
  };
  const close = () => {
    if (!dialog.open) return;
    if (dialog.close) dialog.close();
    else dialog.removeAttribute('open');
    if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
  };

  dialog.addEventListener(
    'cancel',
    safe((event: Event) => {
      event.preventDefault();
      close();
    }),
  );
  root.querySelector('.x')!.addEventListener('click', safe(close));
  // The dialog has no padding, so a click on the dialog element itself is a click on its backdrop.
  dialog.addEventListener(
    'click',
    safe((event: Event) => event.target === dialog && close()),
  );
  dialog.addEventListener(
    'keydown',
    safe((event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        close();
      }
      if (event.key !== 'Tab') return;
      const items = [...dialog.querySelectorAll<HTMLElement>('button:not([hidden]),input:not([tabindex="-1"])')].filter(
        (el) => el.offsetParent !== null,
      );
      const first = items[0];
      const last = items[items.length - 1];
      const active = root.activeElement;
      if (!first || !last) return;
      if (event.shiftKey ? active === first || !items.includes(active as HTMLElement) : active === last) {
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
      }
    }),
  );

  if (config.popupOpen) {
    document.addEventListener(
      'click',
      safe((event: Event) => {
        const target = event.target as Element | null;
        if (target?.closest?.(config.popupOpen!)) {
          event.preventDefault();
          open();
        }
      }),
    );
  }
  const seen = Number(load(SEEN) ?? 0);
  if (config.popupDelay !== undefined && !load(SUBSCRIBED) && Date.now() - seen > config.popupDays * 864e5) {
    setTimeout(safe(open), config.popupDelay * 1000);
  }
}
