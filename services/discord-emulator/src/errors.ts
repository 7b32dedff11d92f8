/** A Discord JSON error: `{ message, code, errors? }` with its HTTP status. */
export class DiscordApiError extends Error {
  override name = 'DiscordApiError';
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: ErrorTree,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toJSON(): Record<string, unknown> {
    return this.errors ? { message: this.message, code: this.code, errors: this.errors } : { message: this.message, code: this.code };
  }
}

export interface ErrorTree {
  [key: string]: ErrorTree | { code: string; message: string }[];
}

export interface FieldError {
  path: (string | number)[];
  code: string;
  message: string;
}

/** Builds Discord's nested `errors` object: `{ field: { 0: { sub: { _errors: [...] } } } }`. */
export function errorTree(fieldErrors: readonly FieldError[]): ErrorTree {
  const root: ErrorTree = {};
  for (const error of fieldErrors) {
    let node = root;
    for (const key of error.path) {
      const next = node[String(key)];
      if (next && !Array.isArray(next)) {
        node = next;
      } else {
        const created: ErrorTree = {};
        node[String(key)] = created;
        node = created;
      }
    }
    const list = (node._errors as { code: string; message: string }[] | undefined) ?? [];
    list.push({ code: error.code, message: error.message });
    node._errors = list;
  }
  return root;
}

export const invalidFormBody = (fieldErrors: readonly FieldError[]): DiscordApiError =>
  new DiscordApiError(400, 50035, 'Invalid Form Body', errorTree(fieldErrors));

export const Errors = {
  unauthorized: () => new DiscordApiError(401, 0, '401: Unauthorized'),
  notFound: () => new DiscordApiError(404, 0, '404: Not Found'),
  methodNotAllowed: () => new DiscordApiError(405, 0, '405: Method Not Allowed'),
  unknownChannel: () => new DiscordApiError(404, 10003, 'Unknown Channel'),
  unknownGuild: () => new DiscordApiError(404, 10004, 'Unknown Guild'),
  unknownMember: () => new DiscordApiError(404, 10007, 'Unknown Member'),
  unknownMessage: () => new DiscordApiError(404, 10008, 'Unknown Message'),
  unknownOverwrite: () => new DiscordApiError(404, 10009, 'Unknown Overwrite'),
  unknownRole: () => new DiscordApiError(404, 10011, 'Unknown Role'),
  unknownEmoji: () => new DiscordApiError(404, 10014, 'Unknown Emoji'),
  unknownUser: () => new DiscordApiError(404, 10013, 'Unknown User'),
  unknownWebhook: () => new DiscordApiError(404, 10015, 'Unknown Webhook'),
  unknownApplication: () => new DiscordApiError(404, 10002, 'Unknown Application'),
  unknownInteraction: () => new DiscordApiError(404, 10062, 'Unknown interaction'),
  alreadyAcknowledged: () => new DiscordApiError(400, 40060, 'Interaction has already been acknowledged.'),
  missingAccess: () => new DiscordApiError(403, 50001, 'Missing Access'),
  cannotEditOthers: () => new DiscordApiError(403, 50005, 'Cannot edit a message authored by another user'),
  emptyMessage: () => new DiscordApiError(400, 50006, 'Cannot send an empty message'),
  missingPermissions: () => new DiscordApiError(403, 50013, 'Missing Permissions'),
  cannotSendToUser: () => new DiscordApiError(403, 50007, 'Cannot send messages to this user'),
  invalidRecipients: () => new DiscordApiError(400, 50033, 'Invalid Recipient(s)'),
  invalidWebhookToken: () => new DiscordApiError(401, 50027, 'Invalid Webhook Token'),
  maxWebhooks: () => new DiscordApiError(400, 30007, 'Maximum number of webhooks reached (15)'),
  maxGuildWebhooks: () => new DiscordApiError(400, 30058, 'Maximum number of webhooks per guild reached (1000)'),
  maxGuildChannels: () => new DiscordApiError(400, 30013, 'Maximum number of guild channels reached (500)'),
  invalidBody: () => new DiscordApiError(400, 50109, 'The request body contains invalid JSON.'),
} as const;

/** A 429 decided by a route's own rule (e.g. channel renames), not by a bucket. */
export class RateLimitedError extends DiscordApiError {
  constructor(readonly retryAfter: number) {
    super(429, 0, 'You are being rate limited.', undefined, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfter))), 'X-RateLimit-Scope': 'user' });
  }

  override toJSON(): Record<string, unknown> {
    return { message: this.message, retry_after: Number(this.retryAfter.toFixed(3)), global: false };
  }
}
