import type {ModuleContext} from '../../core/module.js';
import {MailchimpProblem} from '../../core/problem.js';
import type {ListWebhookRecord, MemberEvent} from '../../core/state.js';
import {callWebhook} from './webhook-http.js';
import {webhookFields} from './webhook-payload.js';

export const VALIDATOR_USER_AGENT = 'MailChimp.com WebHook Validator';
export const DELIVERY_USER_AGENT = 'MailChimp.com';

/**
 * Mailchimp's check when a webhook is added: a GET that must answer 200 within the webhook timeout, else
 * 400 with "We couldn't verify the URL is working. Please double check and try again. HTTP Code: <code>"
 * (notes §7; code 0 when nothing answered).
 */
export async function verifyWebhookUrl(ctx: ModuleContext, url: string): Promise<void> {
  const status = await callWebhook({
    method: 'GET',
    url,
    headers: {'User-Agent': VALIDATOR_USER_AGENT},
    timeoutMs: ctx.webhookTimeoutMs,
  });
  if (status !== 200) {
    throw new MailchimpProblem(
      400,
      'Invalid Resource',
      `We couldn't verify the URL is working. Please double check and try again. HTTP Code: ${status}`,
    );
  }
}

/**
 * Delivers member events to the list webhooks of one sandbox. Listens to `member` events; for each webhook whose
 * `events` and `sources` admit the event it builds the form payload at once and POSTs it in the background, so the
 * API call that raised the event never waits. A delivery that gets no 2xx within the webhook timeout is retried
 * after each of `webhookRetryDelaysMs` (Mailchimp: increasing intervals over 75 minutes), then dropped. Deleting
 * the webhook or its list drops its pending retries; stop() cancels everything.
 */
export class ListWebhookDispatcher {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  private stopped = false;
  private readonly listener = (event: MemberEvent) => this.onMemberEvent(event);

  constructor(private readonly ctx: ModuleContext) {}

  start(): void {
    this.ctx.state.events.on('member', this.listener);
  }

  stop(): void {
    this.stopped = true;
    this.ctx.state.events.off('member', this.listener);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
  }

  private onMemberEvent(event: MemberEvent): void {
    const list = this.ctx.state.lists.get(event.listId);
    if (!list) return;
    const targets = [...list.webhooks.values()].filter((w) => w.events[event.type] && w.sources[event.source]);
    if (targets.length === 0) return;
    const body = new URLSearchParams(
      webhookFields(event, [...list.mergeFields.keys()], this.ctx.state.now()),
    ).toString();
    for (const webhook of targets) this.schedule(webhook, body, 0, 0);
  }

  private schedule(webhook: ListWebhookRecord, body: string, attempt: number, delayMs: number): void {
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.attempt(webhook, body, attempt);
    }, delayMs);
    this.timers.add(timer);
  }

  private async attempt(webhook: ListWebhookRecord, body: string, attempt: number): Promise<void> {
    if (this.stopped || !this.stillRegistered(webhook)) return;
    const controller = new AbortController();
    this.inFlight.add(controller);
    const status = await callWebhook({
      method: 'POST',
      url: webhook.url,
      headers: {'User-Agent': DELIVERY_USER_AGENT, 'Content-Type': 'application/x-www-form-urlencoded'},
      body,
      timeoutMs: this.ctx.webhookTimeoutMs,
      signal: controller.signal,
    });
    this.inFlight.delete(controller);
    if (status >= 200 && status < 300) return;
    const delay = this.ctx.webhookRetryDelaysMs[attempt];
    if (delay !== undefined) this.schedule(webhook, body, attempt + 1, delay);
  }

  private stillRegistered(webhook: ListWebhookRecord): boolean {
    return this.ctx.state.lists.get(webhook.list_id)?.webhooks.get(webhook.id) === webhook;
  }
}
