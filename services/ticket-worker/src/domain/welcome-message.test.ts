import { ComponentType, type APIComponentInContainer, type APIComponentInMessageActionRow } from 'discord-api-types/v10';
import { emptyEmbedCustomization } from '@promton/shared/contracts';
import { describe, expect, it } from 'vitest';
import { t } from '@promton/shared/domain';
import { welcomeMessage, type WelcomeInput } from './welcome-message.js';

const CREATOR = '200000000000000001';
const input = (over: Partial<WelcomeInput> = {}): WelcomeInput => ({
  ticketNumber: 42,
  creatorId: CREATOR,
  type: { label: 'Billing', welcomeMessage: 'Tell us your invoice number.', questions: ['Invoice number?', 'What happened?'] },
  answers: [],
  claimedBy: null,
  embed: emptyEmbedCustomization,
  now: new Date('2024-05-01T12:00:00.000Z'),
  locale: 'en-US',
  ...over,
});

/** The components inside the message's rows. */
const components = (message: ReturnType<typeof welcomeMessage>) =>
  (message.components ?? []).flatMap<APIComponentInMessageActionRow | APIComponentInContainer>((row) => ('components' in row ? row.components : []));

const buttons = (message: ReturnType<typeof welcomeMessage>) =>
  components(message).map((c) => ({ type: c.type, label: 'label' in c ? c.label : undefined, custom_id: 'custom_id' in c ? c.custom_id : undefined }));

const emojis = (message: ReturnType<typeof welcomeMessage>) => components(message).map((c) => ('emoji' in c ? c.emoji?.name : undefined));

describe('welcomeMessage', () => {
  it('mentions the creator and titles the embed with the padded number and label', () => {
    const message = welcomeMessage(input());
    expect(message.content).toContain(`<@${CREATOR}>`);
    expect(message.allowed_mentions).toEqual({ users: [CREATOR] });
    const embed = message.embeds![0]!;
    expect(embed.title).toContain('#0042');
    expect(embed.title).toContain('Billing');
    expect(embed.description).toBe('Tell us your invoice number.');
    expect(embed.timestamp).toBe('2024-05-01T12:00:00.000Z');
  });

  it('puts the after-hours notice on its own line under the mention, and nothing else without one', () => {
    expect(welcomeMessage(input()).content).toBe(`<@${CREATOR}> #0042`);
    expect(welcomeMessage(input({ notice: 'Support hours are over.' })).content).toBe(`<@${CREATOR}> #0042\nSupport hours are over.`);
  });

  it('falls back to the default welcome', () => {
    expect(welcomeMessage(input({ type: { label: 'Support', welcomeMessage: null, questions: [] } })).embeds![0]!.description).toBe(
      t('en-US', 'welcome.default'),
    );
  });

  it("shows answers under the type's question text, then Claimed by", () => {
    const message = welcomeMessage(
      input({
        answers: [
          { question: 'q0', answer: 'INV-1' },
          { question: 'q1', answer: '' },
          { question: 'Free text', answer: 'x' },
        ],
      }),
    );
    expect(message.embeds![0]!.fields).toEqual([
      { name: 'Invoice number?', value: 'INV-1' },
      { name: 'What happened?', value: '—' },
      { name: 'Free text', value: 'x' },
      { name: 'Claimed by', value: 'Nobody yet' },
    ]);
  });

  it('keeps the raw key when the question no longer exists', () => {
    expect(welcomeMessage(input({ answers: [{ question: 'q4', answer: 'a' }] })).embeds![0]!.fields![0]).toEqual({ name: 'q4', value: 'a' });
  });

  it('reads only a whole q0..q4 key as a question number, not a free-text question that contains one', () => {
    const fields = welcomeMessage(
      input({
        answers: [
          { question: 'faq1', answer: 'a' },
          { question: 'q1 again', answer: 'b' },
        ],
      }),
    ).embeds![0]!.fields!;
    expect(fields.slice(0, 2)).toEqual([
      { name: 'faq1', value: 'a' },
      { name: 'q1 again', value: 'b' },
    ]);
  });

  it("has Close and Claim buttons with the ticket's custom ids", () => {
    expect(buttons(welcomeMessage(input()))).toEqual([
      { type: ComponentType.Button, label: 'Close', custom_id: 'pt:v1:close:42' },
      { type: ComponentType.Button, label: 'Claim', custom_id: 'pt:v1:claim:42' },
    ]);
    expect(emojis(welcomeMessage(input()))).toEqual(['🔒', '🙋']);
  });

  it('shows the claimer and an Unclaim button when claimed', () => {
    const message = welcomeMessage(input({ claimedBy: '200000000000000002' }));
    expect(message.embeds![0]!.fields!.at(-1)).toEqual({ name: 'Claimed by', value: '<@200000000000000002>' });
    expect(buttons(message)[1]).toMatchObject({ label: 'Unclaim', custom_id: 'pt:v1:unclaim:42' });
  });

  it('shows the guild banner', () => {
    const embed = welcomeMessage(input({ embed: { ...emptyEmbedCustomization, bannerUrl: 'https://cdn.example.com/b.png' } })).embeds![0]!;
    expect(embed.image).toEqual({ url: 'https://cdn.example.com/b.png' });
  });
});
