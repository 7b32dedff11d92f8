import { applicationRoutes } from './applications.js';
import { channelRoutes } from './channels.js';
import { gatewayRoutes } from './gateway.js';
import { guildRoutes } from './guilds.js';
import { interactionRoutes } from './interactions.js';
import { routeKit, type RestDeps, type RestRouteDef, type RouteModule } from './kit.js';
import { messageRoutes } from './messages.js';
import { userRoutes } from './users.js';
import { webhookRoutes } from './webhooks.js';

export type { RestContext, RestDeps, RestResult, RestRouteDef, RouteKit, RouteModule } from './kit.js';

/** Discord's REST API, one file per resource. A new resource: a file exporting a RouteModule, and one line here. */
const resources: readonly RouteModule[] = [
  gatewayRoutes,
  userRoutes,
  applicationRoutes,
  guildRoutes,
  channelRoutes,
  messageRoutes,
  interactionRoutes,
  webhookRoutes,
];

/** Every REST route, one definition per method and path (routes sharing a path are joined by their `when`). */
export function restRoutes(deps: RestDeps): RestRouteDef[] {
  const kit = routeKit(deps);
  const byRoute = new Map<string, RestRouteDef[]>();
  for (const def of resources.flatMap((resource) => resource(kit))) {
    const key = `${def.method} ${def.pattern}`;
    byRoute.set(key, [...(byRoute.get(key) ?? []), def]);
  }
  return [...byRoute.values()].map((defs) => (defs.length === 1 ? defs[0]! : joined(defs)));
}

/** One route over several: the first whose `when` holds, else the one without `when` (else the first). */
function joined(defs: RestRouteDef[]): RestRouteDef {
  const guarded = defs.filter((d) => d.when);
  const fallback = defs.find((d) => !d.when) ?? defs[0]!;
  const pick = (params: Record<string, string>) => guarded.find((d) => d.when?.(params)) ?? fallback;
  const first = defs[0]!;
  if (defs.some((d) => d.auth !== first.auth)) throw new Error(`${first.method} ${first.pattern}: routes sharing a path must agree on auth`);
  return {
    method: first.method,
    pattern: first.pattern,
    auth: first.auth,
    globalExempt: (params) => {
      const exempt = pick(params).globalExempt;
      return typeof exempt === 'function' ? exempt(params) : exempt === true;
    },
    handler: (ctx) => pick(ctx.params).handler(ctx),
  };
}

/** The major parameter Discord buckets a route by. */
export function majorParameter(params: Record<string, string>): string {
  if (params.channel_id) return `channel:${params.channel_id}`;
  if (params.guild_id) return `guild:${params.guild_id}`;
  if (params.webhook_id) return `webhook:${params.webhook_id}${params.webhook_token ? `:${params.webhook_token}` : ''}`;
  if (params.token) return `interaction:${params.interaction_id}:${params.token}`;
  return 'global';
}
