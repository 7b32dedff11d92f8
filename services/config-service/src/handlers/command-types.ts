import { fail, ok, render, resolveLocale, type Message, type SupportedLocale } from '@promton/shared/domain';
import type { ConfigJob } from '@promton/shared/contracts';
import type { Answer } from '../discord.js';
import type { LogEvent } from './deps.js';

export type CommandJob = ConfigJob<'config.command'>;

/** A log event whose detail is still a sentence without a language (the log channel's is chosen when it is sent). */
export type OutcomeEvent = Omit<LogEvent, 'detail'> & { detail?: Message };

/** What a command handler decided: the answer, and for a stored change what to log. */
export interface CommandOutcome {
  answer: Answer;
  /** Set when the guild's configuration changed: the projection is refreshed and `config.changed` logged. */
  changed?: { detail: Message };
  /** Other events to log (privacy requests). */
  events?: OutcomeEvent[];
}

/** The language of the admin's or member's own answer. */
export function answerLocale(job: CommandJob): SupportedLocale {
  return resolveLocale(job.ctx.locale);
}

/** ✅ and a sentence in the asker's language (plus embeds or files). */
export function okAnswer(job: CommandJob, message: Message, extra: Omit<Answer, 'content'> = {}): Answer {
  return { content: ok(render(answerLocale(job), message)), ...extra };
}

/** ❌ and a sentence in the asker's language. */
export function failAnswer(job: CommandJob, message: Message): Answer {
  return { content: fail(render(answerLocale(job), message)) };
}
