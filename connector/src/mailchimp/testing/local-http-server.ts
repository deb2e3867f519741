import {createServer, type IncomingMessage, type ServerResponse} from 'node:http';
import type {AddressInfo} from 'node:net';

/** Test-only: a real HTTP server on 127.0.0.1:0 that records what it receives and how many requests overlap. */
export interface ReceivedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** performance.now() at arrival. */
  at: number;
}

export type Handler = (request: ReceivedRequest, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface LocalHttpServer {
  /** Origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  requests: ReceivedRequest[];
  /** Highest number of requests in progress at the same time. */
  peakInFlight(): number;
  inFlight(): number;
  close(): Promise<void>;
}

export async function startLocalHttpServer(handler: Handler): Promise<LocalHttpServer> {
  const requests: ReceivedRequest[] = [];
  let inFlight = 0;
  let peak = 0;
  const server = createServer((req, res) => {
    const arrived = performance.now();
    inFlight += 1;
    peak = Math.max(peak, inFlight);
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        inFlight -= 1;
      }
    };
    res.on('finish', finish);
    res.on('close', finish);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: arrived,
      };
      requests.push(received);
      Promise.resolve(handler(received, res, req)).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 599, {title: 'test handler failed', detail: String(error)});
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    peakInFlight: () => peak,
    inFlight: () => inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Mailchimp-style application/problem+json. */
export function sendProblem(
  res: ServerResponse,
  status: number,
  title: string,
  detail: string,
  extra: {errors?: Array<{field: string; message: string}>; headers?: Record<string, string>} = {},
): void {
  const body = {
    type: 'https://mailchimp.com/developer/marketing/docs/errors/',
    title,
    status,
    detail,
    instance: 'test-instance',
    ...(extra.errors ? {errors: extra.errors} : {}),
  };
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/problem+json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...extra.headers,
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}
