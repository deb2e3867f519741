import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {randomUUID} from 'node:crypto';
import request from 'supertest';
import {createMailchimpSandbox, type MailchimpSandboxOptions, type Sandbox} from '../../sandbox/mailchimp/index.js';

/** Where every test sandbox leaves the requests it received, for the OpenAPI conformance check. */
export const RECORDED_REQUESTS_DIR = join(process.cwd(), 'artifacts', 'sandbox-requests');

export interface TestSandbox {
  sandbox: Sandbox;
  baseUrl: string;
  apiKey: string;
  /** `Authorization` header value for the sandbox key. */
  auth: string;
  /** supertest against the sandbox origin (`/3.0/...` and `/__sandbox/...`). */
  http(): ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * Starts a Mailchimp sandbox on a free loopback port for a test. On close it writes what it received to
 * artifacts/sandbox-requests/, which the conformance run validates against the OpenAPI description.
 * Every test that talks to the sandbox should start it through here.
 */
export async function startTestSandbox(options: MailchimpSandboxOptions = {}): Promise<TestSandbox> {
  const sandbox = createMailchimpSandbox({batchStepMs: 5, webhookRetryDelaysMs: [20, 40, 80], ...options});
  const baseUrl = await sandbox.listen();
  return {
    sandbox,
    baseUrl,
    apiKey: sandbox.apiKey,
    auth: `Basic ${Buffer.from(`test:${sandbox.apiKey}`).toString('base64')}`,
    http: () => request(sandbox.origin()),
    async close() {
      const entries = sandbox.recorder.all();
      if (entries.length > 0) {
        mkdirSync(RECORDED_REQUESTS_DIR, {recursive: true});
        writeFileSync(
          join(RECORDED_REQUESTS_DIR, `${randomUUID()}.jsonl`),
          entries.map((e) => JSON.stringify(e)).join('\n') + '\n',
        );
      }
      await sandbox.close();
    },
  };
}
