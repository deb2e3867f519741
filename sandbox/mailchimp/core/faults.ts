import {z} from 'zod';
import type {SeededRandom} from './random.js';

/** Probabilities are per request in [0, 1]; latency is base + uniform jitter, in milliseconds. */
export const faultSettingsSchema = z.object({
  latencyMs: z.number().min(0).optional(),
  latencyJitterMs: z.number().min(0).optional(),
  p429: z.number().min(0).max(1).optional(),
  p403: z.number().min(0).max(1).optional(),
  p500: z.number().min(0).max(1).optional(),
  p503: z.number().min(0).max(1).optional(),
  pSlow: z.number().min(0).max(1).optional(),
  pReset: z.number().min(0).max(1).optional(),
  /** How long a "slow" response takes; by default longer than the sandbox's request timeout, so it is cut. */
  slowMs: z.number().min(0).optional(),
});

export const faultConfigSchema = faultSettingsSchema.extend({
  seed: z.number().int().optional(),
  routes: z
    .array(z.object({method: z.string().optional(), pathPattern: z.string().min(1), settings: faultSettingsSchema}))
    .optional(),
});

export type FaultSettings = z.infer<typeof faultSettingsSchema>;
export type FaultConfig = z.infer<typeof faultConfigSchema>;

export type FaultDecision =
  | {kind: 'none'; delayMs: number}
  | {kind: 'status'; status: 429 | 403 | 500 | 503; delayMs: number}
  | {kind: 'slow'; delayMs: number}
  | {kind: 'reset'; delayMs: number};

/** Decides, per request, what goes wrong. Deterministic for a seed and an order of requests. */
export class FaultInjector {
  private config: FaultConfig = {};
  private compiled: Array<{method?: string; pattern: RegExp; settings: FaultSettings}> = [];

  constructor(
    private readonly random: SeededRandom,
    initial: FaultConfig = {},
  ) {
    this.set(initial);
  }

  set(config: FaultConfig): void {
    this.config = config;
    this.compiled = (config.routes ?? []).map((r) => ({
      method: r.method?.toUpperCase(),
      pattern: new RegExp(r.pathPattern),
      settings: r.settings,
    }));
    if (config.seed !== undefined) this.random.reseed(config.seed);
  }

  get(): FaultConfig {
    return this.config;
  }

  decide(method: string, path: string, requestTimeoutMs: number): FaultDecision {
    const route = this.compiled.find((r) => (!r.method || r.method === method) && r.pattern.test(path));
    const s: FaultSettings = {...this.config, ...(route?.settings ?? {})};
    const delayMs = (s.latencyMs ?? 0) + (s.latencyJitterMs ? this.random.next() * s.latencyJitterMs : 0);
    const roll = this.random.next();
    let edge = 0;
    const hit = (p: number | undefined) => {
      edge += p ?? 0;
      return roll < edge;
    };
    if (hit(s.p429)) return {kind: 'status', status: 429, delayMs};
    if (hit(s.p403)) return {kind: 'status', status: 403, delayMs};
    if (hit(s.p500)) return {kind: 'status', status: 500, delayMs};
    if (hit(s.p503)) return {kind: 'status', status: 503, delayMs};
    if (hit(s.pSlow)) return {kind: 'slow', delayMs: s.slowMs ?? requestTimeoutMs + 1000};
    if (hit(s.pReset)) return {kind: 'reset', delayMs};
    return {kind: 'none', delayMs};
  }
}
