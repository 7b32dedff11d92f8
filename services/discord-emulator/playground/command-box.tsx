/** The slash-command box: built from the commands the bot registered, checked as Discord checks before sending. */
import { useMemo, useState } from 'preact/hooks';
import { checkCommand, leafCommands, OPTION_TYPE_NAMES, OptionType, type CommandDef, type OptionDef, type RawValues } from '../src/playground/command-check.js';
import type { PlaygroundView } from '../src/playground/view.js';

/** Asks the bot for suggestions as Discord does (an autocomplete interaction): the choices it answered. */
export type Suggest = (path: string[], args: Record<string, string>, focused: string) => Promise<{ name: string; value: string | number }[]>;

export interface CommandSend {
  path: string[];
  args: Record<string, string | number | boolean>;
  attachments: { filename: string; contentBase64: string; contentType: string }[];
}

function OptionInput({
  option,
  value,
  view,
  onInput,
  onFile,
  suggestions,
}: {
  option: OptionDef;
  value: string;
  view: PlaygroundView;
  onInput: (v: string) => void;
  onFile: (f: File | null) => void;
  /** What the bot suggested for an autocomplete option, as you type. */
  suggestions?: { name: string; value: string | number }[] | undefined;
}) {
  const id = `opt-${option.name}`;
  const common = { id, name: option.name, 'aria-describedby': `${id}-help` };
  const choose = (items: { value: string; label: string }[]) => (
    <select {...common} value={value} onChange={(e) => onInput((e.currentTarget as HTMLSelectElement).value)}>
      <option value="">{option.required ? 'Choose…' : '(leave empty)'}</option>
      {items.map((item) => (
        <option key={item.value} value={item.value}>
          {item.label}
        </option>
      ))}
    </select>
  );
  if (option.choices && option.choices.length > 0) return choose(option.choices.map((c) => ({ value: String(c.value), label: c.name })));
  switch (option.type) {
    case OptionType.Boolean:
      return choose([
        { value: 'true', label: 'True' },
        { value: 'false', label: 'False' },
      ]);
    case OptionType.User:
      return choose(view.members.map((m) => ({ value: m.id, label: `@${m.username}` })));
    case OptionType.Role:
      return choose(view.roles.map((r) => ({ value: r.id, label: `@${r.name}` })));
    case OptionType.Mentionable:
      return choose([
        ...view.roles.map((r) => ({ value: r.id, label: `@${r.name} (role)` })),
        ...view.members.map((m) => ({ value: m.id, label: `@${m.username}` })),
      ]);
    case OptionType.Channel: {
      const types = option.channel_types;
      const channels = Object.entries(view.names.channels).filter(([cid]) => {
        const type = view.channels.find((c) => c.id === cid)?.type;
        return !types || types.length === 0 || (type !== undefined && types.includes(type));
      });
      return choose(channels.map(([cid, name]) => ({ value: cid, label: `#${name}` })));
    }
    case OptionType.Attachment:
      return (
        <input
          {...common}
          type="file"
          onChange={(e) => {
            const file = (e.currentTarget as HTMLInputElement).files?.[0] ?? null;
            onFile(file);
            onInput(file?.name ?? '');
          }}
        />
      );
    case OptionType.Integer:
    case OptionType.Number:
      return <input {...common} type="text" inputMode="decimal" value={value} onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)} />;
    default:
      if (option.autocomplete)
        return (
          <>
            <input
              {...common}
              type="text"
              list={`${id}-suggestions`}
              autoComplete="off"
              value={value}
              onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
            />
            <datalist id={`${id}-suggestions`}>
              {(suggestions ?? []).map((choice) => (
                <option key={String(choice.value)} value={String(choice.value)}>
                  {choice.name}
                </option>
              ))}
            </datalist>
          </>
        );
      return <input {...common} type="text" value={value} onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)} />;
  }
}

