/**
 * What to tell someone who asked for a campaign's report when none is stored. Mailchimp makes a report once a
 * campaign has gone out; until then the answer depends on the campaign's status, and on whether the asker already
 * pulled from Mailchimp. The same facts are told to an HTTP client (`?refresh=1`) and to the CLI (`--refresh`):
 * the operator API sends the facts (campaign_status, refreshed) with its problem document and each client words
 * the action in its own terms, so the CLI never tells its user to add a query parameter.
 */

/** Statuses Mailchimp has a report for (a campaign that started going out). */
export const REPORTED_STATUSES: ReadonlySet<string> = new Set(['sent', 'sending', 'canceled', 'canceling']);

export interface MissingReport {
  campaignId: string;
  /** The stored campaign's status; undefined when no campaign with that id is stored. */
  status: string | undefined;
  /** Whether this request already pulled from Mailchimp. */
  refreshed: boolean;
}

/** How a client asks again with a pull from Mailchimp: the API's query parameter or the CLI's flag. */
export interface RefreshWording {
  /** Pull this campaign's report, e.g. "add ?refresh=1" or "run it again with --refresh". */
  pullReport: string;
  /** Pull the list of campaigns, e.g. "GET /v1/campaigns?refresh=1". */
  pullCampaigns: string;
}

export const API_WORDING: RefreshWording = {
  pullReport: 'add ?refresh=1 to pull it from Mailchimp',
  pullCampaigns: 'GET /v1/campaigns?refresh=1 lists the campaigns Mailchimp has',
};

export function cliWording(campaignId: string): RefreshWording {
  return {
    pullReport: `pull it from Mailchimp with: npm run connector -- campaign-report --id ${campaignId} --refresh`,
    pullCampaigns: 'npm run connector -- campaigns --refresh lists the campaigns Mailchimp has',
  };
}

export function missingReportDetail(missing: MissingReport, wording: RefreshWording): string {
  const {campaignId: id, status, refreshed} = missing;
  if (status === undefined) {
    return refreshed
      ? `Mailchimp has no campaign ${id}; ${wording.pullCampaigns}.`
      : `No campaign ${id} is stored here; ${wording.pullReport}, or ${wording.pullCampaigns}.`;
  }
  if (!REPORTED_STATUSES.has(status)) {
    // Pulling now cannot help: there is nothing to report before the campaign goes out.
    return `Campaign ${id} has not been sent yet (status ${status}); Mailchimp makes its report once it is sent. Then ${wording.pullReport}.`;
  }
  return refreshed
    ? `Campaign ${id} went out (status ${status}) but Mailchimp has no report for it yet; try again in a few minutes: ${wording.pullReport}.`
    : `Campaign ${id} went out (status ${status}); its report has not been pulled yet: ${wording.pullReport}.`;
}
