import {beacon, consentBody, EMAIL, requestId} from './api.js';
import type {FormContext} from './subscribe-form.js';
import {esc, safe, shadowHost} from './dom.js';

/**
 * The checkout opt-in: a checkbox, unticked, added before the submit button of a form with an email field. When it is
 * submitted with the box ticked, the consent (label and fine print as shown) goes to the connector as a beacon that
 * never holds the submit up; an unticked box sends nothing. The form also gets the campaign attribution as hidden
 * `attributes[_mc_cid]`… fields, for the order.
 */
export function attachCheckbox(ctx: FormContext): void {
  const {config} = ctx;
  const form = config.checkoutForm ? document.querySelector<HTMLFormElement>(config.checkoutForm) : null;
  if (!form) return;
  for (const key in ctx.attribution) {
    const name = `attributes[_${key}]`;
    let field = form.querySelector<HTMLInputElement>(`input[name="${name}"]`);
    if (!field) {
      field = document.createElement('input');
      field.type = 'hidden';
      field.name = name;
      form.appendChild(field);
    }
    field.value = ctx.attribution[key]!;
  }
  // Without an email field there is nobody to record consent for: no checkbox that would silently do nothing.
  if (!form.querySelector(config.emailField)) return;
  const {m} = config;
  const {host, root} = shadowHost(
    'checkbox',
    `<div class="cb"><input type="checkbox" id="o" autocomplete="off" aria-describedby="d"><div><label for="o">${esc(m.label)}</label><p id="d" class="s">${esc(m.checkboxText)}</p></div></div>`,
  );
  const submit = form.querySelector('[type=submit]');
  if (submit?.parentNode) submit.parentNode.insertBefore(host, submit);
  else form.appendChild(host);
  const box = root.getElementById('o') as HTMLInputElement;

  form.addEventListener(
    'submit',
    safe(() => {
      if (!box.checked) return;
      const email = form.querySelector<HTMLInputElement>(config.emailField)?.value.trim() ?? '';
      if (!EMAIL.test(email)) return;
      beacon(config.endpoint, {
        ...consentBody(config, ctx.attribution, email, `${m.label}\n${m.checkboxText}`, requestId()),
        checked: true,
      });
    }),
  );
}
