import { DiscordApiError, Errors, invalidFormBody, type FieldError } from '../errors.js';
import type { RegisteredCommand } from '../state.js';
import { autocompleteOptionErrors, commandNameErrors, validateBody } from '../validation.js';
import { asObject, ok, type RestContext, type RestResult, type RouteModule } from './kit.js';

/** The application (Get/Edit Current Application) and its global and guild commands. */
export const applicationRoutes: RouteModule = ({ state, deps }) => {
  const application = () => ({
    id: state.applicationId,
    name: state.botUser.username,
    flags: state.applicationFlags,
    bot_public: true,
    bot: state.botUser,
    description: '',
    icon: null,
    verify_key: deps.interactionEndpoint.verifyKey,
    interactions_endpoint_url: deps.interactionEndpoint.url,
  });

  const putCommands = (guildId: string | undefined, ctx: RestContext): RestResult => {
    if (ctx.params.application_id !== state.applicationId) throw Errors.missingAccess();
    if (guildId !== undefined && !state.guilds.has(guildId)) throw Errors.missingAccess();
    if (!Array.isArray(ctx.body)) throw invalidFormBody([{ path: [], code: 'BASE_TYPE_ARRAY', message: 'Must be an array.' }]);
    const errors: FieldError[] = [];
    const bodies = ctx.body.map((raw, i) => {
      try {
        return validateBody('command', raw, (b) => [...autocompleteOptionErrors(b.options), ...commandNameErrors(b)]);
      } catch (error) {
        if (error instanceof DiscordApiError && error.errors) errors.push(...flatten(error.errors, [i]));
        return {};
      }
    });
    if (errors.length > 0) throw invalidFormBody(errors);
    const store = guildId === undefined ? state.globalCommands : (state.guildCommands.get(guildId) ?? new Map<string, RegisteredCommand>());
    const previous = new Map([...store.values()].map((c) => [`${c.type}:${c.name}`, c]));
    store.clear();
    for (const body of bodies) {
      const type = typeof body.type === 'number' ? body.type : 1;
      const name = String(body.name);
      const id = previous.get(`${type}:${name}`)?.id ?? state.ids.next();
      const command: RegisteredCommand = {
        contexts: null,
        integration_types: [0],
        nsfw: false,
        description: '',
        options: [],
        ...body,
        // Discord answers bitfields as strings whatever the request used.
        default_member_permissions:
          body.default_member_permissions === undefined || body.default_member_permissions === null ? null : String(body.default_member_permissions),
        id,
        application_id: state.applicationId,
        name,
        type,
        version: state.ids.next(),
        ...(guildId !== undefined ? { guild_id: guildId } : {}),
      };
      store.set(id, command);
    }
    if (guildId !== undefined) state.guildCommands.set(guildId, store);
    return ok([...store.values()]);
  };

  return [
    {
      method: 'GET',
      pattern: '/applications/@me',
      auth: true,
      handler: () => ok(application()),
    },
    {
      // The developer portal's setting, also PATCHable: Discord saves an Interactions
      // Endpoint URL only after it answered a signed PING and refused a forged one.
      method: 'PATCH',
      pattern: '/applications/@me',
      auth: true,
      handler: async (ctx) => {
        const body = asObject(ctx.body);
        if ('interactions_endpoint_url' in body) {
          const url = body.interactions_endpoint_url;
          const invalid = (message: string) =>
            invalidFormBody([{ path: ['interactions_endpoint_url'], code: 'APPLICATION_INTERACTIONS_ENDPOINT_URL_INVALID', message }]);
          if (url === null || url === '') {
            deps.interactionEndpoint.url = null;
          } else {
            if (typeof url !== 'string' || url.length > 2048 || !/^https?:\/\/[^\s]+$/.test(url)) throw invalid('Must be a valid URL.');
            const problem = await deps.interactionEndpoint.check(url, state.applicationId);
            if (problem) throw invalid(`The specified interactions endpoint url could not be verified (${problem}).`);
            deps.interactionEndpoint.url = url;
          }
        }
        return ok(application());
      },
    },
    { method: 'GET', pattern: '/applications/:application_id/commands', auth: true, handler: () => ok([...state.globalCommands.values()]) },
    { method: 'PUT', pattern: '/applications/:application_id/commands', auth: true, handler: (ctx) => putCommands(undefined, ctx) },
    {
      method: 'GET',
      pattern: '/applications/:application_id/guilds/:guild_id/commands',
      auth: true,
      handler: (ctx) => ok([...(state.guildCommands.get(ctx.params.guild_id ?? '')?.values() ?? [])]),
    },
    {
      method: 'PUT',
      pattern: '/applications/:application_id/guilds/:guild_id/commands',
      auth: true,
      handler: (ctx) => putCommands(ctx.params.guild_id ?? '', ctx),
    },
  ];
};

function flatten(tree: Record<string, unknown>, prefix: (string | number)[]): FieldError[] {
  const out: FieldError[] = [];
  for (const [key, value] of Object.entries(tree)) {
    if (key === '_errors' && Array.isArray(value)) {
      for (const e of value as { code: string; message: string }[]) out.push({ path: prefix, code: e.code, message: e.message });
    } else if (value && typeof value === 'object') {
      out.push(...flatten(value as Record<string, unknown>, [...prefix, key]));
    }
  }
  return out;
}
