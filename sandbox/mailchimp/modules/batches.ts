import type {SandboxModule} from '../core/module.js';

// Placeholder: routes are added by the work on the sandbox issue.
export const batchesModule: SandboxModule = {
  name: 'batches',
  routes: () => [],
};
