/** How the log-worker posts: through the log channel's webhook, or as the bot (the benchmark's comparison). */
export type LogPath = 'webhook' | 'bot';

/**
 * What a Discord refusal means for the log channel, in the words /config show gives the
 * admin; undefined when it is not about the channel (retrying may help). Through a
 * webhook the bot needs only to see the channel and manage its webhooks there; as the
 * bot it needs to post.
 */
export function logChannelProblem(code: number, path: LogPath): string | undefined {
  switch (code) {
    case 10003:
      return 'the log channel no longer exists';
    case 50001:
      return 'the bot cannot see the log channel';
    case 50013:
      return path === 'webhook' ? 'the bot lacks Manage Webhooks in the log channel' : 'the bot lacks Send Messages or Embed Links in the log channel';
    case 30007:
      return path === 'webhook' ? 'the log channel has 15 webhooks already, so the bot cannot add its own' : undefined;
    default:
      return undefined;
  }
}
