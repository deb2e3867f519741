import {keysetPage, type PageArgs} from '../query/keyset-page.js';
import {gid, isoTime, parseGid} from '../schema/scalars.js';
import type {WebhookSubscriptionRecord} from '../webhooks/webhook-subscriptions.js';
import {connectionOf, type ResolverContext} from './resolver-context.js';
import type {ResolverMap} from './resolver-map.js';

/**
 * Webhook subscriptions through GraphQL. Shopify's rules: one subscription per topic and address ("Address for
 * this topic has already been taken"), HTTPS addresses only. The stand-in also takes plain http to loopback hosts
 * (its tests' receivers); that message and the others marked below are the stand-in's wording (UNVERIFIED).
 */

type UserError = {field: string[] | null; message: string};

interface SubscriptionInput {
  callbackUrl?: string | null;
  uri?: string | null;
  format?: 'JSON' | 'XML' | null;
  includeFields?: string[] | null;
  metafieldNamespaces?: string[] | null;
  filter?: string | null;
}

interface ListArgs extends PageArgs {
  sortKey?: 'CREATED_AT' | 'ID' | null;
  callbackUrl?: string | null;
  uri?: string | null;
  format?: 'JSON' | 'XML' | null;
  topics?: string[] | null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function addressError(address: string | undefined): UserError | undefined {
  const field = ['webhookSubscription', 'callbackUrl'];
  if (!address) return {field, message: "Address can't be blank"};
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return {field, message: 'Address is invalid'};
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))) return undefined;
  // UNVERIFIED wording.
  return {field, message: `Address protocol ${url.protocol}// is not supported`};
}

function create(topic: string, input: SubscriptionInput, context: ResolverContext) {
  const address = input.callbackUrl ?? input.uri ?? undefined;
  const invalid = addressError(address);
  if (invalid) return {webhookSubscription: null, userErrors: [invalid]};
  const subscriptions = context.webhookSubscriptions;
  if (subscriptions.find(topic, address!)) {
    return {
      webhookSubscription: null,
      userErrors: [
        {field: ['webhookSubscription', 'callbackUrl'], message: 'Address for this topic has already been taken'},
      ],
    };
  }
  const record = subscriptions.add(
    {
      topic,
      callbackUrl: address!,
      format: input.format ?? 'JSON',
      includeFields: input.includeFields ?? [],
      filter: input.filter ?? null,
      apiVersion: context.apiVersion,
    },
    context.store.now(),
  );
  return {webhookSubscription: record, userErrors: []};
}

function remove(id: string, context: ResolverContext) {
  const numeric = parseGid(id, 'WebhookSubscription');
  if (numeric === undefined || !context.webhookSubscriptions.delete(numeric)) {
    // UNVERIFIED wording.
    return {
      deletedWebhookSubscriptionId: null,
      userErrors: [{field: ['id'], message: 'Webhook subscription does not exist'}],
    };
  }
  return {deletedWebhookSubscriptionId: id, userErrors: []};
}

function list(args: ListArgs, context: ResolverContext) {
  const topics = args.topics && args.topics.length > 0 ? new Set(args.topics) : undefined;
  const address = args.callbackUrl ?? args.uri ?? undefined;
  const matches = (record: WebhookSubscriptionRecord) =>
    (!topics || topics.has(record.topic)) &&
    (address === undefined || record.callbackUrl === address) &&
    (args.format == null || record.format === args.format);
  // Ids grow with creation time, so both sort keys are id order.
  const page = keysetPage(context.webhookSubscriptions.all(), (record) => record.id, 'number', matches, args);
  return connectionOf(page);
}

export const webhookResolvers: ResolverMap = {
  QueryRoot: {
    webhookSubscriptions: (_root: unknown, args: ListArgs, context: ResolverContext) => list(args, context),
    webhookSubscription: (_root: unknown, args: {id: string}, context: ResolverContext) => {
      const id = parseGid(args.id, 'WebhookSubscription');
      return id === undefined ? null : (context.webhookSubscriptions.get(id) ?? null);
    },
  },
  Mutation: {
    webhookSubscriptionCreate: (
      _root: unknown,
      args: {topic: string; webhookSubscription: SubscriptionInput},
      context: ResolverContext,
    ) => create(args.topic, args.webhookSubscription, context),
    webhookSubscriptionDelete: (_root: unknown, args: {id: string}, context: ResolverContext) =>
      remove(args.id, context),
  },
  WebhookSubscription: {
    id: (s: WebhookSubscriptionRecord) => gid('WebhookSubscription', s.id),
    legacyResourceId: (s: WebhookSubscriptionRecord) => String(s.id),
    endpoint: (s: WebhookSubscriptionRecord) => ({__typename: 'WebhookHttpEndpoint', callbackUrl: s.callbackUrl}),
    uri: (s: WebhookSubscriptionRecord) => s.callbackUrl,
    metafieldNamespaces: () => [],
    apiVersion: (s: WebhookSubscriptionRecord) => ({displayName: s.apiVersion, handle: s.apiVersion, supported: true}),
    createdAt: (s: WebhookSubscriptionRecord) => isoTime(s.createdAt),
    updatedAt: (s: WebhookSubscriptionRecord) => isoTime(s.updatedAt),
  },
};
