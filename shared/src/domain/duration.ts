import { DEFAULT_LOCALE, t, type SupportedLocale } from './i18n/index.js';

/** "2 h 5 min", "3 d 4 h", "45 s": two units at most, in the reader's language (log embeds, /config stats). */
export function formatDuration(ms: number, locale: SupportedLocale = DEFAULT_LOCALE): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3_600);
  const m = Math.floor((seconds % 3_600) / 60);
  if (d > 0) return t(locale, 'duration.days', { days: d, hours: h });
  if (h > 0) return t(locale, 'duration.hours', { hours: h, minutes: m });
  if (m > 0) return t(locale, 'duration.minutes', { minutes: m });
  return t(locale, 'duration.seconds', { seconds });
}
