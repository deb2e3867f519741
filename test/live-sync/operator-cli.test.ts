import {once} from 'node:events';
import type {Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {runCli} from '../../connector/src/cli/run-cli.js';
import {startTestConnector, type TestConnector} from '../support/connector.js';
import {customerPayload} from '../support/shopify-webhooks.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: (env: Record<string, string>) => ({
      stdout: {write: (t: string) => out.push(t)},
      stderr: {write: (t: string) => err.push(t)},
      env,
    }),
  };
}

describe('operator CLI against a running connector', () => {
  let t: TestConnector;
  let server: Server;
  let env: Record<string, string>;
  beforeEach(async () => {
    t = await startTestConnector();
    server = t.connector.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    env = {CONNECTOR_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, ADMIN_TOKEN: t.adminToken};
  });
  afterEach(async () => {
    server.close();
    await t.close();
  });

  it('prints the sync status and replays a stored event', async () => {
    await t.webhook(
      'customers/create',
      customerPayload({id: '1', email: 'cli@shop.test', updatedAt: '2026-11-01T00:00:00Z'}),
    );
    await t.settle();
    const status = capture();
    expect(await runCli(['status'], status.io(env))).toBe(0);
    const parsed = JSON.parse(status.out.join('')) as {
      entities: Record<string, Record<string, number>>;
      inbox: Record<string, number>;
    };
    expect(parsed.entities.customer).toEqual({synced: 1});
    expect(parsed.inbox).toEqual({processed: 1});

    const replay = capture();
    expect(await runCli(['replay', '--id', '1'], replay.io(env))).toBe(0);
    expect(JSON.parse(replay.out.join(''))).toEqual({id: 1, status: 'pending'});
  });

  it('lists, retries and discards dead letters, and reports errors with exit codes', async () => {
    await t.connector.syncState.upsertDesired({
      connectionId: t.connection.id,
      entityType: 'mystery',
      entityId: 'm1',
      desired: '{}',
      version: '2026-11-01T00:00:00Z',
      hash: 'h',
      now: new Date().toISOString(),
    });
    await t.settle();
    const list = capture();
    expect(await runCli(['dead-letters'], list.io(env))).toBe(0);
    const letters = (JSON.parse(list.out.join('')) as {deadLetters: Array<{id: number; entity_type: string}>})
      .deadLetters;
    expect(letters.map((l) => l.entity_type)).toEqual(['mystery']);

    const retry = capture();
    expect(await runCli(['dead-letter-retry', '--id', String(letters[0]!.id)], retry.io(env))).toBe(0);
    const again = capture();
    expect(await runCli(['dead-letter-discard', '--id', String(letters[0]!.id)], again.io(env))).toBe(1);
    expect(again.err.join('')).toMatch(/409 Dead letter \d+ was already retried/);

    const badId = capture();
    expect(await runCli(['replay', '--id', 'x'], badId.io(env))).toBe(2);
    const noToken = capture();
    expect(await runCli(['status'], noToken.io({CONNECTOR_URL: env.CONNECTOR_URL!}))).toBe(2);
    const wrongToken = capture();
    expect(await runCli(['status', '--token', 'wrong-token-0123456789abcdef'], wrongToken.io(env))).toBe(1);
    expect(wrongToken.err.join('')).toMatch(/401/);
  });
});
