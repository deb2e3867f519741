import type {CliCommand} from '../cli-command.js';
import {backfillCommand} from './backfill.js';
import {mailchimpDcCommand} from './mailchimp-dc.js';
import {deadLetterDiscardCommand, deadLetterRetryCommand, deadLettersCommand, replayCommand, statusCommand} from './operator-commands.js';

/** Every CLI command, by name. Add a command: one file in this folder, one line here. */
export const COMMANDS: readonly CliCommand[] = [
  statusCommand,
  deadLettersCommand,
  deadLetterRetryCommand,
  deadLetterDiscardCommand,
  replayCommand,
  backfillCommand,
  mailchimpDcCommand,
];
