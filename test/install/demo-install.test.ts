import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ChildProcess} from 'node:child_process';
import {startConnectorProcess} from '../support/connector-process.js';

/** A browser's user agent: @shopify/shopify-api refuses to begin an install for bots (isbot). */
const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Cookies by name, as a browser keeps them for the connector's origin (paths ignored: every request is same-site). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=.*1970/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair!.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/**
 * Demo mode (`npm start` with nothing set) shows the install flow: the demo storefront links "Install a demo shop",
 * which goes through the Shopify app install and Mailchimp's OAuth against in-process stand-ins that approve at once.
 */
describe('demo mode: Install a demo shop', () => {
  let child: ChildProcess;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'demo-install-'));
    const started = startConnectorProcess({DATABASE_URL: `sqlite:${join(dir, 'connector.db')}`});
    child = started.child;
    base = await started.base;
  }, 60_000);
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, {recursive: true, force: true});
  });

  it('runs both OAuth flows from the demo storefront link to the shop page with the demo audience', async () => {
    const jar = new CookieJar();
    /** One browser step: GET with the jar's cookies (for the connector only), redirects not followed. */
    const step = async (url: string) => {
      const response = await fetch(url, {
        redirect: 'manual',
        headers: {'User-Agent': BROWSER_UA, ...(url.startsWith(base) ? {Cookie: jar.header()} : {})},
      });
      if (url.startsWith(base)) jar.take(response);
      return response;
    };
    const follow = async (start: string, until: string) => {
      let url = start;
      for (let hops = 0; hops < 8; hops++) {
        const response = await step(url);
        expect([200, 302, 303]).toContain(response.status);
        if (response.status === 200) return url;
        url = new URL(response.headers.get('location')!, url).toString();
        if (url === until) return url;
      }
      throw new Error(`no way to ${until} from ${start}`);
    };

    const storefront = await (await step(`${base}/demo`)).text();
    const link = /<a href="(\/shopify\/install\?shop=[^"]+)">Install a demo shop<\/a>/.exec(storefront)?.[1];
    expect(link).toBe('/shopify/install?shop=install-demo.myshopify.com');

    // The Shopify app install: the connector → the stand-in's authorize → the connector's callback → /app.
    expect(await follow(`${base}${link!}`, `${base}/app`)).toBe(`${base}/app`);
    const installed = await (await step(`${base}/app/api/shop`)).json();
    expect(installed).toMatchObject({
      shop: 'install-demo.myshopify.com',
      status: 'active',
      mailchimp: {status: 'not_connected', oauth_available: true},
    });

    // Mailchimp OAuth: the connector → the sandbox's authorize → the connector's callback → /app.
    expect(await follow(`${base}/mailchimp/connect`, `${base}/app`)).toBe(`${base}/app`);
    const connected = await (await step(`${base}/app/api/shop`)).json();
    expect(connected.mailchimp.status).toBe('connected');
    const audiences = await (await step(`${base}/app/api/audiences`)).json();
    expect(audiences.audiences.map((a: {name: string}) => a.name)).toContain('Demo audience');
  }, 60_000);
});
