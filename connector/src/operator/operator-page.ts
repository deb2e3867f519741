import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import type {Router} from 'express';
import {staticPageRouter} from '../http/static-page.js';

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
  return staticPageRouter({
    '/operator': {file: join(PAGE_DIR, 'index.html'), type: 'text/html; charset=utf-8'},
    '/operator/operator.js': {file: join(PAGE_DIR, 'operator.js'), type: 'text/javascript; charset=utf-8'},
    '/operator/operator.css': {file: join(PAGE_DIR, 'operator.css'), type: 'text/css; charset=utf-8'},
    '/operator/chart.umd.js': {file: chartJsUmdPath(), type: 'text/javascript; charset=utf-8'},
  });
}
