/** DESIGN's answer convention: ✅ or ❌, then one plain sentence. */
export function ok(sentence: string): string {
  return `✅ ${sentence}`;
}

export function fail(sentence: string): string {
  return `❌ ${sentence}`;
}

/** `<#id>`: how Discord renders a channel mention. */
export function channelMention(channelId: string): string {
  return `<#${channelId}>`;
}

export function userMention(userId: string): string {
  return `<@${userId}>`;
}
