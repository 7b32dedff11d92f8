import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { MessageKey } from '@promton/shared/domain';

/** How the log-worker posts: through the log channel's webhook, or as the bot (the benchmark's comparison). */
export type LogPath = 'webhook' | 'bot';

/**
 * What a Discord refusal means for the log channel: the catalog key of the words /config
 * show gives the admin (in the admin's language); undefined when it is not about the
 * channel (retrying may help). Through a webhook the bot needs only to see the channel
 * and manage its webhooks there; as the bot it needs to post.
 */
export function logChannelProblem(code: number, path: LogPath): MessageKey | undefined {
  switch (code) {
    case RESTJSONErrorCodes.UnknownChannel:
      return 'log.problem.unknown-channel';
    case RESTJSONErrorCodes.MissingAccess:
      return 'log.problem.missing-access';
    case RESTJSONErrorCodes.MissingPermissions:
      return path === 'webhook' ? 'log.problem.missing-webhooks' : 'log.problem.missing-permissions';
    case RESTJSONErrorCodes.MaximumNumberOfWebhooksReached:
      return path === 'webhook' ? 'log.problem.max-webhooks' : undefined;
    default:
      return undefined;
  }
}
