import {createHash} from 'node:crypto';
import type {SubscriberHash} from '../model/ids.js';

/**
 * Mailchimp's member id: the MD5 of the lower-cased address. Hashing without lower-casing makes PUT answer
 * "Member Exists" for a contact that is already there (mailchimp-api.md §2.1).
 */
export function subscriberHash(email: string): SubscriberHash {
  return createHash('md5').update(email.toLowerCase(), 'utf8').digest('hex') as SubscriberHash;
}
