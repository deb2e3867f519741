import type {ModuleContext, SandboxModule} from '../core/module.js';
import {listRoutes} from './lists/list-routes.js';
import {memberRoutes} from './lists/members-routes.js';
import {mergeFieldRoutes} from './lists/merge-fields-routes.js';
import {peopleActions} from './lists/people-actions.js';
import {segmentRoutes} from './lists/segments-routes.js';
import {tagRoutes} from './lists/tags-routes.js';
import {ListWebhookDispatcher} from './lists/webhook-dispatcher.js';
import {webhookRoutes} from './lists/webhooks-routes.js';

/** One webhook dispatcher per running sandbox (module objects are shared by every sandbox in the process). */
const dispatchers = new Map<ModuleContext, ListWebhookDispatcher>();

/**
 * Audiences: lists, merge fields, members, tags, segments and list webhooks, plus the people's actions under
 * /__sandbox/lists/… (unsubscribe, bounce, resubscribe, change-email, update-profile).
 */
export const listsModule: SandboxModule = {
  name: 'lists',
  routes: (ctx) => [
    ...listRoutes(ctx),
    ...mergeFieldRoutes(ctx),
    ...memberRoutes(ctx),
    ...tagRoutes(ctx),
    ...segmentRoutes(ctx),
    ...webhookRoutes(ctx),
  ],
  controls: (router, ctx) => peopleActions(router, ctx),
  start(ctx) {
    const dispatcher = new ListWebhookDispatcher(ctx);
    dispatchers.set(ctx, dispatcher);
    dispatcher.start();
  },
  stop(ctx) {
    dispatchers.get(ctx)?.stop();
    dispatchers.delete(ctx);
  },
};
