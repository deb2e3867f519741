import {once} from 'node:events';
import {createServer, type IncomingMessage, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';

export interface ReceivedCall {
  method: string;
  path: string;
  userAgent: string;
  contentType: string;
  /** The form fields of a POST, in the order they came. */
  fields: Array<[string, string]>;
  at: number;
}

/**
 * A local webhook endpoint for tests: records every call; answers with the status `respond` gives (200 by default),
 * after `delayMs` and once `gate` (if set) has resolved.
 */
export class WebhookReceiver {
  readonly calls: ReceivedCall[] = [];
  respond: (call: ReceivedCall) => number = () => 200;
  delayMs = 0;
  gate?: Promise<void>;
  private server?: Server;
  private waiters: Array<() => void> = [];

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      void this.handle(req).then(async (call) => {
        this.calls.push(call);
        for (const wake of this.waiters.splice(0)) wake();
        if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
        if (this.gate) await this.gate;
        res.statusCode = this.respond(call);
        res.end('ok');
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks/mailchimp?secret=s3cret`;
  }

  posts(): ReceivedCall[] {
    return this.calls.filter((c) => c.method === 'POST');
  }

  /** Resolves once `predicate` holds over the calls so far (rejects after `timeoutMs`). */
  async waitFor(predicate: (calls: ReceivedCall[]) => boolean, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.calls)) {
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `webhook receiver: condition not met; calls so far: ${JSON.stringify(this.calls.map((c) => [c.method, c.fields[0]]))}`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async handle(req: IncomingMessage): Promise<ReceivedCall> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return {
      method: req.method ?? '',
      path: req.url ?? '',
      userAgent: req.headers['user-agent'] ?? '',
      contentType: req.headers['content-type'] ?? '',
      fields: [...new URLSearchParams(text).entries()],
      at: Date.now(),
    };
  }
}
