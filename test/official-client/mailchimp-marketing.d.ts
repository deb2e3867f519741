/**
 * The part of the official client `@mailchimp/mailchimp_marketing` 3.0.80 these tests drive (the package ships no
 * types; DefinitelyTyped's are partial and wrong in places, see ../shared/notes/mailchimp-api.md §8). Responses are
 * `unknown` on purpose: the tests look at them as Mailchimp documents them, not as a type promises.
 * Argument orders are the client's own (src/api/*Api.js).
 */
declare module '@mailchimp/mailchimp_marketing' {
  type Body = Record<string, unknown>;
  type Opts = Record<string, unknown>;

  interface MailchimpMarketingClient {
    /** Replaces the whole configuration; without `server` the client leaves `basePath` alone. */
    setConfig(config: {apiKey?: string; accessToken?: string; server?: string}): void;
    basePath: string;
    ping: {get(): Promise<unknown>};
    lists: {
      createList(body: Body): Promise<unknown>;
      setListMember(listId: string, subscriberHash: string, body: Body, opts?: Opts): Promise<unknown>;
      getListMember(listId: string, subscriberHash: string, opts?: Opts): Promise<unknown>;
      updateListMemberTags(listId: string, subscriberHash: string, body: Body): Promise<unknown>;
      getListMemberTags(listId: string, subscriberHash: string, opts?: Opts): Promise<unknown>;
    };
    ecommerce: {
      addStore(body: Body): Promise<unknown>;
      addStoreProduct(storeId: string, body: Body): Promise<unknown>;
      addStoreOrder(storeId: string, body: Body): Promise<unknown>;
      getOrder(storeId: string, orderId: string, opts?: Opts): Promise<unknown>;
    };
    batches: {
      start(body: Body): Promise<unknown>;
      status(batchId: string, opts?: Opts): Promise<unknown>;
    };
  }

  const client: MailchimpMarketingClient;
  export default client;
}
