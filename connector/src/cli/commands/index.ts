import type {CliCommand} from '../cli-command.js';
import {mailchimpDcCommand} from './mailchimp-dc.js';

/** Every CLI command, by name. Add a command: one file in this folder, one line here. */
export const COMMANDS: readonly CliCommand[] = [mailchimpDcCommand];
