import type {ShopifySandbox} from '../index.js';

/** Test helper: one raw GraphQL request to the stand-in, as any HTTP client would send it. */

export interface GraphqlReply {
  status: number;
  // Tests read arbitrary response shapes.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export async function adminRequest(
  sandbox: ShopifySandbox,
  query: string,
  variables: Record<string, unknown> = {},
  token = sandbox.accessToken,
): Promise<GraphqlReply> {
  const response = await fetch(sandbox.graphqlUrl(), {
    method: 'POST',
    headers: {'Content-Type': 'application/json', 'X-Shopify-Access-Token': token},
    body: JSON.stringify({query, variables}),
  });
  return {status: response.status, body: await response.json()};
}

/** Pages through a top-level connection with `nodes`/`pageInfo`, returning every node. */
export async function pageThrough(
  sandbox: ShopifySandbox,
  field: string,
  selection: string,
  args = '',
  pageSize = 50,
): Promise<Array<Record<string, unknown>>> {
  const nodes: Array<Record<string, unknown>> = [];
  let after: string | null = null;
  for (;;) {
    const reply: GraphqlReply = await adminRequest(
      sandbox,
      `query Page($after: String) { ${field}(first: ${pageSize}, after: $after${args ? `, ${args}` : ''}) { nodes { ${selection} } pageInfo { hasNextPage endCursor } } }`,
      {after},
    );
    if (reply.body.errors) throw new Error(JSON.stringify(reply.body.errors));
    const connection = reply.body.data[field];
    nodes.push(...connection.nodes);
    if (!connection.pageInfo.hasNextPage) return nodes;
    after = connection.pageInfo.endCursor;
  }
}
