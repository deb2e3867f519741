import {consentBody, EMAIL, requestId, subscribe} from './api.js';
import type {Attribution} from './attribution.js';
import type {WidgetConfig} from './config.js';
import {esc, safe} from './dom.js';
import {save, SUBSCRIBED} from './storage.js';

export interface FormContext {
  config: WidgetConfig;
  attribution: Attribution;
}

/** The subscribe form's markup; ids are unique inside its shadow root. */
export function formHtml(config: WidgetConfig): string {
  const {m} = config;
  return (
    `<form novalidate aria-labelledby="t"><h2 id="t">${esc(m.title)}</h2><p>${esc(m.text)}</p>` +
    `<label for="e">${esc(m.email)}</label><div class="row"><input id="e" type="email" name="email" autocomplete="email" required aria-describedby="c">` +
    `<button id="b">${esc(m.button)}</button></div><input class="hp" name="website" tabindex="-1" autocomplete="off" aria-hidden="true">` +
    `<p id="c" class="s">${esc(m.consent)}</p><p id="m" role="status" aria-live="polite" tabindex="-1"></p><button type="button" id="r" hidden>${esc(m.retry)}</button></form>`
  );
}

/**
 * Wires the form inside `root`: validation, submit, and its states (invalid email, sending, subscribed,
 * confirmation e-mail sent, rate limited, failed, network failure with a retry).
 */
export function wireForm(root: ShadowRoot, ctx: FormContext): {focus(): void} {
  const {config} = ctx;
  const {m} = config;
  const $ = <T extends HTMLElement>(id: string) => root.getElementById(id) as T;
  const form = root.querySelector('form')!;
  const input = $<HTMLInputElement>('e');
  const message = $('m');
  const retry = $('r');
  const honeypot = root.querySelector<HTMLInputElement>('.hp')!;
  let id = requestId();
  let busy = false;

  const show = (text: string, tone: 'info' | 'ok' | 'error') => {
    message.textContent = text;
    message.dataset.tone = tone;
    form.dataset.state = tone;
  };

  const send = async () => {
    if (busy) return;
    const email = input.value.trim();
    retry.hidden = true;
    if (!EMAIL.test(email)) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', 'm c');
      show(m.invalid, 'error');
      input.focus();
      return;
    }
    input.removeAttribute('aria-invalid');
    input.setAttribute('aria-describedby', 'c');
    busy = true;
    form.setAttribute('aria-busy', 'true');
    show(m.sending, 'info');
    const outcome = await subscribe(config.endpoint, {
      ...consentBody(config, ctx.attribution, email, m.consent, id),
      website: honeypot.value,
    });
    busy = false;
    form.removeAttribute('aria-busy');
    const ok = outcome === 'subscribed' || outcome === 'pending_confirmation';
    show(m[outcome], ok ? 'ok' : 'error');
    if (ok) {
      form.classList.add('done');
      message.focus();
      save(SUBSCRIBED, '1');
    } else if (outcome === 'invalid') {
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    } else if (outcome === 'network') {
      retry.hidden = false;
    }
  };

  form.addEventListener(
    'submit',
    safe((event: Event) => {
      event.preventDefault();
      return send();
    }),
  );
  retry.addEventListener('click', safe(send));
  // Another address is another submission; the same one retried keeps its id (stored once).
  input.addEventListener(
    'input',
    safe(() => {
      id = requestId();
    }),
  );
  return {focus: () => input.focus()};
}
