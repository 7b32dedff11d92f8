import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Paths pino blanks out in a log record: at the top, one level down (`ctx.token`,
 * `headers.authorization`, `config.ownerToken`) and, for tokens, two levels down
 * (`data.ctx.token`, `job.data.token`).
 */
export const redactedPaths = [
  'token',
  '*.token',
  '*.*.token',
  'authorization',
  '*.authorization',
  'discordToken',
  '*.discordToken',
  'ownerToken',
  '*.ownerToken',
];

export interface LoggerOptions {
  service: string;
  level?: string;
  /** Destination stream; stdout when omitted. */
  destination?: pino.DestinationStream;
}

/** One logger per process, with tokens redacted wherever they appear. */
export function createLogger({ service, level = 'info', destination }: LoggerOptions): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service },
    redact: { paths: redactedPaths, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
