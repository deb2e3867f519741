import {createHash} from 'node:crypto';
import {once} from 'node:events';
import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {createListRecord} from '../sandbox/mailchimp/core/lists.js';
import {createMailchimpSandbox} from '../sandbox/mailchimp/index.js';
import {driveLoad, statusSummary, type Figure, type LoadResult} from './harness.js';

export const name = 'sandbox-throughput';
export const description =
  'Mailchimp sandbox in-process (no recording, no latency): GET /3.0/ping and PUT member over 10 keep-alive connections, against a bare node:http server answering the same JSON.';

/** The issue's target for the sandbox: fast enough that tests and demos are never waiting on it. */
const TARGET_PER_SECOND = 2_000;
const CONNECTIONS = 10; // Mailchimp's simultaneous-connection limit, which the sandbox enforces
const PING_REQUESTS = 20_000;
const MEMBER_REQUESTS = 10_000;
const MEMBER_ADDRESSES = 1_000; // first pass creates, later passes update
const WARMUP = 2_000;

const PING_BODY = JSON.stringify({health_status: "Everything's Chimpy!"});

async function startBareServer(): Promise<{server: Server; url: string}> {
  const server = createServer((req, res) => {
    req.resume();
    req.once('end', () => {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(PING_BODY),
      });
      res.end(PING_BODY);
    });
  });
  server.keepAliveTimeout = 5_000;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/3.0/ping`};
}

function loadFigures(label: string, result: LoadResult, okStatus: number): Figure[] {
  const failed = result.requests - (result.statuses[okStatus] ?? 0);
  return [
    {
      label: `${label}: throughput`,
      value: Math.round(result.perSecond),
      unit: 'req/s',
      note: `${result.requests} requests in ${result.seconds.toFixed(2)} s`,
    },
    {label: `${label}: latency p50`, value: Number(result.p50Ms.toFixed(2)), unit: 'ms'},
    {
      label: `${label}: latency p99`,
      value: Number(result.p99Ms.toFixed(2)),
      unit: 'ms',
      note: `max ${result.maxMs.toFixed(1)} ms`,
    },
    ...(failed > 0
      ? [{label: `${label}: unexpected answers`, value: failed, note: statusSummary(result.statuses)}]
      : []),
  ];
}

export async function run(): Promise<Figure[]> {
  const sandbox = createMailchimpSandbox({recordRequests: false});
  const baseUrl = await sandbox.listen();
  const bare = await startBareServer();
  const auth = {authorization: `Basic ${Buffer.from(`bench:${sandbox.apiKey}`).toString('base64')}`};
  const figures: Figure[] = [];
  try {
    const bareResult = await driveLoad({url: bare.url, total: PING_REQUESTS, concurrency: CONNECTIONS, warmup: WARMUP});
    const pingResult = await driveLoad({
      url: `${baseUrl}/ping`,
      headers: auth,
      total: PING_REQUESTS,
      concurrency: CONNECTIONS,
      warmup: WARMUP,
    });
    figures.push(...loadFigures('GET /3.0/ping, sandbox', pingResult, 200));
    figures.push(...loadFigures('GET /3.0/ping, bare node:http', bareResult, 200));
    figures.push({
      label: 'sandbox / bare node:http',
      value: Number((pingResult.perSecond / bareResult.perSecond).toFixed(2)),
      unit: '×',
    });
    figures.push({
      label: `target ≥ ${TARGET_PER_SECOND.toLocaleString('en')} req/s (ping)`,
      value: pingResult.perSecond >= TARGET_PER_SECOND ? 'met' : 'NOT met',
      note: `${Math.round(pingResult.perSecond)} req/s`,
    });

    // A write route: the members upsert, which runs request validation and the member rules.
    const list = createListRecord(sandbox.state, {name: 'Benchmark audience'});
    const emails = Array.from({length: MEMBER_ADDRESSES}, (_, i) => `bench.${i}@shop.example`);
    const hashes = emails.map((e) => createHash('md5').update(e).digest('hex'));
    const memberUrl = (i: number) => `${baseUrl}/lists/${list.id}/members/${hashes[i % MEMBER_ADDRESSES]}`;
    const memberBody = (i: number) =>
      JSON.stringify({
        email_address: emails[i % MEMBER_ADDRESSES],
        status_if_new: 'subscribed',
        merge_fields: {FNAME: `Buyer ${i}`},
      });
    const probe = await driveLoad({
      url: memberUrl(0),
      urlFor: memberUrl,
      method: 'PUT',
      headers: auth,
      body: memberBody,
      total: 1,
      concurrency: 1,
    });
    if (!probe.statuses[200]) {
      figures.push({
        label: 'PUT member',
        value: 'skipped',
        note: `the sandbox answered ${statusSummary(probe.statuses)} (lists module missing?)`,
      });
    } else {
      const memberResult = await driveLoad({
        url: memberUrl(0),
        urlFor: memberUrl,
        method: 'PUT',
        headers: auth,
        body: memberBody,
        total: MEMBER_REQUESTS,
        concurrency: CONNECTIONS,
        warmup: WARMUP,
      });
      figures.push(...loadFigures(`PUT member (${MEMBER_ADDRESSES} addresses), sandbox`, memberResult, 200));
    }
  } finally {
    await sandbox.close();
    bare.server.closeAllConnections();
    await new Promise<void>((resolve) => bare.server.close(() => resolve()));
  }
  return figures;
}
