import type {CliCommand} from '../cli-command.js';
import {backfillCommand} from './backfill.js';
import {mailchimpDcCommand} from './mailchimp-dc.js';
import {audienceStatsCommand} from './audience-stats.js';
import {campaignReportCommand} from './campaign-report.js';
import {campaignsCommand} from './campaigns.js';
import {mailchimpWebhookCommand} from './mailchimp-webhook.js';
import {promoSendCommand} from './promo-send.js';
import {segmentCreateCommand} from './segment-create.js';
import {segmentShowCommand} from './segment-show.js';
import {segmentsCommand} from './segments.js';
import {
  deadLetterDiscardCommand,
  deadLetterRetryCommand,
  deadLettersCommand,
  readinessCommand,
  replayCommand,
  statusCommand,
} from './operator-commands.js';

/** Every CLI command, by name. Add a command: one file in this folder, one line here. */
export const COMMANDS: readonly CliCommand[] = [
  statusCommand,
  readinessCommand,
  deadLettersCommand,
  deadLetterRetryCommand,
  deadLetterDiscardCommand,
  replayCommand,
  backfillCommand,
  segmentCreateCommand,
  segmentShowCommand,
  segmentsCommand,
  promoSendCommand,
  campaignsCommand,
  campaignReportCommand,
  audienceStatsCommand,
  mailchimpWebhookCommand,
  mailchimpDcCommand,
];
