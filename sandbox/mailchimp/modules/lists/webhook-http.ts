import {request as httpRequest} from 'node:http';
import {request as httpsRequest} from 'node:https';

export interface OutgoingCall {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * One HTTP call to a webhook receiver: its status code, or 0 when there was no answer in time (connection refused,
 * reset, timeout, cancelled). A fresh connection each time (no keep-alive), as a far-away sender would open, and
 * nothing left behind that would hold the process open.
 */
export function callWebhook(call: OutgoingCall): Promise<number> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(call.url);
    } catch {
      resolve(0);
      return;
    }
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = {...call.headers};
    if (call.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(call.body));
    let settled = false;
    const done = (status: number) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
      resolve(status);
    };
    const req = send(url, {method: call.method, headers: {...headers, Connection: 'close'}, agent: false}, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
      res.on('error', () => done(res.statusCode ?? 0));
    });
    const timer = setTimeout(() => {
      req.destroy();
      done(0);
    }, call.timeoutMs);
    const onAbort = () => {
      req.destroy();
      done(0);
    };
    call.signal?.addEventListener('abort', onAbort);
    req.on('error', () => done(0));
    if (call.body !== undefined) req.write(call.body);
    req.end();
  });
}
