import { Errors, invalidFormBody } from '../errors.js';
import { validateBody } from '../validation.js';
import { ok, type RouteModule } from './kit.js';

/** Get User and Create DM. */
export const userRoutes: RouteModule = ({ state }) => {
  return [
    {
      method: 'GET',
      pattern: '/users/:user_id',
      auth: true,
      handler: (ctx) => {
        const id = ctx.params.user_id === '@me' ? state.botUser.id : (ctx.params.user_id ?? '');
        const user = state.users.get(id);
        if (!user) throw Errors.unknownUser();
        return ok(
          id === state.botUser.id ? { ...user, verified: true, mfa_enabled: false, flags: 0, public_flags: 0, banner: null, accent_color: null } : user,
        );
      },
    },
    {
      // Create DM: the bot's DM channel with a user (the same one every time). Whether the
      // user accepts DMs is only known when a message is sent (50007 then).
      method: 'POST',
      pattern: '/users/@me/channels',
      auth: true,
      handler: (ctx) => {
        const body = validateBody('createDm', ctx.body);
        const recipient = typeof body.recipient_id === 'string' ? body.recipient_id : '';
        if (!recipient) throw invalidFormBody([{ path: ['recipient_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]);
        if (!state.users.has(recipient) || recipient === state.botUser.id) throw Errors.invalidRecipients();
        return ok(state.dmChannelObject(state.dmChannelWith(recipient)));
      },
    },
  ];
};
