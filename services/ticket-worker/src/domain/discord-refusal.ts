/**
 * What a Discord refusal means for the person who asked: the permission a route needs
 * (Discord answers 50013 without naming it), so the answer can name it.
 */

/** The permission the bot lacks when Discord refuses `method url` with 50013. */
export function permissionForRoute(method: string, url: string): string | undefined {
  const path = new URL(url, 'http://x').pathname.replace(/^\/api(?:\/v\d+)?/, '');
  const m = method.toUpperCase();
  if (/^\/channels\/\d+\/permissions\/\d+$/.test(path)) return 'Manage Roles';
  if (/^\/guilds\/\d+\/channels$/.test(path) && m === 'POST') return 'Manage Channels';
  if (/^\/channels\/\d+$/.test(path) && (m === 'PATCH' || m === 'DELETE')) return 'Manage Channels';
  if (/^\/channels\/\d+\/messages$/.test(path)) return m === 'GET' ? 'Read Message History' : 'Send Messages, Embed Links and Attach Files';
  if (/^\/channels\/\d+\/messages\/\d+$/.test(path)) return m === 'GET' ? 'Read Message History' : 'Send Messages';
  if (/^\/channels\/\d+\/webhooks$/.test(path)) return 'Manage Webhooks';
  if (/^\/channels\/\d+\/threads$/.test(path)) return 'Create Private Threads';
  if (/^\/channels\/\d+\/thread-members\/\d+$/.test(path)) return m === 'PUT' ? 'Send Messages in Threads' : 'Manage Threads';
  return undefined;
}

/** A client error (4xx other than 429): asking again gets the same answer, so it is never retried. */
export function isPermanentRefusal(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 429;
}
