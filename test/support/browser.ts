import {mkdirSync} from 'node:fs';
import {once} from 'node:events';
import type {Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {join} from 'node:path';
import {chromium, type Browser, type Page} from 'playwright-core';
import {CHROMIUM} from './services.js';

/**
 * Browser tests drive Debian's Chromium (never a downloaded browser) through playwright-core. Wrap them in
 * `describeWithService(CHROMIUM, …)`: a missing Chromium fails the run in CI and skips with a reason elsewhere.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({executablePath: CHROMIUM.path, args: CHROMIUM_ARGS});
}

/** Where the browser tests leave a screenshot of each state (emptied by the Jest global setup). */
export const SCREENSHOT_DIR = join(process.cwd(), 'artifacts', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, {recursive: true});
  await page.screenshot({path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true});
}

/** Listens on a free loopback port; resolves to the origin. */
export async function listenLocal(server: Server): Promise<string> {
  if (!server.listening) await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
