import { pino, type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks out wherever they appear in a log record. */
export const redactedPaths = [
  'token',
  '*.token',
  '*.*.token',
  'ctx.token',
  'data.ctx.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
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
