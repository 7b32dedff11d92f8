import { ButtonStyle, ComponentType, type APIMessageComponentEmoji, type RESTPostAPIChannelMessageJSONBody } from 'discord-api-types/v10';
import { buildEmbed, customId, t, type SupportedLocale } from '@promton/shared/domain';
import { type EmbedCustomization, type TicketType } from '@promton/shared/contracts';

export type PanelStyle = 'buttons' | 'select';

/** `<:name:id>`, `<a:name:id>` or a unicode emoji, as a component emoji. */
export function componentEmoji(emoji: string | null): APIMessageComponentEmoji | undefined {
  if (!emoji) return undefined;
  const custom = /^<(a?):([\w~]{2,32}):(\d{17,20})>$/.exec(emoji);
  if (custom) return { id: custom[3]!, name: custom[2]!, animated: custom[1] === 'a' };
  return { name: emoji };
}

export interface PanelInput {
  types: readonly TicketType[];
  style: PanelStyle;
  title: string | undefined;
  text: string | undefined;
  embed: EmbedCustomization;
  /** The server's language (placeholder, default title and text). */
  locale: SupportedLocale;
}

/** The panel members click: one button per type (5 fit one row), or one select menu. */
export function panelMessage({ types, style, title, text, embed, locale }: PanelInput): RESTPostAPIChannelMessageJSONBody {
  const component =
    style === 'select'
      ? {
          type: ComponentType.ActionRow as const,
          components: [
            {
              type: ComponentType.StringSelect as const,
              custom_id: customId('open-select'),
              placeholder: t(locale, 'panel.placeholder'),
              min_values: 1,
              max_values: 1,
              options: types.map((type) => {
                const emoji = componentEmoji(type.emoji);
                return { label: type.label, value: type.name, ...(type.description ? { description: type.description } : {}), ...(emoji ? { emoji } : {}) };
              }),
            },
          ],
        }
      : {
          type: ComponentType.ActionRow as const,
          components: types.map((type) => {
            const emoji = componentEmoji(type.emoji);
            return {
              type: ComponentType.Button as const,
              style: ButtonStyle.Primary as const,
              label: type.label,
              custom_id: customId('open', type.name),
              ...(emoji ? { emoji } : {}),
            };
          }),
        };
  return {
    embeds: [buildEmbed(embed, { title: title ?? t(locale, 'panel.title'), description: text ?? t(locale, 'panel.text'), withBanner: true })],
    components: [component],
  };
}

/**
 * The type whose emoji Discord refused in a panel (a 50035 whose error tree reaches an
 * `emoji` under a button or a select option), so the admin is told which one to fix.
 */
export function typeWithRefusedEmoji(types: readonly TicketType[], errors: unknown): TicketType | undefined {
  const paths: string[] = [];
  const walk = (node: unknown, path: string[]): void => {
    if (!node || typeof node !== 'object') return;
    for (const [key, child] of Object.entries(node)) {
      if (key === '_errors') paths.push(path.join('.'));
      else walk(child, [...path, key]);
    }
  };
  walk(errors, []);
  for (const path of paths) {
    const at = /^components\.0\.components\.(\d+)\.(?:options\.(\d+)\.)?emoji\b/.exec(path);
    if (at) return types[Number(at[2] ?? at[1])];
  }
  return undefined;
}
