import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerFile, answerPayload, logEvents, readProjection, startHarness, type Harness } from './support.js';

describe('config-service: the server language', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  const lastAnswer = () => answerPayload(h.discord.requests.filter((r) => r.method === 'PATCH').at(-1)!);

  it('answers each admin in their own Discord language, and an unknown one in English', async () => {
    expect(await h.command(['config', 'type', 'list'], {}, { locale: 'de' })).toBe(
      '✅ Noch keine Ticket-Typen; füge mit /einstellungen typ hinzufügen einen hinzu.',
    );
    expect(await h.command(['config', 'type', 'list'], {}, { locale: 'fr' })).toMatch(
      /^✅ Aucun type de ticket pour le moment ; ajoutes-en un avec \/configuration type ajouter\.$/,
    );
    expect(await h.command(['config', 'type', 'list'], {}, { locale: 'ja' })).toBe('✅ No ticket types yet; add one with /config type add.');
    expect(await h.command(['config', 'type', 'add'], { name: 'Bad Name', label: 'X' }, { locale: 'ru' })).toBe(
      '❌ Имя должно состоять из 1–32 символов a-z, 0-9 и -.',
    );
  });

  it('sets and resets the server language: projection, /config show, export, import and the log entry follow it', async () => {
    expect(await h.command(['config', 'language', 'set'], { locale: 'klingon' })).toMatch(/^❌ The language must be one of: English \(en-US\), Deutsch \(de\)/);
    expect(await h.command(['config', 'language', 'set'], { locale: 'de' })).toBe(
      '✅ The server language is now Deutsch (de): welcome messages, panels, log entries and transcripts use it.',
    );
    expect(await readProjection(h)).toMatchObject({ language: 'de' });
    const logged = await logEvents(h);
    expect(logged.at(-1)).toMatchObject({ kind: 'config.changed', detail: 'Serversprache auf Deutsch (de) gesetzt' });

    await h.command(['config', 'show'], {}, { locale: 'en-US' });
    expect(JSON.stringify(lastAnswer().embeds)).toContain('Deutsch (set with /config language set)');

    await h.command(['config', 'export']);
    const exported = JSON.parse(answerFile(h.discord.requests.filter((r) => r.method === 'PATCH').at(-1)!)) as { language: string | null };
    expect(exported.language).toBe('de');
    const importFile = (name: string, content: unknown) => {
      h.discord.files.set(name, JSON.stringify(content));
      const attachment = { url: `${h.discord.url}/files/${name}`, filename: name, size: 100 };
      return h.command(['config', 'import'], { file: '900000000000000001' }, { resolved: { attachments: { '900000000000000001': attachment } } });
    };
    expect(await importFile('xx.json', { ...exported, language: 'xx' })).toBe('❌ The language xx is not one the bot speaks.');
    expect(await readProjection(h)).toMatchObject({ language: 'de' });
    expect(await importFile('fr.json', { ...exported, language: 'fr' })).toMatch(/^✅ The configuration was imported/);
    expect(await readProjection(h)).toMatchObject({ language: 'fr' });

    expect(await h.command(['config', 'language', 'reset'], {}, { guildLocale: 'pt-BR' })).toBe(
      "✅ The server language follows Discord's server setting again (now Português do Brasil).",
    );
    expect(await readProjection(h)).toMatchObject({ language: null });
    await h.command(['config', 'show'], {}, { guildLocale: 'tr' });
    expect(JSON.stringify(lastAnswer().embeds)).toContain("Türkçe (Discord's server setting)");
  });
});
