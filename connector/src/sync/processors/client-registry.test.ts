import pino from 'pino';
import {AccountLimiters} from '../../mailchimp/account-limiters.js';
import {sendJson, startLocalHttpServer, type LocalHttpServer} from '../../mailchimp/testing/local-http-server.js';
import {SecretBox} from '../../security/secret-box.js';
import {ConnectionsRepository, mailchimpAccountKey} from '../../store/connections-repository.js';
import {openStore, type Store} from '../../store/database.js';
import {ClientRegistry, type CredentialsRefusal} from './client-registry.js';

const GOOD = 'good-token-0123456789';
const NEW = 'new-token-9876543210';

let server: LocalHttpServer;
let store: Store;
let connections: ConnectionsRepository;
let limiters: AccountLimiters;

beforeAll(async () => {
  server = await startLocalHttpServer((req, res) =>
    req.headers.authorization === `Bearer ${GOOD}` || req.headers.authorization === `Bearer ${NEW}`
      ? sendJson(res, 200, {health_status: 'ok'})
      : sendJson(res, 401, {title: 'API Key Invalid', status: 401}),
  );
});
afterAll(() => server.close());
beforeEach(async () => {
  store = await openStore({url: 'sqlite::memory:'});
  connections = new ConnectionsRepository(store.db, SecretBox.fromBase64(SecretBox.generateKey()));
  limiters = new AccountLimiters({maxConcurrent: 2});
});
afterEach(async () => {
  await limiters.close();
  await store.close();
});

const oauth = (accessToken: string) => ({
  kind: 'oauth' as const,
  accessToken,
  dc: 'us1',
  baseUrl: `${server.origin}/3.0`,
});

describe('client registry', () => {
  it('reports a 401 with the refused credentials, drops that client, and rebuilds when the stored credentials change', async () => {
    const now = new Date().toISOString();
    const installed = await connections.installShop('r.myshopify.com', {apiSecret: 's'}, now);
    await connections.connectMailchimp(installed.id, oauth('revoked-token-000'), 'Acct', now);
    const refusals: CredentialsRefusal[] = [];
    const registry = new ClientRegistry({
      connections,
      limiters,
      logger: pino({level: 'silent'}),
      retry: {maxAttempts: 1},
      onCredentialsRefused: (refusal) => {
        refusals.push(refusal);
        return Promise.resolve();
      },
    });

    const first = await registry.clientFor((await connections.byId(installed.id))!);
    expect(await registry.clientFor((await connections.byId(installed.id))!)).toBe(first);
    await expect(first.ping()).rejects.toMatchObject({kind: 'auth', status: 401});
    await registry.refusalSettled(installed.id);
    expect(refusals).toEqual([
      {
        connectionId: installed.id,
        accountKey: mailchimpAccountKey(oauth('revoked-token-000')),
        method: 'GET',
        route: '/ping',
      },
    ]);

    // The refused client is not handed out again; the reconnect's token is used.
    await connections.connectMailchimp(installed.id, oauth(GOOD), 'Acct', now);
    const second = await registry.clientFor((await connections.byId(installed.id))!);
    expect(second).not.toBe(first);
    await expect(second.ping()).resolves.toMatchObject({health_status: 'ok'});
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${GOOD}`);

    // Credentials changed by another process (no forget() here): the account key differs, the client is rebuilt.
    await connections.connectMailchimp(installed.id, oauth(NEW), 'Acct', now);
    const third = await registry.clientFor((await connections.byId(installed.id))!);
    expect(third).not.toBe(second);
    await third.ping();
    expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${NEW}`);
  });
});
