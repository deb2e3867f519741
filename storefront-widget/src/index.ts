import {fromUrl, remember, sendToShopifyCart} from './attribution.js';
import {attachCheckbox} from './checkbox.js';
import {readConfig} from './config.js';
import {safe, shadowHost} from './dom.js';
import {mountPopup} from './popup.js';
import {formHtml, wireForm, type FormContext} from './subscribe-form.js';

/**
 * The storefront widget: one script tag (`defer` or `async`), configured by its data attributes (config.ts). While
 * the page is parsing it only notes its script tag; once the page is parsed it reads its configuration, keeps the
 * campaign attribution of the landing URL and mounts the modes it was asked for. It never throws into the page:
 * anything that fails leaves the page as it was.
 */
const script = document.currentScript as HTMLScriptElement | null;
const flag = '__mailchimpStoreBridge';

const boot = safe(() => {
  const w = window as unknown as Record<string, unknown>;
  if (!script || w[flag]) return;
  const config = readConfig(script);
  if (!config) return;
  w[flag] = true;
  const fresh = fromUrl(location.search);
  if (config.shopify && Object.keys(fresh).length > 0) sendToShopifyCart(fresh);
  const ctx: FormContext = {config, attribution: remember(fresh, Date.now())};
  const target = config.target ? document.querySelector(config.target) : null;
  if (config.modes.includes('inline') && target) {
    const {host, root} = shadowHost('inline', formHtml(config));
    target.appendChild(host);
    wireForm(root, ctx);
  }
  if (config.modes.includes('popup')) safe(mountPopup)(ctx);
  if (config.modes.includes('checkbox')) safe(attachCheckbox)(ctx);
});

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
else boot();