async function base64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function CommandBox({
  view,
  onSend,
  onSuggest,
  onClose,
}: {
  view: PlaygroundView;
  onSend: (send: CommandSend) => Promise<void>;
  onSuggest: Suggest;
  onClose: () => void;
}) {
  const leaves = useMemo(() => leafCommands(view.commands as unknown as CommandDef[]), [view.commands]);
  const [selected, setSelected] = useState('');
  const [values, setValues] = useState<RawValues>({});
  const [files, setFiles] = useState<Record<string, File>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [suggestions, setSuggestions] = useState<Record<string, { name: string; value: string | number }[]>>({});
  const leaf = leaves.find((l) => l.label === selected);

  const typed = (option: OptionDef, value: string) => {
    const next = { ...values, [option.name]: value };
    setValues(next);
    if (!leaf || !option.autocomplete) return;
    // Typed options so far, the focused one as its partial text: what Discord sends on each keystroke.
    const args = Object.fromEntries(Object.entries(next).filter(([name, v]) => v !== '' || name === option.name)) as Record<string, string>;
    onSuggest([leaf.command, ...leaf.path], args, option.name)
      .then((choices) => setSuggestions((old) => ({ ...old, [option.name]: choices })))
      .catch(() => setSuggestions((old) => ({ ...old, [option.name]: [] })));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!leaf) return;
    const result = checkCommand(leaf, values);
    setErrors(result.errors);
    if (Object.keys(result.errors).length > 0) return;
    setBusy(true);
    try {
      const attachments = await Promise.all(
        Object.entries(files)
          .filter(([name]) => result.args[name] !== undefined)
          .map(async ([, file]) => ({ filename: file.name, contentBase64: await base64(file), contentType: file.type || 'application/octet-stream' })),
      );
      await onSend({ path: [leaf.command, ...leaf.path], args: result.args, attachments });
      setValues({});
      setFiles({});
      setSelected('');
    } finally {
      setBusy(false);
    }
  };

  if (leaves.length === 0)
    return <div class="command-box empty">No commands for you here: the bot registered none, or they need permissions you do not have.</div>;
  return (
    <form class="command-box" onSubmit={submit} aria-label="Slash command">
      <div class="command-row">
        <label for="command-select">Command</label>
        <select
          id="command-select"
          name="command"
          value={selected}
          onChange={(e) => {
            setSelected((e.currentTarget as HTMLSelectElement).value);
            setValues({});
            setErrors({});
          }}
        >
          <option value="">Choose a command…</option>
          {leaves.map((l) => (
            <option key={l.label} value={l.label}>
              {l.label}
            </option>
          ))}
        </select>
        <button type="button" class="linklike" onClick={onClose}>
          Close
        </button>
      </div>
      {leaf && (
        <>
          <p class="command-description">{leaf.description}</p>
          <div class="command-options">
            {leaf.options.map((option) => (
              <div key={option.name} class={errors[option.name] ? 'option invalid' : 'option'}>
                <label for={`opt-${option.name}`}>
                  {option.name}
                  {option.required && (
                    <span class="required" title="required">
                      *
                    </span>
                  )}
                  <span class="option-type">{OPTION_TYPE_NAMES[option.type] ?? ''}</span>
                </label>
                <OptionInput
                  option={option}
                  value={values[option.name] ?? ''}
                  view={view}
                  onInput={(v) => typed(option, v)}
                  suggestions={suggestions[option.name]}
                  onFile={(f) =>
                    setFiles((old) => {
                      const next = { ...old };
                      if (f) next[option.name] = f;
                      else delete next[option.name];
                      return next;
                    })
                  }
                />
                <small id={`opt-${option.name}-help`}>{errors[option.name] ?? option.description ?? ''}</small>
              </div>
            ))}
          </div>
          <button type="submit" class="button primary" disabled={busy}>
            Send {leaf.label}
          </button>
        </>
      )}
    </form>
  );
}
