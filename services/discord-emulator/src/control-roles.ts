import type { EmulatorState } from './state.js';

type Handler = (ctx: { params: Record<string, string>; body: Record<string, unknown> }) => { status: number; body?: unknown };

/**
 * Control routes that change a server's roles as an admin would in Discord's settings:
 * a role's permissions changed (GUILD_ROLE_UPDATE), e.g. the bot's role losing Manage Roles.
 */
export function roleControlRoutes(state: EmulatorState): { method: string; pattern: string; handler: Handler }[] {
  return [
    {
      method: 'PATCH',
      pattern: '/guilds/:id/roles/:role',
      handler: ({ params, body }) => {
        const guild = state.guilds.get(params.id ?? '');
        if (!guild) return { status: 404, body: { error: 'unknown guild' } };
        const role = guild.roles.get(params.role ?? '');
        if (!role) return { status: 404, body: { error: 'unknown role' } };
        if (body.permissions !== undefined) {
          if (typeof body.permissions !== 'string' || !/^\d{1,20}$/.test(body.permissions))
            return { status: 400, body: { error: 'permissions must be a decimal string' } };
          role.permissions = body.permissions;
        }
        state.dispatch(guild.id, 'GUILD_ROLE_UPDATE', { guild_id: guild.id, role });
        return { status: 200, body: role };
      },
    },
  ];
}
