/**
 * The playground: a Discord-like client of the emulator's own state. Every click is a
 * real interaction the emulator dispatches to the bot over the gateway; everything shown
 * is what the bot did over REST. No cookies, no storage, nothing from the network.
 */
import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { DispatchLine, RequestLine } from '../src/playground/server.js';
import type { ChannelView, MessageView, ModalView, PlaygroundView } from '../src/playground/view.js';
import { CommandBox, type CommandSend, type Suggest } from './command-box.js';
import { MessageItem, type Actions } from './render.js';

interface Where {
  guild: string;
  as: string;
  channel: string;
}

function readHash(): Where {
  const params = new URLSearchParams(location.hash.slice(1));
  return { guild: params.get('guild') ?? '', as: params.get('as') ?? '', channel: params.get('channel') ?? '' };
}

function writeHash(where: Where): void {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(where)) if (value) params.set(key, value);
  history.replaceState(null, '', `#${params}`);
}

async function post(path: string, body: unknown): Promise<{ ok: boolean; body: Record<string, unknown> }> {
  const response = await fetch(`/_emulator${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { ok: response.ok, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
}

function ChannelList({ view, current, onOpen }: { view: PlaygroundView; current: string; onOpen: (id: string) => void }) {
  const byPosition = (a: ChannelView, b: ChannelView) => a.position - b.position || a.name.localeCompare(b.name);
  const categories = view.channels.filter((c) => c.type === 4).sort(byPosition);
  const text = view.channels.filter((c) => c.type !== 4);
  const loose = text.filter((c) => !c.parentId || !categories.some((k) => k.id === c.parentId)).sort(byPosition);
  const item = (c: ChannelView) => (
    <li key={c.id}>
      <a
        href={`#channel=${c.id}`}
        class={c.id === current ? 'channel current' : 'channel'}
        aria-current={c.id === current ? 'page' : undefined}
        onClick={(e) => {
          e.preventDefault();
          onOpen(c.id);
        }}
      >
        <span class="hash" aria-hidden="true">
          #
        </span>
        {c.name}
      </a>
    </li>
  );
  return (
    <nav class="channels" aria-label="Channels">
      <ul>{loose.map(item)}</ul>
      {categories.map((category) => (
        <section key={category.id} class="category" aria-label={category.name}>
          <h3>{category.name}</h3>
          <ul>
            {text
              .filter((c) => c.parentId === category.id)
              .sort(byPosition)
              .map(item)}
          </ul>
        </section>
      ))}
      {view.channels.length === 0 && (
        <p class="nothing">{view.me?.member ? 'No channel of this server is visible to you.' : 'Not a member of this server: nothing is visible.'}</p>
      )}
    </nav>
  );
}

function ModalDialog({ modal, onSubmit, onCancel }: { modal: ModalView; onSubmit: (fields: Record<string, string>) => Promise<void>; onCancel: () => void }) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(modal.fields.map((f) => [f.customId, f.value ?? ''])));
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    const missing = modal.fields.find((f) => f.required && !(values[f.customId] ?? '').trim());
    if (missing) return setError(`${missing.label} is required.`);
    const short = modal.fields.find(
      (f) => f.minLength !== undefined && (values[f.customId] ?? '').length > 0 && (values[f.customId] ?? '').length < f.minLength,
    );
    if (short) return setError(`${short.label} needs at least ${short.minLength} characters.`);
    await onSubmit(values);
  };
  return (
    <div class="modal-backdrop" role="dialog" aria-modal="true" aria-label={modal.title}>
      <form class="modal" onSubmit={submit}>
        <h2>{modal.title}</h2>
        {modal.fields.map((field) => (
          <label key={field.customId} class="modal-field">
            <span>
              {field.label}
              {field.required && <span class="required">*</span>}
            </span>
            {field.description && <small>{field.description}</small>}
            {field.style === 2 ? (
              <textarea
                name={field.customId}
                maxLength={field.maxLength}
                placeholder={field.placeholder}
                value={values[field.customId]}
                onInput={(e) => setValues({ ...values, [field.customId]: (e.currentTarget as HTMLTextAreaElement).value })}
              />
            ) : (
              <input
                name={field.customId}
                maxLength={field.maxLength}
                placeholder={field.placeholder}
                value={values[field.customId]}
                onInput={(e) => setValues({ ...values, [field.customId]: (e.currentTarget as HTMLInputElement).value })}
              />
            )}
          </label>
        ))}
        {error && <p class="error">{error}</p>}
        <div class="modal-buttons">
          <button type="button" class="linklike" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" class="button primary">
            Submit
          </button>
        </div>
      </form>
    </div>
  );
}

