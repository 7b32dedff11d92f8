import { UnrecoverableError } from 'bullmq';
import { fail, formatTicketNumber, msg, ok, render, resolveLocale, type Message } from '@promton/shared/domain';
import { INTERACTION_TOKEN_TTL_MS, type ConfigJob, type FeedbackOffer } from '@promton/shared/contracts';
import { FEEDBACK_OFFER_MS, readOffer, signOffer } from '../domain/feedback-offer.js';
import { safeError } from '../safe-error.js';
import type { HandlerDeps } from './deps.js';

/** `feedback.offer`: a signed offer for a closed ticket's member, when the server asks for feedback; null otherwise or when already offered. */
export async function feedbackOffer(deps: HandlerDeps, job: ConfigJob<'feedback.offer'>): Promise<FeedbackOffer | null> {
  const config = await deps.repo.guilds.loadConfig(job.guildId);
  if (!config.feedback) return null;
  const ticket = await deps.repo.tickets.getTicket(job.guildId, { number: job.ticketNumber });
  if (!ticket) return null;
  // Once per ticket: a retried close (or a close racing an auto-close) sends no second DM.
  if (!(await deps.feedbackOnce.claim('offered', job.guildId, job.ticketNumber, FEEDBACK_OFFER_MS))) return null;
  const expiresAt = new Date(deps.now().getTime() + FEEDBACK_OFFER_MS);
  return { offer: signOffer(await deps.repo.feedbackKey(), job.guildId, job.ticketNumber, expiresAt), expiresAt: expiresAt.toISOString() };
}

/**
 * `feedback.rate`: counts one rating per offer. The offer's signature and expiry are
 * checked, a Redis key per ticket (no member id) marks it used so a second click counts
 * nothing, and only the count per server, type and rating is stored. A comment goes to
 * the log channel and is not stored. The DM's buttons are taken off with the answer.
 */
export async function feedbackRate(deps: HandlerDeps, job: ConfigJob<'feedback.rate'>): Promise<{ answered: boolean }> {
  if (deps.now().getTime() - Date.parse(job.receivedAt) > INTERACTION_TOKEN_TTL_MS) return { answered: false };
  const read = readOffer(await deps.repo.feedbackKey(), job.offer, deps.now());
  const locale = resolveLocale(job.locale);
  let content: string;
  if (!read.ok) {
    content = fail(render(locale, msg(read.reason === 'expired' ? 'feedback.expired' : 'feedback.invalid')));
  } else if (!(await deps.feedbackOnce.claim('used', read.guildId, read.ticketNumber, read.expiresAt.getTime() - deps.now().getTime()))) {
    content = ok(render(locale, msg('feedback.already-rated', { ticket: formatTicketNumber(read.ticketNumber) })));
  } else {
    let counted: { typeName: string } | null;
    try {
      counted = await deps.repo.stats.countRating(read.guildId, read.ticketNumber, job.rating);
    } catch (error) {
      // Not counted: let the retry (or the member's next click) count it.
      await deps.feedbackOnce.release('used', read.guildId, read.ticketNumber);
      throw error;
    }
    if (!counted) {
      content = fail(render(locale, msg('feedback.ticket-gone')));
    } else {
      deps.analytics.changed();
      const comment = job.comment?.trim();
      if (comment) {
        await deps.log({
          guildId: read.guildId,
          kind: 'ticket.feedback',
          ticketNumber: read.ticketNumber,
          typeName: counted.typeName,
          detail: `${job.rating}/5`,
          reason: comment,
        });
      }
      const thanks: Message = msg(comment ? 'feedback.thanks-comment' : 'feedback.thanks', {
        ticket: formatTicketNumber(read.ticketNumber),
        rating: job.rating,
      });
      content = ok(render(locale, thanks));
    }
  }
  try {
    await deps.discord.editOriginal(job.applicationId, job.token, { content });
  } catch (error) {
    deps.logger.error({ err: safeError(error), interactionId: job.interactionId }, 'could not answer the rating');
    throw new UnrecoverableError(`could not answer the rating: ${safeError(error).message}`);
  }
  return { answered: true };
}
