import type { DomainConfig } from '../context.ts';

/** Hours after an event starts during which a ticket refused at its gate can still be reported. */
export const gateReportHours = 48;

/**
 * Returns the last moment a receiver may report a ticket of a completed trade: the later of
 * `disputeAfterCompletionDays` after completion and two days after the ticket's event starts.
 */
export function reportDeadline(
  completedAt: Date,
  eventStartsAt: Date,
  config: DomainConfig,
): Date {
  const afterCompletion = completedAt.getTime() + config.disputeAfterCompletionDays * 86_400_000;
  const afterEvent = eventStartsAt.getTime() + gateReportHours * 3_600_000;

  return new Date(Math.max(afterCompletion, afterEvent));
}
