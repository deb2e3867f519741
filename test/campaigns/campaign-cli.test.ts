import {runCli} from '../../connector/src/cli/run-cli.js';
import {loadFixtureStore, startCampaignHarness, type CampaignHarness} from './campaign-harness.js';

function capture(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {stdout: {write: (t: string) => out.push(t)}, stderr: {write: (t: string) => err.push(t)}, env},
    json: () => JSON.parse(out.join('')) as Record<string, unknown>,
  };
}

describe('segments, promo sends and statistics from the CLI (clients of the operator API)', () => {
  let t: CampaignHarness;
  let env: Record<string, string>;
  beforeAll(async () => {
    t = await startCampaignHarness();
    await loadFixtureStore(t);
    env = {CONNECTOR_URL: t.origin, ADMIN_TOKEN: t.adminToken};
  });
  afterAll(() => t.close());

  it('creates and shows a segment, sends a promo to it, and reads the campaign report and audience stats', async () => {
    const create = capture(env);
    expect(
      await runCli(
        [
          'segment-create',
          '--name',
          'Repeat buyers',
          '--match',
          'all',
          '--condition',
          '{"type":"order_count","op":"greater","value":1}',
        ],
        create.io,
      ),
    ).toBe(0);
    const segment = create.json() as {id: number; preview: {local_count: number; mailchimp_count: number}};
    expect(segment.preview).toMatchObject({local_count: 2, mailchimp_count: 2});

    const show = capture(env);
    expect(await runCli(['segment-show', '--id', String(segment.id)], show.io)).toBe(0);
    expect(show.json()).toMatchObject({id: segment.id, name: 'Repeat buyers', preview: {local_count: 2}});
    const list = capture(env);
    expect(await runCli(['segments'], list.io)).toBe(0);
    expect((list.json().segments as unknown[]).length).toBe(1);

    const promo = [
      'promo-send',
      '--segment-id',
      String(segment.id),
      '--code',
      'LOYAL10',
      '--discount-type',
      'fixed',
      '--discount-amount',
      '10',
      '--subject',
      'Thanks',
      '--from-name',
      'Shop',
      '--reply-to',
      'shop@shop.test',
    ];
    const dry = capture(env);
    expect(await runCli([...promo, '--dry-run'], dry.io)).toBe(0);
    expect(dry.json()).toMatchObject({dry_run: true});
    const noKey = capture(env);
    expect(await runCli(promo, noKey.io)).toBe(2);
    expect(noKey.err.join('')).toMatch(/--idempotency-key is required/);
    const sent = capture(env);
    expect(await runCli([...promo, '--idempotency-key', 'cli-loyal-1', '--test-email', 'qa@shop.test'], sent.io)).toBe(
      0,
    );
    const result = sent.json() as {campaign: {id: string; status: string}};
    expect(result.campaign.status).toBe('sent');
    const again = capture(env);
    expect(await runCli([...promo, '--idempotency-key', 'cli-loyal-1', '--test-email', 'qa@shop.test'], again.io)).toBe(
      0,
    );
    expect(again.json()).toEqual(sent.json());
    // The repeated command says its answer is the earlier send's, on stderr; the first one does not.
    expect(again.err.join('')).toMatch(
      /^promo-send: replayed: --idempotency-key cli-loyal-1 was used before; .*nothing was sent again\n$/,
    );
    expect(sent.err.join('')).toBe('');

    // Before its report is pulled, the CLI says how to pull it in CLI terms, without contradicting the status.
    const early = capture(env);
    expect(await runCli(['campaign-report', '--id', result.campaign.id], early.io)).toBe(1);
    const earlyText = early.err.join('');
    expect(earlyText).toContain(`campaign-report --id ${result.campaign.id} --refresh`);
    expect(earlyText).toContain('status sent');
    expect(earlyText).not.toContain('?refresh=1');
    expect(earlyText).not.toMatch(/once it is sent|not been sent/);

    const campaigns = capture(env);
    expect(await runCli(['campaigns', '--refresh'], campaigns.io)).toBe(0);
    expect(campaigns.json().campaigns).toEqual([
      expect.objectContaining({id: result.campaign.id, report: expect.objectContaining({emails_sent: 2})}),
    ]);
    const report = capture(env);
    expect(await runCli(['campaign-report', '--id', result.campaign.id], report.io)).toBe(0);
    expect(report.json()).toMatchObject({report: {emails_sent: 2, ecommerce: {orders: 0}}});

    const audience = capture(env);
    expect(await runCli(['audience-stats', '--refresh'], audience.io)).toBe(0);
    expect(audience.json()).toMatchObject({latest: {member_count: 5, unsubscribe_count: 1}});

    const hook = capture(env);
    expect(await runCli(['mailchimp-webhook', '--check'], hook.io)).toBe(0);
    expect(hook.json()).toMatchObject({status: 'registered', repair: 'created'});
  });

  it('finds the connector from PORT as the service does, when neither --url nor CONNECTOR_URL is given', async () => {
    const port = new URL(t.origin).port;
    const viaPort = capture({PORT: port, ADMIN_TOKEN: t.adminToken});
    expect(await runCli(['segments'], viaPort.io)).toBe(0);
    expect(viaPort.json()).toHaveProperty('segments');
    // An explicit --url still wins over PORT (and CONNECTOR_URL): nothing listens on port 9 (discard).
    const explicit = capture({PORT: port, CONNECTOR_URL: t.origin, ADMIN_TOKEN: t.adminToken});
    expect(await runCli(['segments', '--url', 'http://127.0.0.1:9'], explicit.io)).toBe(1);
    expect(explicit.err.join('')).toContain('cannot reach the connector at http://127.0.0.1:9');
  });

  it('reports invalid input with the offending fields and exit code 1, bad usage with 2', async () => {
    const invalid = capture(env);
    expect(
      await runCli(['segment-create', '--name', 'Bad', '--match', 'some', '--condition', '{"type":"tag"}'], invalid.io),
    ).toBe(1);
    expect(invalid.err.join('')).toMatch(/400 The segment definition is invalid\./);
    expect(invalid.err.join('')).toMatch(/\n {2}match: /);
    expect(invalid.err.join('')).toMatch(/\n {2}conditions\.0\.tag: /);
    const notJson = capture(env);
    expect(
      await runCli(['segment-create', '--name', 'Bad', '--match', 'all', '--condition', '{type'], notJson.io),
    ).toBe(2);
    const offQuarter = capture(env);
    expect(
      await runCli(
        [
          'promo-send',
          '--idempotency-key',
          'k',
          '--segment-id',
          '1',
          '--code',
          'X',
          '--discount-type',
          'fixed',
          '--discount-amount',
          '1',
          '--subject',
          's',
          '--from-name',
          'f',
          '--reply-to',
          'r@shop.test',
          '--send-at',
          '2030-01-01T10:10:00Z',
        ],
        offQuarter.io,
      ),
    ).toBe(1);
    expect(offQuarter.err.join('')).toMatch(/400 send_at must fall on a quarter hour/);
    const missingId = capture(env);
    expect(await runCli(['campaign-report'], missingId.io)).toBe(2);
  });
});
