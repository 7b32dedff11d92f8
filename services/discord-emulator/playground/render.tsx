/** How Discord draws a message: mentions by name, a little markdown, embeds, attachments, components. */
import type { ComponentChildren } from 'preact';
import type { MessageView, PlaygroundView } from '../src/playground/view.js';

export type Names = PlaygroundView['names'];

export interface Actions {
  click(message: MessageView, customId: string): void;
  select(message: MessageView, customId: string, values: string[]): void;
  openChannel(id: string): void;
  dismiss(message: MessageView): void;
}

/** Inline markdown Discord renders in content and embeds: **bold**, *italic*, `code`, mentions, line breaks. */
export function Markdown({ text, names, actions }: { text: string; names: Names; actions?: Actions }) {
  const out: ComponentChildren[] = [];
  const pattern = /<@!?(\d+)>|<@&(\d+)>|<#(\d+)>|<(a?):(\w+):(\d+)>|\*\*([^*]+)\*\*|\*([^*]+)\*|__([^_]+)__|`([^`]+)`|\n/g;
  let last = 0;
  let key = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match.index > last) out.push(text.slice(last, match.index));
    last = match.index + match[0].length;
    key += 1;
    const [whole, user, role, channel, , emojiName, , bold, italic, underline, code] = match;
    if (user)
      out.push(
        <span key={key} class="mention">
          @{names.users[user] ?? 'unknown-user'}
        </span>,
      );
    else if (role)
      out.push(
        <span key={key} class="mention">
          @{names.roles[role]?.name ?? 'deleted-role'}
        </span>,
      );
    else if (channel) {
      const name = names.channels[channel];
      out.push(
        name ? (
          <a
            key={key}
            class="mention"
            href={`#channel=${channel}`}
            onClick={(e) => {
              e.preventDefault();
              actions?.openChannel(channel);
            }}
          >
            #{name}
          </a>
        ) : (
          <span key={key} class="mention">
            #deleted-channel
          </span>
        ),
      );
    } else if (emojiName)
      out.push(
        <span key={key} class="emoji" title={`:${emojiName}:`}>
          :{emojiName}:
        </span>,
      );
    else if (bold) out.push(<strong key={key}>{bold}</strong>);
    else if (italic) out.push(<em key={key}>{italic}</em>);
    else if (underline) out.push(<u key={key}>{underline}</u>);
    else if (code) out.push(<code key={key}>{code}</code>);
    else if (whole === '\n') out.push(<br key={key} />);
  }
  if (last < text.length) out.push(text.slice(last));
  return <>{out}</>;
}

/** Only same-origin and inline images are drawn: the playground loads nothing from the network. */
function localImage(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  if (url.startsWith('data:image/')) return url;
  try {
    const parsed = new URL(url, location.href);
    if (parsed.origin !== location.origin) return null;
    return parsed.pathname.startsWith('/attachments/') ? `/playground${parsed.pathname}` : parsed.href;
  } catch {
    return null;
  }
}

function Image({ url, class: className, alt }: { url: unknown; class: string; alt: string }) {
  const local = localImage(url);
  if (local) return <img class={className} src={local} alt={alt} />;
  return (
    <span class={`${className} remote`} title={String(url)}>
      {alt}: {String(url)}
    </span>
  );
}

interface Embed {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  author?: { name?: string; icon_url?: string };
  fields?: { name: string; value: string; inline?: boolean }[];
  image?: { url?: string };
  thumbnail?: { url?: string };
  footer?: { text?: string; icon_url?: string };
  timestamp?: string;
}

function EmbedView({ embed, names, actions }: { embed: Embed; names: Names; actions: Actions }) {
  const color = typeof embed.color === 'number' ? `#${embed.color.toString(16).padStart(6, '0')}` : '#1e1f22';
  return (
    <div class="embed" style={{ borderLeftColor: color }} data-color={color}>
      {embed.author?.name && (
        <div class="embed-author">
          {embed.author.icon_url && <Image class="embed-author-icon" url={embed.author.icon_url} alt="icon" />}
          <span>{embed.author.name}</span>
        </div>
      )}
      {embed.title && (
        <div class="embed-title">
          <Markdown text={embed.title} names={names} actions={actions} />
        </div>
      )}
      {embed.description && (
        <div class="embed-description">
          <Markdown text={embed.description} names={names} actions={actions} />
        </div>
      )}
      {embed.fields && embed.fields.length > 0 && (
        <div class="embed-fields">
          {embed.fields.map((field, i) => (
            <div key={i} class={field.inline ? 'embed-field inline' : 'embed-field'}>
              <div class="embed-field-name">
                <Markdown text={field.name} names={names} actions={actions} />
              </div>
              <div class="embed-field-value">
                <Markdown text={field.value} names={names} actions={actions} />
              </div>
            </div>
          ))}
        </div>
      )}
      {embed.image?.url && <Image class="embed-image" url={embed.image.url} alt="banner" />}
      {(embed.footer?.text || embed.timestamp) && (
        <div class="embed-footer">
          {embed.footer?.icon_url && <Image class="embed-footer-icon" url={embed.footer.icon_url} alt="icon" />}
          {embed.footer?.text}
          {embed.footer?.text && embed.timestamp ? ' • ' : ''}
          {embed.timestamp ? new Date(embed.timestamp).toLocaleString() : ''}
        </div>
      )}
    </div>
  );
}

