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
});

describe('isPermanentRefusal', () => {
  it('is every 4xx but 429', () => {
    expect([400, 401, 403, 404, 413].every(isPermanentRefusal)).toBe(true);
    expect([429, 500, 502, undefined].some(isPermanentRefusal)).toBe(false);
  });
});
