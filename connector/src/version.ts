/** Sent in the Mailchimp User-Agent and reported by /healthz. Bump with package.json. */
export const PRODUCT_NAME = 'mailchimp-store-bridge';
export const PRODUCT_VERSION = '0.1.0';
