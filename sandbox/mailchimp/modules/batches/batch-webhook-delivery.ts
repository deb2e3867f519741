/** What happened to one batch webhook call, kept for GET /__sandbox/batch-webhook-deliveries. */
export interface BatchWebhookDelivery {
  webhook_id: string;
  url: string;
  batch_id: string;
  at: string;
  /** The receiver's HTTP status, or 0 when it could not be reached or did not answer in time. */
  status: number;
  error?: string;
}

/** POSTs a form-encoded body; never throws (a failed delivery is recorded, not retried). */
export async function postForm(
  url: string,
  form: URLSearchParams,
  timeoutMs: number,
  stop: AbortSignal,
): Promise<{status: number; error?: string}> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'MailChimp'},
      body: form.toString(),
      signal: AbortSignal.any([stop, AbortSignal.timeout(timeoutMs)]),
    });
    await response.arrayBuffer().catch(() => undefined);
    return {status: response.status};
  } catch (err) {
    return {status: 0, error: err instanceof Error ? err.message : String(err)};
  }
}