interface Component {
  type: number;
  style?: number;
  label?: string;
  emoji?: { id?: string | null; name?: string | null };
  custom_id?: string;
  url?: string;
  disabled?: boolean;
  placeholder?: string;
  options?: { label: string; value: string; description?: string; emoji?: { name?: string | null } }[];
  min_values?: number;
  max_values?: number;
  components?: Component[];
}

const BUTTON_STYLES: Record<number, string> = { 1: 'primary', 2: 'secondary', 3: 'success', 4: 'danger', 5: 'link', 6: 'premium' };

function EmojiText({ emoji }: { emoji?: Component['emoji'] }) {
  if (!emoji?.name) return null;
  return <span class="emoji">{emoji.id ? `:${emoji.name}:` : emoji.name}</span>;
}

function ComponentView({ component, message, actions }: { component: Component; message: MessageView; actions: Actions }) {
  if (component.type === 1) {
    return (
      <div class="action-row">
        {(component.components ?? []).map((child, i) => (
          <ComponentView key={i} component={child} message={message} actions={actions} />
        ))}
      </div>
    );
  }
  if (component.type === 2) {
    const style = BUTTON_STYLES[component.style ?? 2] ?? 'secondary';
    if (component.style === 5)
      return (
        <a class={`button ${style}`} href={component.url} target="_blank" rel="noreferrer noopener">
          <EmojiText emoji={component.emoji} />
          {component.label}
          <span aria-hidden="true"> ↗</span>
        </a>
      );
    return (
      <button
        type="button"
        class={`button ${style}`}
        disabled={component.disabled}
        data-custom-id={component.custom_id}
        onClick={() => component.custom_id && actions.click(message, component.custom_id)}
      >
        <EmojiText emoji={component.emoji} />
        {component.label && <span>{component.label}</span>}
      </button>
    );
  }
  if (component.type === 3) {
    return (
      <select
        class="select-menu"
        aria-label={component.placeholder ?? 'Make a selection'}
        disabled={component.disabled}
        data-custom-id={component.custom_id}
        onChange={(e) => {
          const value = (e.currentTarget as HTMLSelectElement).value;
          if (value && component.custom_id) actions.select(message, component.custom_id, [value]);
          (e.currentTarget as HTMLSelectElement).value = '';
        }}
      >
        <option value="">{component.placeholder ?? 'Make a selection'}</option>
        {(component.options ?? []).map((option) => (
          <option key={option.value} value={option.value}>
            {option.emoji?.name ? `${option.emoji.name} ` : ''}
            {option.label}
            {option.description ? ` — ${option.description}` : ''}
          </option>
        ))}
      </select>
    );
  }
  return <div class="component-unsupported">(component type {component.type} is not drawn by the playground)</div>;
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function MessageItem({ message, names, botName, actions }: { message: MessageView; names: Names; botName: string; actions: Actions }) {
  const author = message.author;
  const time = new Date(message.timestamp);
  return (
    <li class={message.ephemeral ? 'message ephemeral' : 'message'} data-message-id={message.id}>
      {message.interaction_metadata && (
        <div class="reply-to">
          ↳ <span class="mention">@{(message.interaction_metadata.user as { username?: string } | undefined)?.username ?? '?'}</span> used the bot
        </div>
      )}
      <div class="message-head">
        <span class={author.bot ? 'author bot' : 'author'}>{author.username}</span>
        {author.bot && <span class="app-tag">APP</span>}
        <time dateTime={message.timestamp} title={time.toLocaleString()}>
          {time.toLocaleTimeString()}
        </time>
        {message.edited_timestamp && <span class="edited">(edited)</span>}
      </div>
      {message.loading ? (
        <div class="thinking">{botName} is thinking…</div>
      ) : (
        <>
          {message.content && (
            <div class="content">
              <Markdown text={message.content} names={names} actions={actions} />
            </div>
          )}
          {(message.embeds as Embed[]).map((embed, i) => (
            <EmbedView key={i} embed={embed} names={names} actions={actions} />
          ))}
          {message.attachments.map((a) => (
            <a
              key={a.id}
              class="attachment"
              href={`/playground/attachments/${message.channel_id}/${a.id}/${encodeURIComponent(a.filename)}`}
              target="_blank"
              rel="noopener"
            >
              <span class="attachment-icon" aria-hidden="true">
                📄
              </span>
              <span class="attachment-name">{a.filename}</span>
              <span class="attachment-size">{size(a.size)}</span>
            </a>
          ))}
          {(message.components as Component[]).map((component, i) => (
            <ComponentView key={i} component={component} message={message} actions={actions} />
          ))}
        </>
      )}
      {message.ephemeral && (
        <div class="ephemeral-note">
          👁 Only you can see this •{' '}
          <button type="button" class="linklike" onClick={() => actions.dismiss(message)}>
            Dismiss message
          </button>
        </div>
      )}
    </li>
  );
}
