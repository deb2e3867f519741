/**
 * The demo storefront's HTML (served at `/demo` in demo mode): a shop page with the widget's inline form, its
 * pop-up and a fake checkout with the opt-in checkbox, plus a panel showing what has reached Mailchimp. Plain HTML
 * built from strings; every value that comes from a request is escaped.
 */

export interface DemoProduct {
  id: string;
  variantId: string;
  title: string;
  variantTitle: string;
  /** Decimal string in the shop currency. */
  price: string;
}

export const DEMO_PRODUCT: DemoProduct = {
  id: 'demo-beanie',
  variantId: 'demo-beanie-grey',
  title: 'Merino Beanie',
  variantTitle: 'Grey',
  price: '24.90',
};

export interface DemoPageOptions {
  shop: string;
  currency: string;
  /** Widget language (`en`, `de`). */
  lang: string;
  /** Seconds before the pop-up opens by itself; undefined: never by itself (the "Newsletter" button still opens it). */
  popupDelay?: number;
  /** Where the widget script comes from (default `/widget.js`). */
  widgetSrc?: string;
  /** A stand-in shop to install through the app's OAuth flows (demo mode): linked as "Install a demo shop". */
  installShop?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c] ?? c,
  );
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#f6f7f9}
header{display:flex;align-items:center;justify-content:space-between;padding:12px 24px;background:#17325c;color:#fff}
header a{color:#fff}
header button{font:inherit;padding:6px 14px;border:2px solid #fff;border-radius:6px;background:transparent;color:#fff;cursor:pointer}
header button:focus-visible,a:focus-visible,input:focus-visible,select:focus-visible,.buy:focus-visible{outline:3px solid #f5b400;outline-offset:2px}
main{max-width:980px;margin:0 auto;padding:24px;display:grid;gap:24px;grid-template-columns:1fr 1fr}
section{background:#fff;border-radius:10px;padding:20px;box-shadow:0 1px 3px #0002}
.wide{grid-column:1/-1}
label{display:block;font-weight:600;margin-top:10px}
input[type=email],input[type=text],select{width:100%;font:inherit;padding:8px;border:1px solid #6e7781;border-radius:6px}
.buy{margin-top:14px;font:inherit;font-weight:600;padding:10px 18px;border:0;border-radius:6px;background:#1a7f37;color:#fff;cursor:pointer}
.note{color:#57606a;font-size:14px}
table{width:100%;border-collapse:collapse;font-size:14px}th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #d0d7de}
@media (max-width:760px){main{grid-template-columns:1fr}}
`;

/** Polls `/demo/mailchimp` and shows the audience's members and the store's orders as Mailchimp holds them. */
const PANEL_SCRIPT = `
(function(){
  var el=document.getElementById('mailchimp');
  function esc(s){return String(s==null?'':s).replace(/[&<>"']/g,function(c){return '&#'+c.charCodeAt(0)+';'})}
  function render(v){
    var m=v.members.map(function(x){return '<tr><td>'+esc(x.email)+'</td><td>'+esc(x.status)+'</td><td>'+esc(x.tags.join(', '))+'</td></tr>'}).join('')||'<tr><td colspan=3>none yet</td></tr>';
    var o=v.orders.map(function(x){return '<tr><td>'+esc(x.id)+'</td><td>'+esc(x.email)+'</td><td>'+esc(x.total)+'</td><td>'+esc(x.campaignId||'–')+'</td></tr>'}).join('')||'<tr><td colspan=4>none yet</td></tr>';
    el.innerHTML='<h3>Audience members</h3><table><thead><tr><th>email</th><th>status</th><th>tags</th></tr></thead><tbody>'+m+'</tbody></table>'+
      '<h3>E-commerce orders</h3><table><thead><tr><th>order</th><th>customer</th><th>total</th><th>campaign</th></tr></thead><tbody>'+o+'</tbody></table>';
  }
  function poll(){fetch('/demo/mailchimp').then(function(r){return r.ok?r.json():null}).then(function(v){if(v)render(v)}).catch(function(){}).then(function(){setTimeout(poll,1500)})}
  poll();
})();
`;

function layout(title: string, body: string, lang: string): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

function mailchimpPanel(): string {
  return `<section class="wide" aria-labelledby="mc-title">
<h2 id="mc-title">What Mailchimp holds (the sandbox)</h2>
<p class="note">Refreshes every few seconds: a subscription or an order appears here once the connector has synced it.</p>
<div id="mailchimp" aria-live="polite">Loading…</div>
</section>
<script>${PANEL_SCRIPT}</script>`;
}

export function demoPage(options: DemoPageOptions): string {
  const {shop, currency, lang} = options;
  const p = DEMO_PRODUCT;
  const data = [
    ['shop', shop],
    ['mode', 'inline popup checkbox'],
    ['target', '#newsletter'],
    ['checkout-form', '#checkout'],
    ['popup-open', '#open-popup'],
    ['lang', lang],
    ...(options.popupDelay !== undefined ? [['popup-delay', String(options.popupDelay)]] : [['popup-delay', 'off']]),
  ]
    .map(([k, v]) => ` data-${k}="${escapeHtml(v ?? '')}"`)
    .join('');
  const body = `<header>
<strong>Demo store</strong>
<button type="button" id="open-popup">Newsletter</button>
${options.installShop ? `<a href="/shopify/install?shop=${encodeURIComponent(options.installShop)}">Install a demo shop</a>` : ''}
</header>
<main>
<section aria-labelledby="product-title">
<h1 id="product-title">${escapeHtml(p.title)}</h1>
<p>${escapeHtml(p.variantTitle)}, ${escapeHtml(p.price)} ${escapeHtml(currency)}. Soft, warm and entirely made up.</p>
<form id="checkout" method="post" action="/demo/checkout">
<h2>Checkout</h2>
<label for="checkout-email">Email</label>
<input id="checkout-email" name="email" type="email" autocomplete="email" required>
<label for="checkout-name">First name</label>
<input id="checkout-name" name="first_name" type="text" autocomplete="given-name">
<label for="checkout-qty">Quantity</label>
<select id="checkout-qty" name="quantity"><option>1</option><option>2</option><option>3</option></select>
<button class="buy" type="submit">Place order</button>
</form>
</section>
<section aria-labelledby="newsletter-title">
<h2 id="newsletter-title">Newsletter</h2>
<div id="newsletter"></div>
<p class="note">Landing here from a campaign link (<code>?mc_cid=…</code>) attributes the next order to that campaign.</p>
</section>
${mailchimpPanel()}
</main>
<script src="${escapeHtml(options.widgetSrc ?? '/widget.js')}" defer${data}></script>`;
  return layout('Demo store', body, lang);
}

export interface DemoReceipt {
  orderId: string;
  email: string;
  total: string;
  currency: string;
  campaignId?: string;
  attributes: Record<string, string>;
  /** What the connector's ingest answered. */
  ingest: {status: number; body: string};
}

export function receiptPage(receipt: DemoReceipt, lang: string): string {
  const attrs = Object.entries(receipt.attributes);
  const body = `<header><strong>Demo store</strong><a href="/demo">Back to the shop</a></header>
<main>
<section class="wide" aria-labelledby="thanks">
<h1 id="thanks">Thank you for your order</h1>
<p>Order <strong id="order-id">${escapeHtml(receipt.orderId)}</strong> for ${escapeHtml(receipt.email)}: ${escapeHtml(receipt.total)} ${escapeHtml(receipt.currency)}.</p>
<p>The demo shop's backend sent it to the connector's generic ingest (<code>POST /v1/events</code>), which answered
<code id="ingest-status">${receipt.ingest.status}</code> <code>${escapeHtml(receipt.ingest.body)}</code>.</p>
<p>Attribution carried by the order: ${attrs.length > 0 ? attrs.map(([k, v]) => `<code>${escapeHtml(k)}=${escapeHtml(v)}</code>`).join(', ') : 'none (land with <code>?mc_cid=…</code> to attribute an order)'}.</p>
</section>
${mailchimpPanel()}
</main>`;
  return layout('Order placed', body, lang);
}
