import express, {type Request, type Response, type Router} from 'express';
import {problem, sendProblem} from '../http/problem.js';
import type {WidgetBundle, WidgetBundler} from './widget-bundle.js';

/** `/widget.js` may change with a new release: caches check back after five minutes (a 304 by ETag). */
export const WIDGET_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400';
/** `/widget/<hash>.js` never changes. */
export const VERSIONED_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/**
 * Serves the widget: `/widget.js` (the stable URL for script tags and the Shopify embed) and
 * `/widget/<hash>.js` (the same bytes under a content-addressed name, cacheable forever). Both carry the content hash
 * as ETag and in `X-Widget-Version`, and are sent gzipped to clients that accept it.
 */
export function widgetRouter(bundler: WidgetBundler): Router {
  const router = express.Router();
  router.get('/widget.js', async (req, res, next) => {
    try {
      send(req, res, await bundler.get(), WIDGET_CACHE_CONTROL);
    } catch (err) {
      next(err);
    }
  });
  router.get('/widget/:file', async (req, res, next) => {
    try {
      const bundle = await bundler.get();
      if (req.params.file !== `${bundle.hash}.js`) {
        // An old version is gone: point at the current one instead of serving something else under its name.
        return sendProblem(
          res,
          problem(
            404,
            'not-found',
            'Not Found',
            `This widget version is not served; use /widget/${bundle.hash}.js or /widget.js.`,
            {instance: req.path},
          ),
        );
      }
      send(req, res, bundle, VERSIONED_CACHE_CONTROL);
    } catch (err) {
      next(err);
    }
  });
  return router;
}

function send(req: Request, res: Response, bundle: WidgetBundle, cacheControl: string): void {
  const etag = `"${bundle.hash}"`;
  res.set({
    'Cache-Control': cacheControl,
    ETag: etag,
    'X-Widget-Version': bundle.hash,
    Vary: 'Accept-Encoding',
    // Any storefront may load it; `crossorigin` script tags and cross-origin-isolated pages included.
    'Access-Control-Allow-Origin': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'X-Content-Type-Options': 'nosniff',
  });
  const match = req.get('if-none-match');
  if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    res.status(304).end();
    return;
  }
  res.type('text/javascript; charset=utf-8');
  if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
    res.set('Content-Encoding', 'gzip').send(bundle.gzip);
  } else {
    res.send(bundle.code);
  }
}