function RateLimit({ line }: { line: RequestLine }) {
  const r = line.rateLimit;
  if (!r['x-ratelimit-limit'] && !r['retry-after']) return null;
  return (
    <span class="ratelimit">
      {r['x-ratelimit-remaining'] !== undefined && `${r['x-ratelimit-remaining']}/${r['x-ratelimit-limit']} left, resets in ${r['x-ratelimit-reset-after']} s`}
      {r['x-ratelimit-bucket'] && <span class="bucket"> bucket {r['x-ratelimit-bucket'].slice(0, 8)}</span>}
      {r['retry-after'] && (
        <strong>
          {' '}
          retry after {r['retry-after']} s{r['x-ratelimit-global'] ? ' (global)' : ''}
          {r['x-ratelimit-scope'] ? ` [${r['x-ratelimit-scope']}]` : ''}
        </strong>
      )}
    </span>
  );
}

function SidePanel({ requests, dispatches }: { requests: RequestLine[]; dispatches: DispatchLine[] }) {
  const [tab, setTab] = useState<'rest' | 'gateway'>('rest');
  const limited = requests.filter((r) => r.status === 429).length;
  return (
    <aside class="side" aria-label="What the bot does">
      <div class="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'rest'} onClick={() => setTab('rest')}>
          REST requests ({requests.length}
          {limited ? `, ${limited} × 429` : ''})
        </button>
        <button type="button" role="tab" aria-selected={tab === 'gateway'} onClick={() => setTab('gateway')}>
          Gateway events ({dispatches.length})
        </button>
      </div>
      {tab === 'rest' ? (
        <ol class="log requests" aria-label="REST requests">
          {[...requests].reverse().map((line) => (
            <li key={line.seq} class={line.status === 429 ? 'limited' : line.status >= 400 ? 'failed' : ''}>
              <span class="route">{line.route ?? `${line.method} ${line.path}`}</span> <span class="status">{line.status}</span>
              <div class="detail">
                {line.path} · {line.durationMs} ms <RateLimit line={line} />
              </div>
            </li>
          ))}
        </ol>
      ) : (
        <ol class="log dispatches" aria-label="Gateway events">
          {[...dispatches].reverse().map((line, i) => (
            <li key={`${line.at}-${i}`}>
              <span class="event">{line.t}</span> <span class="summary">{line.summary}</span>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}

function App() {
  const [where, setWhere] = useState<Where>(readHash);
  const [view, setView] = useState<PlaygroundView | null>(null);
  const [requests, setRequests] = useState<RequestLine[]>([]);
  const [dispatches, setDispatches] = useState<DispatchLine[]>([]);
  const [commandOpen, setCommandOpen] = useState(false);
  const [draft, setDraft] = useState('');
  const [notice, setNotice] = useState('');
  const [dismissed, setDismissed] = useState<Set<string>>(new Set());
  const [connected, setConnected] = useState(false);
  const whereRef = useRef(where);
  whereRef.current = where;
  const timer = useRef<number | undefined>(undefined);
  const listRef = useRef<HTMLOListElement>(null);

  const refresh = useCallback(async () => {
    const w = whereRef.current;
    const params = new URLSearchParams({ guild: w.guild, as: w.as, channel: w.channel });
    const response = await fetch(`/playground/api/view?${params}`);
    if (!response.ok) return;
    const next = (await response.json()) as PlaygroundView;
    if (whereRef.current !== w) return;
    setView(next);
    // A channel that disappeared (deleted, or hidden from this person) is left.
    if (w.channel && !next.channel) setWhere({ ...w, channel: '' });
  }, []);

  const soon = useCallback(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void refresh(), 40);
  }, [refresh]);

  useEffect(() => {
    writeHash(where);
    void refresh();
  }, [where, refresh]);

  useEffect(() => {
    const events = new EventSource('/playground/events');
    events.addEventListener('open', () => setConnected(true));
    events.addEventListener('error', () => setConnected(false));
    events.addEventListener('hello', (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as { requests: RequestLine[]; dispatches: DispatchLine[] };
      setRequests(data.requests);
      setDispatches(data.dispatches);
      soon();
    });
    events.addEventListener('request', (e) => setRequests((old) => [...old.slice(-299), JSON.parse((e as MessageEvent<string>).data) as RequestLine]));
    events.addEventListener('dispatch', (e) => {
      setDispatches((old) => [...old.slice(-299), JSON.parse((e as MessageEvent<string>).data) as DispatchLine]);
      soon();
    });
    events.addEventListener('interaction', soon);
    return () => events.close();
  }, [soon]);

  useEffect(() => {
    listRef.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [view?.messages.length, view?.channel?.id]);

  if (!view) return <p class="boot">Loading the playground…</p>;
  if (!view.guild)
    return (
      <p class="boot">
        The emulator has no server yet. Start it with <code>make run</code>, which seeds a demo server.
      </p>
    );
  const guild = view.guild;
  const me = view.me;
  const botName = view.names.users[guild.botUserId] ?? 'The bot';

  const interact = async (body: Record<string, unknown>) => {
    if (!me) return;
    setNotice('');
    const result = await post('/interactions', { guildId: guild.id, userId: me.id, ...body });
    if (!result.ok) setNotice(`The emulator refused: ${String(result.body.error ?? 'unknown error')}`);
    soon();
  };

  const actions: Actions = {
    click: (message, customId) => void interact({ channelId: message.channel_id, kind: 'button', customId, messageId: message.id }),
    select: (message, customId, values) => void interact({ channelId: message.channel_id, kind: 'select', customId, values, messageId: message.id }),
    openChannel: (id) => setWhere((w) => ({ ...w, channel: id })),
    dismiss: (message: MessageView) => setDismissed((old) => new Set([...old, message.id])),
  };

  const sendCommand = async ({ path, args, attachments }: CommandSend) => {
    if (!view.channel) return;
    await interact({ channelId: view.channel.id, kind: 'command', path, args, attachments });
    setCommandOpen(false);
  };

  const suggest: Suggest = async (path, args, focused) => {
    if (!me || !view.channel) return [];
    const result = await post('/interactions', { guildId: guild.id, userId: me.id, channelId: view.channel.id, kind: 'autocomplete', path, args, focused });
    if (!result.ok) return [];
    const response = await fetch(`/_emulator/interactions/${String(result.body.id)}/wait?for=response&timeout=3000`);
    if (!response.ok) return [];
    const state = (await response.json()) as { response?: { type: number; data?: { choices?: { name: string; value: string | number }[] } } | null };
    return state.response?.type === 8 ? (state.response.data?.choices ?? []) : [];
  };

  const sendMessage = async (e: Event) => {
    e.preventDefault();
    if (!me || !view.channel || !draft.trim()) return;
    if (draft.trim().startsWith('/')) {
      setCommandOpen(true);
      setDraft('');
      return;
    }
    const result = await post('/messages', { channelId: view.channel.id, userId: me.id, content: draft });
    if (result.ok) setDraft('');
    else setNotice(`The emulator refused: ${String(result.body.error ?? 'unknown error')}`);
    soon();
  };

  const modal = view.modal && !dismissed.has(view.modal.interactionId) ? view.modal : null;
  const messages = view.messages.filter((m) => !dismissed.has(m.id));

  return (
    <div class="app">
      <header class="top">
        <h1>{guild.name}</h1>
        <label class="acting-as">
          Acting as
          <select
            name="as"
            value={me?.id ?? ''}
            onChange={(e) => {
              setWhere((w) => ({ ...w, as: (e.currentTarget as HTMLSelectElement).value }));
              setCommandOpen(false);
            }}
          >
            {view.personas.map((p) => (
              <option key={p.id} value={p.id}>{`${p.username} (${p.label})`}</option>
            ))}
          </select>
        </label>
        {view.guilds.length > 1 && (
          <label>
            Server
            <select name="guild" value={guild.id} onChange={(e) => setWhere({ guild: (e.currentTarget as HTMLSelectElement).value, as: '', channel: '' })}>
              {view.guilds.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <span class={connected ? 'live on' : 'live'}>{connected ? '● live' : '○ reconnecting…'}</span>
      </header>
      <ChannelList view={view} current={view.channel?.id ?? ''} onOpen={actions.openChannel} />
      <main class="chat">
        {view.channel ? (
          <>
            <h2 class="channel-title"># {view.channel.name}</h2>
            <ol class="messages" ref={listRef} aria-label={`Messages in #${view.channel.name}`}>
              {messages.map((m) => (
                <MessageItem key={m.id} message={m} names={view.names} botName={botName} actions={actions} />
              ))}
            </ol>
            {notice && (
              <p class="notice" role="alert">
                {notice}
              </p>
            )}
            {commandOpen ? (
              <CommandBox view={view} onSend={sendCommand} onSuggest={suggest} onClose={() => setCommandOpen(false)} />
            ) : (
              <form class="composer" onSubmit={sendMessage}>
                <button type="button" class="slash" title="Use a slash command" aria-label="Slash commands" onClick={() => setCommandOpen(true)}>
                  /
                </button>
                <input
                  name="message"
                  aria-label="Message"
                  disabled={!view.channel.canSend}
                  placeholder={
                    view.channel.canSend
                      ? `Message #${view.channel.name} (type / for commands)`
                      : 'You do not have permission to send messages in this channel.'
                  }
                  value={draft}
                  onInput={(e) => {
                    const value = (e.currentTarget as HTMLInputElement).value;
                    if (value === '/') {
                      setCommandOpen(true);
                      setDraft('');
                    } else setDraft(value);
                  }}
                />
              </form>
            )}
          </>
        ) : (
          <div class="welcome">
            <h2>Welcome to {guild.name}</h2>
            <p>
              Pick a channel on the left. Switch "Acting as" to be the owner, an admin, staff, a member or a stranger: each sees only what Discord's permissions
              let them see.
            </p>
            <p>Everything here is real: your clicks reach the bot through the gateway, and the bot answers through REST (see the panel on the right).</p>
          </div>
        )}
      </main>
      <SidePanel requests={requests} dispatches={dispatches} />
      {modal && (
        <ModalDialog
          key={modal.interactionId}
          modal={modal}
          onCancel={() => setDismissed((old) => new Set([...old, modal.interactionId]))}
          onSubmit={async (fields) => {
            setDismissed((old) => new Set([...old, modal.interactionId]));
            await interact({ channelId: modal.channelId, kind: 'modal', customId: modal.customId, fields });
          }}
        />
      )}
    </div>
  );
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
