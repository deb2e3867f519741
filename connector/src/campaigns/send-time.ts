/**
 * Mailchimp schedules campaigns on the quarter hour only ("Campaigns may only be scheduled to send on the
 * quarter-hour (:00, :15, :30, :45)", notes §6), in UTC, in the future. Checked here before anything is created, with
 * an error that says what would be accepted.
 */
export type SendTimeCheck = {ok: true; at: Date; iso: string} | {ok: false; message: string};

const QUARTER_MS = 15 * 60_000;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export function checkSendAt(value: string, now: Date): SendTimeCheck {
  if (!ISO_WITH_OFFSET.test(value) || Number.isNaN(Date.parse(value))) {
    return {
      ok: false,
      message: `send_at must be an ISO 8601 date-time with an offset, e.g. 2030-01-01T15:45:00Z; got ${JSON.stringify(value)}`,
    };
  }
  const at = new Date(value);
  const ms = at.getTime();
  if (ms % QUARTER_MS !== 0) {
    const before = new Date(Math.floor(ms / QUARTER_MS) * QUARTER_MS).toISOString();
    const after = new Date(Math.ceil(ms / QUARTER_MS) * QUARTER_MS).toISOString();
    return {
      ok: false,
      message: `send_at must fall on a quarter hour (:00, :15, :30 or :45, seconds zero): Mailchimp schedules nothing else. ${value} is not; the nearest are ${before} and ${after}.`,
    };
  }
  if (ms <= now.getTime()) {
    const next = new Date(Math.ceil((now.getTime() + 1) / QUARTER_MS) * QUARTER_MS).toISOString();
    return {
      ok: false,
      message: `send_at must be in the future; ${value} has passed (the next quarter hour is ${next}). Leave send_at out to send now.`,
    };
  }
  return {ok: true, at, iso: at.toISOString().replace('.000Z', 'Z')};
}
