import type {Server} from 'node:http';
import type {Browser} from 'playwright-core';
import {launchChromium, listenLocal, screenshot} from '../support/browser.js';
import {startTestConnector, type TestConnector} from '../support/connector.js';
import {CHROMIUM, describeWithService} from '../support/services.js';

jest.setTimeout(60_000);

/** The pages a newcomer opens in the first hour, and what each shows once it has drawn itself. */
const PAGES = [
  {name: 'front', path: '/', ready: 'body'},
  {name: 'operator', path: '/operator', ready: 'body[data-state="ready"]', token: true},
  // popup_delay=-1: no pop-up over the page (its own behaviour is demo.browser.test.ts's).
  {name: 'demo', path: '/demo?popup_delay=-1', ready: 'main'},
] as const;

describeWithService(CHROMIUM, 'pages on a phone (390 px) and a laptop (1280 px)', () => {
  let t: TestConnector;
  let server: Server;
  let origin: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestConnector({demo: true});
    server = t.connector.app.listen(0, '127.0.0.1');
    origin = await listenLocal(server);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  it.each([390, 1280])('shows /, /operator and /demo at %i px without horizontal overflow', async (width) => {
    const context = await browser.newContext({viewport: {width, height: 844}});
    const overflow: Record<string, number> = {};
    for (const page of PAGES) {
      const tab = await context.newPage();
      const fragment = 'token' in page ? `#token=${encodeURIComponent(t.adminToken)}` : '';
      await tab.goto(`${origin}${page.path}${fragment}`);
      await tab.waitForSelector(page.ready);
      overflow[page.name] = await tab.evaluate(() => document.documentElement.scrollWidth);
      await screenshot(tab, `${page.name}-${width}px`);
      await tab.close();
    }
    await context.close();
    expect(overflow).toEqual({front: width, operator: width, demo: width});
  });
});
