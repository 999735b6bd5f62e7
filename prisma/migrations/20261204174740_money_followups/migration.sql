-- CreateEnum
CREATE TYPE "DebtState" AS ENUM ('OPEN', 'SETTLED', 'WRITTEN_OFF');

-- AlterEnum
ALTER TYPE "DepositState" ADD VALUE 'REVERSED';

-- AlterEnum
ALTER TYPE "PayoutState" ADD VALUE 'REVERSED';

-- AlterTable
ALTER TABLE "Dispute" ADD COLUMN     "afterCompletion" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "ticketId" UUID;

-- AlterTable
ALTER TABLE "OutboxEvent" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "nextAttemptAt" TIMESTAMP(3),
ADD COLUMN     "parkedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Payout" ADD COLUMN     "availableAt" TIMESTAMP(3),
ADD COLUMN     "holdReason" TEXT,
ADD COLUMN     "providerReversalId" TEXT,
ADD COLUMN     "reversedAt" TIMESTAMP(3),
ADD COLUMN     "withheldMinor" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Transfer" ADD COLUMN     "staffReviewAt" TIMESTAMP(3),
ADD COLUMN     "staffReviewReason" TEXT;

-- CreateTable
CREATE TABLE "TraderDebt" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "tradeId" UUID,
    "payoutId" UUID,
    "amountMinor" INTEGER NOT NULL,
    "recoveredMinor" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'usd',
    "state" "DebtState" NOT NULL DEFAULT 'OPEN',
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "settledAt" TIMESTAMP(3),

    CONSTRAINT "TraderDebt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TraderDebt_userId_state_idx" ON "TraderDebt"("userId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "TraderDebt_payoutId_key" ON "TraderDebt"("payoutId");

-- CreateIndex
CREATE UNIQUE INDEX "Payout_providerReversalId_key" ON "Payout"("providerReversalId");

-- CreateIndex
CREATE INDEX "Transfer_staffReviewAt_idx" ON "Transfer"("staffReviewAt");

-- AddForeignKey
ALTER TABLE "TraderDebt" ADD CONSTRAINT "TraderDebt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TraderDebt" ADD CONSTRAINT "TraderDebt_payoutId_fkey" FOREIGN KEY ("payoutId") REFERENCES "Payout"("id") ON DELETE SET NULL ON UPDATE CASCADE;
