import type {ListRecord, SandboxState} from './state.js';

export interface NewListInput {
  name: string;
  contact?: Record<string, unknown>;
  permission_reminder?: string;
  campaign_defaults?: {from_name: string; from_email: string; subject: string; language: string};
  email_type_option?: boolean;
  double_optin?: boolean;
  marketing_permissions?: boolean;
  use_archive_bar?: boolean;
  visibility?: string;
  notify_on_subscribe?: string;
  notify_on_unsubscribe?: string;
}

/**
 * A new audience with Mailchimp's default merge fields (FNAME, LNAME, ADDRESS, PHONE), stored in the state.
 * Used by POST /lists and by tests and demos that need an audience without going through HTTP.
 */
export function createListRecord(state: SandboxState, input: NewListInput): ListRecord {
  const id = state.newId(10);
  const list: ListRecord = {
    id,
    web_id: state.nextNumber(),
    name: input.name,
    contact: input.contact ?? {
      company: input.name,
      address1: '1 Loopback Way',
      city: 'Localhost',
      state: 'LH',
      zip: '00000',
      country: 'US',
    },
    permission_reminder: input.permission_reminder ?? 'You signed up on our store.',
    use_archive_bar: input.use_archive_bar ?? true,
    campaign_defaults: input.campaign_defaults ?? {
      from_name: input.name,
      from_email: 'shop@sandbox.invalid',
      subject: '',
      language: 'en',
    },
    email_type_option: input.email_type_option ?? false,
    double_optin: input.double_optin ?? false,
    marketing_permissions: input.marketing_permissions ?? false,
    visibility: input.visibility ?? 'pub',
    notify_on_subscribe: input.notify_on_subscribe ?? '',
    notify_on_unsubscribe: input.notify_on_unsubscribe ?? '',
    date_created: state.timestamp(),
    members: new Map(),
    forgotten: new Set(),
    mergeFields: new Map(),
    segments: new Map(),
    webhooks: new Map(),
  };
  const defaults: Array<[string, string, string]> = [
    ['FNAME', 'First Name', 'text'],
    ['LNAME', 'Last Name', 'text'],
    ['ADDRESS', 'Address', 'address'],
    ['PHONE', 'Phone Number', 'phone'],
  ];
  defaults.forEach(([tag, name, type], i) => {
    list.mergeFields.set(tag, {
      merge_id: i + 1,
      tag,
      name,
      type,
      required: false,
      default_value: '',
      public: true,
      display_order: i + 2,
      options: type === 'address' ? {default_country: 164} : {},
      help_text: '',
      list_id: id,
    });
  });
  state.lists.set(id, list);
  return list;
}
