import { ok, type RouteModule } from './kit.js';

/** Get Gateway and Get Gateway Bot. */
export const gatewayRoutes: RouteModule = ({ deps }) => {
  return [
    { method: 'GET', pattern: '/gateway', auth: false, handler: () => ok({ url: deps.gatewayUrl() }) },
    {
      method: 'GET',
      pattern: '/gateway/bot',
      auth: true,
      handler: () =>
        ok({
          url: deps.gatewayUrl(),
          shards: deps.shardCount(),
          session_start_limit: deps.sessionStartLimit(),
        }),
    },
  ];
};
