import {readFileSync} from 'node:fs';
import express, {type Router} from 'express';

/** One file of a static page: where it is on disk and its content type. */
export interface PageAsset {
  file: string;
  type: string;
}

/** The pages' policy: nothing inline, nothing from elsewhere, never framed. */
export const STATIC_PAGE_CSP =
  "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

/**
 * Serves the files of a page with no build step (the operator page, the shop's page): each read once and kept,
 * answered with a strict CSP, nosniff, no referrer and no-store.
 */
export function staticPageRouter(assets: Record<string, PageAsset>, csp = STATIC_PAGE_CSP): Router {
  const router = express.Router();
  const cache = new Map<string, Buffer>();
  for (const [path, asset] of Object.entries(assets)) {
    router.get(path, (_req, res, next) => {
      try {
        let body = cache.get(path);
        if (!body) {
          body = readFileSync(asset.file);
          cache.set(path, body);
        }
        res.setHeader('Content-Security-Policy', csp);
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
