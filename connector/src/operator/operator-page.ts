import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import express, {type Router} from 'express';

/**
 * The operator page: a static shell (HTML, CSS, plain JavaScript) and chart.js's UMD file straight from
 * node_modules, no build step. It holds no data: the script reads the operator API with the admin token the
 * operator enters (or passes as `#token=` in the URL fragment, which never reaches a server).
 */
const PAGE_DIR = join(process.cwd(), 'connector', 'src', 'operator', 'operator-page');

/** chart.js exports no path to its UMD file; it sits beside the CommonJS build the package resolves to. */
export function chartJsUmdPath(): string {
  const resolve = createRequire(join(process.cwd(), 'package.json')).resolve;
  return join(dirname(resolve('chart.js')), 'chart.umd.js');
}

export function operatorPageRouter(): Router {
  const router = express.Router();
  const assets: Record<string, {file: string; type: string}> = {
    '/operator': {file: join(PAGE_DIR, 'index.html'), type: 'text/html; charset=utf-8'},
    '/operator/operator.js': {file: join(PAGE_DIR, 'operator.js'), type: 'text/javascript; charset=utf-8'},
    '/operator/operator.css': {file: join(PAGE_DIR, 'operator.css'), type: 'text/css; charset=utf-8'},
    '/operator/chart.umd.js': {file: chartJsUmdPath(), type: 'text/javascript; charset=utf-8'},
  };
  const cache = new Map<string, Buffer>();
  for (const [path, asset] of Object.entries(assets)) {
    router.get(path, (_req, res, next) => {
      try {
        let body = cache.get(path);
        if (!body) {
          body = readFileSync(asset.file);
          cache.set(path, body);
        }
        res.setHeader(
          'Content-Security-Policy',
          "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
        );
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Referrer-Policy', 'no-referrer');
        res.setHeader('Cache-Control', 'no-store');
        res.type(asset.type).send(body);
      } catch (err) {
        next(err);
      }
    });
  }
  return router;
}
