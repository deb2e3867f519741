import {existsSync} from 'node:fs';
import {createServer} from 'node:http';
import {brotliCompressSync} from 'node:zlib';
import {buildWidget} from '../connector/src/storefront/widget-bundle.js';
import {launchChromium, listenLocal} from '../test/support/browser.js';
import {CHROMIUM} from '../test/support/services.js';
import {percentile, type Figure} from './harness.js';

export const name = 'widget';
export const description =
  'Storefront widget as served at /widget.js: size (minified, gzip, brotli) and, in Chromium, parse + execute of the script and mount of the inline form, against an empty script in the same page.';

const GOAL_GZIP_BYTES = 5 * 1024;
const LOADS = 60;

/**
 * One page load: marks around an inline copy of the script (a unique comment per load, so V8's compilation cache
 * never answers), and a DOMContentLoaded listener registered after the widget's, so the second measure includes
 * mounting the inline form into its shadow root.
 */
function pageHtml(code: string, i: number): string {
  const safe = code.replace(/<\/script/gi, '<\\/script');
  return `<!doctype html><html lang="en"><body><div id="t"></div>
<script>performance.mark('s')</script>
<script data-shop="bench.myshopify.com" data-mode="inline" data-target="#t" data-popup-delay="off">${safe}
//# load ${i}</script>
<script>performance.mark('e');window.__parse=performance.measure('p','s','e').duration;document.addEventListener('DOMContentLoaded',function(){performance.mark('m');window.__mount=performance.measure('m','s','m').duration})</script>
</body></html>`;
}

export async function run(): Promise<Figure[]> {
  const bundle = await buildWidget();
  const gzip = bundle.gzip.length;
  const brotli = brotliCompressSync(bundle.code).length;
  const figures: Figure[] = [
    {label: 'bundle, minified', value: Buffer.byteLength(bundle.code), unit: 'B', note: `version ${bundle.hash}`},
    {
      label: 'bundle, gzip -9 (as served)',
      value: gzip,
      unit: 'B',
      note: `goal < ${GOAL_GZIP_BYTES} B: ${gzip < GOAL_GZIP_BYTES ? 'met' : 'NOT met'}`,
    },
    {label: 'bundle, brotli', value: brotli, unit: 'B'},
  ];
  if (!existsSync(CHROMIUM.path)) {
    figures.push({
      label: 'parse/execute in Chromium',
      value: 'skipped',
      note: `${CHROMIUM.name} is not installed at ${CHROMIUM.path} (${CHROMIUM.hint})`,
    });
    return figures;
  }

  // Pages come from an http origin, as a storefront does (storage, for one, behaves as it does there).
  let current = '';
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.end(current);
  }).listen(0, '127.0.0.1');
  const origin = await listenLocal(server);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const samples = {
      widget: {parse: [] as number[], mount: [] as number[]},
      empty: {parse: [] as number[], mount: [] as number[]},
    };
    // Warm up the renderer, then alternate widget and empty loads so that drift affects both alike.
    for (let i = 0; i < LOADS + 5; i++) {
      for (const kind of ['widget', 'empty'] as const) {
        current = pageHtml(kind === 'widget' ? bundle.code : '', i);
        await page.goto(`${origin}/${kind}/${i}`, {waitUntil: 'load'});
        const {parse, mount} = await page.evaluate(() => ({
          parse: (window as unknown as {__parse: number}).__parse,
          mount: (window as unknown as {__mount: number}).__mount,
        }));
        if (i < 5) continue;
        samples[kind].parse.push(parse);
        samples[kind].mount.push(mount);
      }
    }
    const mounted = await page.evaluate(
      () => document.querySelector('[data-msb=inline]')?.shadowRoot?.querySelector('form') !== null,
    );
    if (!mounted) throw new Error('the widget did not mount its form in the benchmark page');
    const median = (values: number[]) =>
      percentile(
        [...values].sort((a, b) => a - b),
        0.5,
      );
    const wParse = median(samples.widget.parse);
    const eParse = median(samples.empty.parse);
    const wMount = median(samples.widget.mount);
    const eMount = median(samples.empty.mount);
    const version = browser.version();
    figures.push(
      {
        label: 'parse + execute, widget (median)',
        value: wParse.toFixed(2),
        unit: 'ms',
        note: `${LOADS} loads, Chromium ${version}`,
      },
      {label: 'parse + execute, empty script (median)', value: eParse.toFixed(2), unit: 'ms'},
      {
        label: 'parse + execute, widget / empty',
        value: (wParse / Math.max(eParse, 0.01)).toFixed(1),
        unit: '×',
        note: `+${(wParse - eParse).toFixed(2)} ms per page load`,
      },
      {
        label: '… + mount inline form at DOMContentLoaded (median)',
        value: wMount.toFixed(2),
        unit: 'ms',
        note: `empty script: ${eMount.toFixed(2)} ms (${(wMount / Math.max(eMount, 0.01)).toFixed(1)}×)`,
      },
      {
        label: 'parse + execute, widget p90',
        value: percentile(
          [...samples.widget.parse].sort((a, b) => a - b),
          0.9,
        ).toFixed(2),
        unit: 'ms',
        note: 'timer resolution of an isolated page: 0.1 ms',
      },
    );
  } finally {
    await browser.close();
    server.close();
  }
  return figures;
}
