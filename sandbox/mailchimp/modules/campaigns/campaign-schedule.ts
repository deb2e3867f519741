import {MailchimpProblem, problems} from '../../core/problem.js';
import type {CampaignRecord, SandboxState} from '../../core/state.js';
import {sendCampaign} from './campaign-delivery.js';

export type ScheduleTimeResult = {ok: true; at: Date} | {ok: false; problem: MailchimpProblem};

const ISO_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/;

/**
 * `schedule_time` must be an ISO 8601 date-time in the future on a quarter hour ("Campaigns may only be scheduled to
 * send on the quarter-hour (:00, :15, :30, :45)", spec), seconds zero.
 */
export function parseScheduleTime(value: unknown, now: Date): ScheduleTimeResult {
  const field = 'schedule_time';
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    const message =
      value === undefined
        ? 'This value should not be blank.'
        : 'This value is not a valid ISO 8601 date-time (e.g. 2030-01-01T15:45:00+00:00).';
    return {ok: false, problem: problems.invalidResource([{field, message}])};
  }
  const at = new Date(value);
  if (at.getUTCMinutes() % 15 !== 0 || at.getUTCSeconds() !== 0 || at.getUTCMilliseconds() !== 0) {
    const detail = `Campaigns may only be scheduled to send on the quarter-hour (:00, :15, :30, :45); ${value} is not.`;
    return {ok: false, problem: problems.invalidResource([{field, message: detail}], detail)};
  }
  if (at.getTime() <= now.getTime()) {
    const detail = `The schedule time must be in the future; ${value} has passed.`;
    return {ok: false, problem: problems.invalidResource([{field, message: detail}], detail)};
  }
  return {ok: true, at};
}

/** setTimeout's longest delay; longer waits re-arm. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Sends scheduled campaigns when their time comes (or at once through deliverNow, for tests and demos that cannot
 * wait for a quarter hour). A campaign no longer ready at its time is `paused`, not sent.
 */
export class CampaignScheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly state: SandboxState) {}

  arm(campaign: CampaignRecord): void {
    this.disarm(campaign.id);
    if (this.stopped || !campaign.schedule_time) return;
    const delay = Date.parse(campaign.schedule_time) - this.state.now().getTime();
    const timer = setTimeout(
      () => {
        this.timers.delete(campaign.id);
        if (delay > MAX_TIMER_MS) this.arm(campaign);
        else this.fire(campaign.id);
      },
      Math.max(0, Math.min(delay, MAX_TIMER_MS)),
    );
    timer.unref();
    this.timers.set(campaign.id, timer);
  }

  disarm(id: string): void {
    const timer = this.timers.get(id);
    if (timer) clearTimeout(timer);
    this.timers.delete(id);
  }

  /** Sends a scheduled campaign now, as its timer would. */
  deliverNow(campaign: CampaignRecord): void {
    if (campaign.status !== 'schedule')
      throw problems.badRequest(`Campaign ${campaign.id} is not scheduled (status ${campaign.status}).`);
    this.disarm(campaign.id);
    this.deliver(campaign);
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.timers.keys()]) this.disarm(id);
  }

  private fire(id: string): void {
    // The campaign may have been unscheduled, deleted or wiped by a reset meanwhile.
    const campaign = this.state.campaigns.get(id);
    if (campaign?.status === 'schedule') this.deliver(campaign);
  }

  private deliver(campaign: CampaignRecord): void {
    try {
      sendCampaign(this.state, campaign);
    } catch (err) {
      if (!(err instanceof MailchimpProblem)) throw err;
      campaign.status = 'paused';
      campaign.send_time = '';
      delete campaign.schedule_time;
    }
  }
}
