import { describe, expect, it } from 'vitest';
import { isPermanentRefusal, permissionForRoute } from './discord-refusal.js';

describe('permissionForRoute', () => {
  it('names the permission each route the bot uses needs', () => {
    const base = 'https://discord.com/api/v10';
    expect(permissionForRoute('PUT', `${base}/channels/111111111111111111/permissions/222222222222222222`)).toBe('Manage Roles');
    expect(permissionForRoute('POST', `${base}/guilds/111111111111111111/channels`)).toBe('Manage Channels');
    expect(permissionForRoute('DELETE', `${base}/channels/111111111111111111`)).toBe('Manage Channels');
    expect(permissionForRoute('PATCH', `${base}/channels/111111111111111111`)).toBe('Manage Channels');
    expect(permissionForRoute('GET', `${base}/channels/111111111111111111/messages?limit=100`)).toBe('Read Message History');
    expect(permissionForRoute('POST', `${base}/channels/111111111111111111/messages`)).toMatch(/^Send Messages/);
    expect(permissionForRoute('POST', `${base}/channels/111111111111111111/threads`)).toBe('Create Private Threads');
    expect(permissionForRoute('PUT', `${base}/channels/111111111111111111/thread-members/222222222222222222`)).toBe('Send Messages in Threads');
    expect(permissionForRoute('DELETE', `${base}/channels/111111111111111111/thread-members/222222222222222222`)).toBe('Manage Threads');
    expect(permissionForRoute('GET', `${base}/users/@me`)).toBeUndefined();
  });

  it('tells reading a message from editing it, and names the webhook permission', () => {
    const base = 'https://discord.com/api/v10';
    expect(permissionForRoute('GET', `${base}/channels/111111111111111111/messages/333333333333333333`)).toBe('Read Message History');
    expect(permissionForRoute('PATCH', `${base}/channels/111111111111111111/messages/333333333333333333`)).toBe('Send Messages');
    expect(permissionForRoute('POST', `${base}/channels/111111111111111111/webhooks`)).toBe('Manage Webhooks');
  });

  it('reads the method in any case and the path with or without the /api/vN prefix', () => {
    expect(permissionForRoute('post', 'https://discord.com/api/v10/guilds/111111111111111111/channels')).toBe('Manage Channels');
    expect(permissionForRoute('PATCH', 'https://discord.com/api/channels/111111111111111111')).toBe('Manage Channels');
    expect(permissionForRoute('PATCH', '/channels/111111111111111111')).toBe('Manage Channels');
    // Only a leading /api is the prefix.
    expect(permissionForRoute('PATCH', '/channels/111111111111111111/api')).toBeUndefined();
  });

  it('names nothing for a route whose method needs no such permission', () => {
    // Reading a channel or listing the guild's channels is not what Manage Channels guards.
    expect(permissionForRoute('GET', 'https://discord.com/api/v10/channels/111111111111111111')).toBeUndefined();
    expect(permissionForRoute('GET', 'https://discord.com/api/v10/guilds/111111111111111111/channels')).toBeUndefined();
    // Only whole ids: a route with more after it is another route.
    expect(permissionForRoute('PATCH', 'https://discord.com/api/v10/channels/111111111111111111/extra')).toBeUndefined();
    expect(permissionForRoute('PUT', 'https://discord.com/api/v10/x/channels/111111111111111111/permissions/2')).toBeUndefined();
  });
});

describe('permissionForRoute matches whole routes only', () => {
  const routes: [string, string][] = [
    ['PUT', '/channels/111111111111111111/permissions/222222222222222222'],
    ['POST', '/guilds/111111111111111111/channels'],
    ['PATCH', '/channels/111111111111111111'],
    ['POST', '/channels/111111111111111111/messages'],
    ['PATCH', '/channels/111111111111111111/messages/333333333333333333'],
    ['POST', '/channels/111111111111111111/webhooks'],
    ['POST', '/channels/111111111111111111/threads'],
    ['PUT', '/channels/111111111111111111/thread-members/222222222222222222'],
  ];

  it.each(routes)('%s %s is named, a longer or nested route is not', (method, path) => {
    expect(permissionForRoute(method, `https://discord.com/api/v10${path}`)).toBeDefined();
    // "api" inside a path is a path segment, not the version prefix.
    expect(permissionForRoute(method, `https://discord.com/api/v10${path}/api`)).toBeUndefined();
    expect(permissionForRoute(method, `https://discord.com/api/v10/guilds/111111111111111111${path}`)).toBeUndefined();
  });
});

describe('isPermanentRefusal', () => {
  it('is every 4xx but 429', () => {
    expect([400, 401, 403, 404, 413].every(isPermanentRefusal)).toBe(true);
    expect([429, 500, 502, undefined].some(isPermanentRefusal)).toBe(false);
    // Not a refusal at all: a redirect or an unchanged resource.
    expect([302, 304, 399].some(isPermanentRefusal)).toBe(false);
    expect(isPermanentRefusal(499)).toBe(true);
  });
});
