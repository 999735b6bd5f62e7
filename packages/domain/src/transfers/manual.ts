import type {
  ExternalStatus,
  TransferAdapter,
  TransferRequest,
  TransferStarted,
} from './adapter.ts';

/** Hours a manual transfer needs before the escrow deadline to be worth switching to. */
export const manualFallbackMinHours = 6;

/**
 * The manual flow: the sender moves the ticket outside the platform and marks it as sent
 * with a note (markTransferSent), and the receiver confirms it (confirmTransfer). Nothing is
 * called out; `transfer` only reports that people act next, and `status` reads the row.
 */
export class ManualTransferAdapter implements TransferAdapter {
  readonly method = 'MANUAL' as const;

  constructor(
    private readonly readState: (transferId: string) => Promise<string | null>,
    private readonly timing?: { now: Date; releaseDeadline: Date },
  ) {}

  async validate(request: TransferRequest): Promise<string[]> {
    const problems: string[] = [];
    if (!request.fromEmail || !request.toEmail) {
      problems.push('a trader has no e-mail address to agree the hand-over by');
    }
    if (this.timing) {
      const msLeft = this.timing.releaseDeadline.getTime() - this.timing.now.getTime();
      const hoursLeft = msLeft / 3_600_000;
      if (hoursLeft < manualFallbackMinHours) {
        problems.push(`only ${hoursLeft.toFixed(1)} hours remain before the escrow deadline`);
      }
    }

    return problems;
  }

  async transfer(): Promise<TransferStarted> {
    return { externalRef: null, status: 'pending' };
  }

  async status(request: TransferRequest): Promise<ExternalStatus> {
    const state = await this.readState(request.transferId);
    if (state === 'CONFIRMED') {
      return 'completed';
    }

    return state === 'FAILED' ? 'failed' : 'pending';
  }
}
