import {MESSAGES, pickLang, type Lang, type Messages} from './messages.js';

/**
 * The widget is configured by its script tag's `data-*` attributes (camel-cased here as in `dataset`):
 *
 *   <script src="https://connector.example/widget.js" defer data-shop="x.myshopify.com" data-mode="inline popup"
 *           data-target="#newsletter"></script>
 */
export const WIDGET_DATA_ATTRIBUTES = [
  'shop', // required: the shop domain the connector knows the shop by
  'endpoint', // the connector's origin (default: where the script came from)
  'mode', // any of "inline", "popup", "checkbox" (space or comma separated; default "inline")
  'target', // inline: CSS selector of the element the form goes into
  'lang', // "en", "de" (default: the page's language)
  'title',
  'text',
  'button',
  'consentText', // the consent statement under the form (stored as evidence)
  'consentVersion', // your version label of the consent texts
  'label', // checkbox label
  'checkboxText', // checkbox fine print (GDPR / marketing permission text)
  'checkoutForm', // checkbox: CSS selector of the checkout or cart form
  'emailField', // checkbox: selector of the email input inside that form
  'popupDelay', // pop-up: seconds before it opens by itself ("off": only when asked)
  'popupDays', // pop-up: days before it opens by itself again (frequency cap; default 30)
  'popupOpen', // pop-up: selector of elements that open it on click
  'platform', // "shopify" (detected on Shopify storefronts): attribution goes to cart attributes too
] as const;

export type WidgetAttribute = (typeof WIDGET_DATA_ATTRIBUTES)[number];

export interface WidgetConfig {
  shop: string;
  endpoint: string;
  modes: string[];
  target?: string;
  lang: Lang;
  m: Messages;
  consentVersion?: string;
  checkoutForm?: string;
  emailField: string;
  /** Undefined: the pop-up never opens by itself. */
  popupDelay?: number;
  popupDays: number;
  popupOpen?: string;
  shopify: boolean;
}

/** Reads the script tag; undefined when it names no shop (nothing to do then). */
export function readConfig(script: HTMLScriptElement): WidgetConfig | undefined {
  const d = script.dataset as Partial<Record<WidgetAttribute, string>>;
  if (!d.shop) return undefined;
  const lang = pickLang(d.lang, document.documentElement.lang, navigator.language);
  const m: Messages = {...MESSAGES[lang]};
  for (const key of ['title', 'text', 'button', 'label', 'checkboxText'] as const) if (d[key]) m[key] = d[key];
  if (d.consentText) m.consent = d.consentText;
  const delay = Number(d.popupDelay ?? 8);
  return {
    shop: d.shop,
    endpoint: (d.endpoint ?? new URL(script.src, location.href).origin).replace(/\/$/, ''),
    modes: (d.mode ?? 'inline').split(/[\s,]+/),
    target: d.target,
    lang,
    m,
    consentVersion: d.consentVersion,
    checkoutForm: d.checkoutForm,
    emailField: d.emailField ?? 'input[type=email],input[name*=email i]',
    popupDelay: delay >= 0 ? delay : undefined,
    popupDays: Number(d.popupDays) || 30,
    popupOpen: d.popupOpen,
    shopify: d.platform === 'shopify' || !!(window as {Shopify?: {shop?: string}}).Shopify?.shop,
  };
}
