import type {PhaseProgress} from '../backfill/backfill-service.js';

/**
 * What the backfill CLI shows for one phase: where its bar stands, the rate and the ETA. Pure (the clock is passed
 * in), so that the text can be checked for every progress the service can report.
 *
 * - A record is done once it is sent, found to need nothing, or handed to the live worker (failed batch operations
 *   are among those handed over; failedOperations counts operations, not records, so it is not added again).
 * - The platform's count (total) can be larger than what the phase ends up handling: records the mapper skipped, or
 *   several merged into one (a promo rule with several codes). A finished phase's bar therefore ends at its total and
 *   names the difference as skipped, instead of stopping at 10/14.
 * - No rate exists before the first record is done; the ETA reads "—" until then, never cli-progress's NULL/INF
 *   (shown as "NFs"/"LLs" by its own formatter).
 */
export interface PhaseBar {
  /** Where the bar stands; never above total, equal to total once the phase finished. */
  value: number;
  /** The bar's length (at least 1, so that an empty phase draws a full bar rather than dividing by zero). */
  total: number;
  /** "12/14", or "4/4" once finished. */
  count: string;
  /** "35/s", or "—/s" before any record is done. */
  rate: string;
  /** "ETA 1m 05s", "ETA —" while unknown, "done" once finished. */
  eta: string;
  /** Counted by the platform but not handled by the finished phase (0 while running). */
  skipped: number;
}

export function recordsDone(p: PhaseProgress): number {
  return p.sent + p.nothing + p.handedToLive;
}

export function phaseBar(p: PhaseProgress, runStartedAt: string, now: Date): PhaseBar {
  const done = recordsDone(p);
  const started = Date.parse(p.startedAt ?? runStartedAt);
  const ended = p.finishedAt !== undefined ? Date.parse(p.finishedAt) : now.getTime();
  const seconds = Number.isFinite(started) && Number.isFinite(ended) ? Math.max(ended - started, 0) / 1000 : 0;
  const perSecond = done > 0 && seconds > 0 ? done / seconds : undefined;
  const rate = perSecond === undefined ? '—/s' : `${Math.round(perSecond)}/s`;
  if (p.finishedAt !== undefined) {
    const total = Math.max(p.total ?? 0, done);
    return {
      value: Math.max(total, 1),
      total: Math.max(total, 1),
      count: `${total}/${total}`,
      rate,
      eta: 'done',
      skipped: total - done,
    };
  }
  // While running, the platform's count is the goal; without one, what was read so far.
  const goal = Math.max(p.total ?? p.read, done);
  const left = goal - done;
  const eta = perSecond === undefined || p.total === undefined ? 'ETA —' : `ETA ${formatDuration(left / perSecond)}`;
  return {value: done, total: Math.max(goal, 1), count: `${done}/${goal}`, rate, eta, skipped: 0};
}

/** "45s", "3m 05s", "2h 03m": whole units, for an ETA (non-finite or negative input reads "—"). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** One line for a finished phase where no bar is drawn (logs, CI): "products 14/14 sent 9, nothing to send 1, …". */
export function finishedPhaseLine(phase: string, p: PhaseProgress, runStartedAt: string): string {
  const bar = phaseBar(p, runStartedAt, new Date(p.finishedAt ?? runStartedAt));
  const parts = [`sent ${p.sent}`, `nothing to send ${p.nothing}`, `handed to the live worker ${p.handedToLive}`];
  if (bar.skipped > 0) parts.push(`skipped ${bar.skipped} (counted by the platform, not sent: skipped or merged)`);
  return `${phase} ${bar.count} done: ${parts.join(', ')}`;
}
