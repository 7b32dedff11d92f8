/** Ephemeral message flag. */
export const EPHEMERAL = 64;

/** DESIGN's answer convention: ✅ or ❌, then one plain sentence. */
export function ok(sentence: string): string {
  return `✅ ${sentence}`;
}

export function fail(sentence: string): string {
  return `❌ ${sentence}`;
}

export const UNAVAILABLE = fail('PROMTON-TICKETS is temporarily unavailable; please try again in a minute.');

/** The answer to an open by a member on the server's blocklist (gateway and ticket-worker). */
export const BLOCKED_FROM_OPENING = fail('You cannot open tickets on this server: an admin put you, or one of your roles, on its blocklist.');

/** `<#id>`: how Discord renders a channel mention. */
export function channelMention(channelId: string): string {
  return `<#${channelId}>`;
}

export function userMention(userId: string): string {
  return `<@${userId}>`;
}
