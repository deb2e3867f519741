import {SANDBOX_ACCOUNT} from '../core/account.js';
import type {SandboxModule} from '../core/module.js';

/** API root and health check. */
export const rootModule: SandboxModule = {
  name: 'root',
  routes: (ctx) => [
    {
      method: 'GET',
      path: '/',
      handler: (_req, state) => ({
        status: 200,
        body: {
          account_id: 'sandbox0account',
          login_id: 'sandbox0login',
          account_name: SANDBOX_ACCOUNT.accountName,
          email: SANDBOX_ACCOUNT.email,
          first_name: 'Sandbox',
          last_name: 'Owner',
          username: SANDBOX_ACCOUNT.username,
          role: SANDBOX_ACCOUNT.role,
          member_since: state.timestamp(new Date(0)),
          pricing_plan_type: 'monthly',
          account_timezone: 'UTC',
          account_industry: 'Ecommerce',
          contact: {
            company: 'Sandbox',
            addr1: '1 Loopback Way',
            city: 'Localhost',
            state: 'LH',
            zip: '00000',
            country: 'US',
          },
          pro_enabled: false,
          last_login: state.timestamp(),
          total_subscribers: [...state.lists.values()].reduce(
            (n, l) => n + [...l.members.values()].filter((m) => m.status === 'subscribed').length,
            0,
          ),
          _links: [{rel: 'self', href: `${ctx.origin()}/3.0/`, method: 'GET'}],
        },
      }),
    },
    {method: 'GET', path: '/ping', handler: () => ({status: 200, body: {health_status: "Everything's Chimpy!"}})},
  ],
};
