/** Every notification kind a trader can receive; preferences are stored per kind and channel. */
export const notificationKinds = [
  'proposal.created',
  'proposal.accepted',
  'proposal.expired',
  'trade.escrowed',
  'transfer.sent',
  'transfer.confirmed',
  'transfer.fallback_manual',
  'transfer.staff_review',
  'trade.completed',
  'trade.timed_out',
  'dispute.opened',
  'dispute.resolved',
  'kyc.changed',
  'escrow.reminder',
  'debt.recorded',
  'topup.hold_released',
] as const;

export type NotificationKind = (typeof notificationKinds)[number];

/** Values a template may use; each kind reads only the ones it needs. */
export interface TemplateVars {
  proposalId?: string;
  tradeId?: string;
  kycStatus?: string;
  outcome?: string;
  hoursLeft?: number;
  /** What this recipient still has to do, for reminders. */
  actions?: ('send' | 'confirm')[];
}

export interface RenderedNotification {
  title: string;
  body: string;
  /** Path in the traders' app the notification opens. */
  link: string;
}

function tradeLink(vars: TemplateVars): string {
  return vars.tradeId ? `/trades/${vars.tradeId}` : '/trades';
}

function reminderBody(vars: TemplateVars): string {
  const parts: string[] = [];
  if (vars.actions?.includes('send')) {
    parts.push('send your ticket and mark it as sent');
  }
  if (vars.actions?.includes('confirm')) {
    parts.push('confirm the ticket you received');
  }
  const todo = parts.length > 0 ? parts.join(', and ') : 'finish your transfer';

  return `About ${vars.hoursLeft ?? 0} hours are left before this trade's escrow ends. ` +
    `Please ${todo}; otherwise both tickets go back to their owners.`;
}

/** Renders the title, body and link of a notification; plain text, used for e-mail too. */
export function renderNotification(
  kind: NotificationKind,
  vars: TemplateVars,
): RenderedNotification {
  switch (kind) {
    case 'proposal.created':
      return {
        title: 'New swap proposal',
        body: 'A trader proposed a swap for one of your tickets. Accept or reject it.',
        link: '/proposals',
      };
    case 'proposal.accepted':
      return {
        title: 'Proposal accepted',
        body: 'Another trader accepted a swap proposal you are part of.',
        link: '/proposals',
      };
    case 'proposal.expired':
      return {
        title: 'Proposal expired',
        body: 'A swap proposal expired before everyone answered. Your ticket is listed again.',
        link: '/proposals',
      };
    case 'trade.escrowed':
      return {
        title: 'Trade in escrow',
        body: 'Both tickets are now held in escrow. Send your ticket to the other trader.',
        link: tradeLink(vars),
      };
    case 'transfer.sent':
      return {
        title: 'Ticket on its way',
        body: 'A ticket for you was marked as sent. Confirm it once it has arrived.',
        link: tradeLink(vars),
      };
    case 'transfer.confirmed':
      return {
        title: 'Transfer confirmed',
        body: 'The receiver confirmed that your ticket arrived.',
        link: tradeLink(vars),
      };
    case 'transfer.fallback_manual':
      return {
        title: 'Transfer switched to manual',
        body: 'The ticketing partner could not transfer a ticket in this trade. The sender ' +
          'now sends it by hand and the receiver confirms it, as for other tickets.',
        link: tradeLink(vars),
      };
    case 'transfer.staff_review':
      return {
        title: 'Transfer under review',
        body: 'A ticket in this trade could not be transferred automatically or by hand in ' +
          'time. Our support team is reviewing it and will contact you.',
        link: tradeLink(vars),
      };
    case 'trade.completed':
      return {
        title: 'Trade completed',
        body: 'Both transfers are confirmed and the swap is complete.',
        link: tradeLink(vars),
      };
    case 'trade.timed_out':
      return {
        title: 'Trade timed out',
        body: 'The transfers were not confirmed in time. Both tickets went back to their ' +
          'owners and are listed again.',
        link: tradeLink(vars),
      };
    case 'dispute.opened':
      return {
        title: 'Dispute opened',
        body: 'A dispute was opened on this trade. It is frozen until support decides.',
        link: tradeLink(vars),
      };
    case 'dispute.resolved':
      return {
        title: 'Dispute resolved',
        body: `Support decided the dispute on this trade: ${describeOutcome(vars.outcome)}.`,
        link: tradeLink(vars),
      };
    case 'kyc.changed':
      return {
        title: 'Identity check updated',
        body: `Your identity check is now ${(vars.kycStatus ?? 'updated').toLowerCase()}.`,
        link: '/tickets',
      };
    case 'escrow.reminder':
      return {
        title: 'Escrow deadline approaching',
        body: reminderBody(vars),
        link: tradeLink(vars),
      };
    case 'debt.recorded':
      // No amount here: push notices show on lock screens. The payments page has the figures.
      return {
        title: 'Payout taken back',
        body: 'A dispute undid a trade you were paid for, and part of that payout could not ' +
          'be taken back from your payout account. What you owe comes out of your next ' +
          'payouts first; your payments page shows the amount.',
        link: '/payments',
      };
    case 'topup.hold_released':
      return {
        title: 'Card hold released',
        body: 'The card hold for this trade\'s cash top-up was released. The trade cannot ' +
          'complete until the payer authorizes the top-up again on the trade page; if that ' +
          'does not happen before the escrow deadline, both tickets go back.',
        link: tradeLink(vars),
      };
  }
}

function describeOutcome(outcome: string | undefined): string {
  switch (outcome) {
    case 'COMPLETE':
      return 'the swap goes ahead';
    case 'RETURN_BOTH':
      return 'both tickets go back to their owners';
    case 'SPLIT':
      return 'the trade is split';
    default:
      return (outcome ?? 'see the trade').toLowerCase();
  }
}
