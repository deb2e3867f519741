import type {Money} from '../model/money.js';
import {currencyDigits} from '../model/money.js';

/**
 * The e-mail of a promo send, from a template (pure). Built-in templates are plain, inline-styled HTML that every
 * client renders; a custom template is the merchant's HTML with placeholders. Every version carries Mailchimp's
 * `*|UNSUB|*` link (required to send) and the audience's address line.
 */
export interface PromoProduct {
  title: string;
  url?: string;
  imageUrl?: string;
  price?: Money;
}

export interface PromoContentInput {
  template: 'classic' | 'minimal' | {html: string};
  subject: string;
  previewText?: string;
  storeName: string;
  code: string;
  discount: {type: 'percentage' | 'fixed'; amount: number; currency: string};
  redemptionUrl: string;
  products: PromoProduct[];
  endsAt?: string;
}

export interface PromoContent {
  html: string;
  plain_text: string;
}

const UNSUBSCRIBE_FOOTER_HTML =
  '<p style="font-size:12px;color:#6b7280;margin-top:32px">You receive this e-mail because you subscribed to news from *|LIST:COMPANY|*. ' +
  '<a href="*|UNSUB|*" style="color:#6b7280">Unsubscribe</a>.<br>*|LIST:ADDRESSLINE|*</p>';
const UNSUBSCRIBE_FOOTER_TEXT = 'Unsubscribe: *|UNSUB|*\n*|LIST:ADDRESSLINE|*';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!);
}

/** `15 %` / `$10.00` in the store's currency. */
export function discountText(discount: PromoContentInput['discount']): string {
  if (discount.type === 'percentage') return `${Number(discount.amount.toFixed(2))} %`;
  return new Intl.NumberFormat('en', {style: 'currency', currency: discount.currency}).format(discount.amount);
}

function priceText(price: Money): string {
  return new Intl.NumberFormat('en', {style: 'currency', currency: price.currency}).format(
    price.minor / 10 ** currencyDigits(price.currency),
  );
}

function productsHtml(products: PromoProduct[]): string {
  if (products.length === 0) return '';
  const cells = products.map((p) => {
    const image = p.imageUrl
      ? `<img src="${escapeHtml(p.imageUrl)}" alt="${escapeHtml(p.title)}" width="160" style="display:block;border:0;max-width:160px">`
      : '';
    const title = p.url
      ? `<a href="${escapeHtml(p.url)}" style="color:#111827">${escapeHtml(p.title)}</a>`
      : escapeHtml(p.title);
    const price = p.price ? `<div style="color:#374151">${escapeHtml(priceText(p.price))}</div>` : '';
    return `<td style="padding:8px;vertical-align:top;text-align:center">${image}<div style="font-weight:600;margin-top:6px">${title}</div>${price}</td>`;
  });
  return `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:24px auto"><tr>${cells.join('')}</tr></table>`;
}

function productsText(products: PromoProduct[]): string {
  return products
    .map((p) => `- ${p.title}${p.price ? ` (${priceText(p.price)})` : ''}${p.url ? `: ${p.url}` : ''}`)
    .join('\n');
}

export function renderPromoContent(input: PromoContentInput): PromoContent {
  const discount = discountText(input.discount);
  const until = input.endsAt ? ` until ${input.endsAt.slice(0, 10)}` : '';
  const plain = [
    input.subject,
    '',
    `${discount} off${until} at ${input.storeName} with the code ${input.code}.`,
    `Shop now: ${input.redemptionUrl}`,
    ...(input.products.length > 0 ? ['', productsText(input.products)] : []),
    '',
    UNSUBSCRIBE_FOOTER_TEXT,
  ].join('\n');

  if (typeof input.template === 'object') {
    const filled = input.template.html
      .replaceAll('{{code}}', escapeHtml(input.code))
      .replaceAll('{{redemption_url}}', escapeHtml(input.redemptionUrl))
      .replaceAll('{{discount}}', escapeHtml(discount))
      .replaceAll('{{subject}}', escapeHtml(input.subject))
      .replaceAll('{{products}}', productsHtml(input.products));
    return {html: filled.includes('*|UNSUB|*') ? filled : `${filled}${UNSUBSCRIBE_FOOTER_HTML}`, plain_text: plain};
  }

  const preview = input.previewText
    ? `<div style="display:none;max-height:0;overflow:hidden">${escapeHtml(input.previewText)}</div>`
    : '';
  const button = `<a href="${escapeHtml(input.redemptionUrl)}" style="display:inline-block;background:#111827;color:#ffffff;padding:12px 24px;border-radius:6px;text-decoration:none;font-weight:600">Shop with ${escapeHtml(input.code)}</a>`;
  const body =
    input.template === 'classic'
      ? `<h1 style="font-size:24px;margin:0 0 12px">${escapeHtml(input.subject)}</h1>` +
        `<p style="font-size:18px">${escapeHtml(discount)} off${escapeHtml(until)} at ${escapeHtml(input.storeName)}.</p>` +
        `<p style="font-size:14px;color:#374151">Your code</p>` +
        `<p style="font-size:28px;letter-spacing:2px;font-weight:700;border:2px dashed #111827;display:inline-block;padding:8px 16px">${escapeHtml(input.code)}</p>` +
        `<p style="margin:24px 0">${button}</p>` +
        productsHtml(input.products)
      : `<p>${escapeHtml(discount)} off${escapeHtml(until)} with the code <strong>${escapeHtml(input.code)}</strong>.</p><p>${button}</p>`;
  const html =
    '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>' +
    `<body style="margin:0;padding:0;background:#f9fafb;font-family:Arial,Helvetica,sans-serif;color:#111827">${preview}` +
    `<div style="max-width:600px;margin:0 auto;background:#ffffff;padding:32px;text-align:center">${body}${UNSUBSCRIBE_FOOTER_HTML}</div></body></html>`;
  return {html, plain_text: plain};
}
