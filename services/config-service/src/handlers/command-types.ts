import type { ConfigJob } from '@promton/shared/contracts';
import type { Answer } from '../discord.js';
import type { LogEvent } from './deps.js';

export type CommandJob = ConfigJob<'config.command'>;

/** What a command handler decided: the answer, and for a stored change what to log. */
export interface CommandOutcome {
  answer: Answer;
  /** Set when the guild's configuration changed: the projection is refreshed and `config.changed` logged. */
  changed?: { detail: string };
  /** Other events to log (privacy requests). */
  events?: LogEvent[];
}
