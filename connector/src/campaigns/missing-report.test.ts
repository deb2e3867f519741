import fc from 'fast-check';
import {API_WORDING, cliWording, missingReportDetail, REPORTED_STATUSES} from './missing-report.js';

const STATUSES = ['save', 'paused', 'schedule', 'sending', 'sent', 'canceled', 'canceling'];

describe('what to say when a campaign has no stored report', () => {
  it('tells the CLI user about --refresh and the API user about ?refresh=1', () => {
    const missing = {campaignId: 'c1', status: 'sent', refreshed: false};
    expect(missingReportDetail(missing, cliWording('c1'))).toBe(
      'Campaign c1 went out (status sent); its report has not been pulled yet: pull it from Mailchimp with: npm run connector -- campaign-report --id c1 --refresh.',
    );
    expect(missingReportDetail(missing, API_WORDING)).toBe(
      'Campaign c1 went out (status sent); its report has not been pulled yet: add ?refresh=1 to pull it from Mailchimp.',
    );
  });

  it('says a draft has no report until it is sent', () => {
    expect(missingReportDetail({campaignId: 'c2', status: 'save', refreshed: true}, API_WORDING)).toMatch(
      /^Campaign c2 has not been sent yet \(status save\); Mailchimp makes its report once it is sent\./,
    );
  });

  it('names an unknown campaign as unknown, with how to list the campaigns', () => {
    expect(missingReportDetail({campaignId: 'x', status: undefined, refreshed: true}, cliWording('x'))).toBe(
      'Mailchimp has no campaign x; npm run connector -- campaigns --refresh lists the campaigns Mailchimp has.',
    );
  });

  it('never contradicts the status, and each client only hears its own way to refresh', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STATUSES, undefined),
        fc.boolean(),
        fc.stringMatching(/^[a-z0-9]{1,10}$/),
        (status, refreshed, campaignId) => {
          const missing = {campaignId, status, refreshed};
          const cli = missingReportDetail(missing, cliWording(campaignId));
          const api = missingReportDetail(missing, API_WORDING);
          expect(cli).not.toContain('?refresh');
          expect(api).not.toContain('--refresh');
          if (status !== undefined && REPORTED_STATUSES.has(status)) {
            expect(api).not.toMatch(/once it is sent|not been sent/);
          }
          if (status !== undefined) expect(api).toContain(`status ${status}`);
        },
      ),
    );
  });
});
