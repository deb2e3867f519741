import {createHash} from 'node:crypto';
import {join} from 'node:path';
import {gzipSync} from 'node:zlib';
import {build} from 'esbuild';

/**
 * The storefront widget, bundled from `storefront-widget/src/` by esbuild in memory: no build step before
 * `npm start`, nothing written to disk, nothing downloaded (esbuild comes with tsx). Built once per process, on first
 * use or when the connector starts, and kept with its gzip form and content hash.
 */
export interface WidgetBundle {
  code: string;
  /** The code gzipped once (served to clients that accept gzip, and measured by the benchmark). */
  gzip: Buffer;
  /** Hex SHA-256 of the code, shortened: the ETag and the versioned file name. */
  hash: string;
}

/** Resolved from the working directory (the repository root for `npm start` and Jest). */
export const WIDGET_ENTRY = join(process.cwd(), 'storefront-widget', 'src', 'index.ts');

/** Browsers the bundle targets: what supports Shadow DOM, `<dialog>` and `fetch(keepalive)`. */
export const WIDGET_TARGETS = ['chrome91', 'firefox98', 'safari15.4', 'edge91'];

export async function buildWidget(
  entry: string = WIDGET_ENTRY,
  options: {minify?: boolean} = {},
): Promise<WidgetBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: WIDGET_TARGETS,
    minify: options.minify ?? true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no widget bundle');
  const code = file.text;
  return {code, gzip: gzipSync(code, {level: 9}), hash: createHash('sha256').update(code).digest('hex').slice(0, 16)};
}

/** Builds once and keeps the result; a failed build is retried on the next call. */
export class WidgetBundler {
  private pending: Promise<WidgetBundle> | undefined;

  constructor(private readonly entry: string = WIDGET_ENTRY) {}

  get(): Promise<WidgetBundle> {
    if (!this.pending) {
      this.pending = buildWidget(this.entry);
      this.pending.catch(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }
}
