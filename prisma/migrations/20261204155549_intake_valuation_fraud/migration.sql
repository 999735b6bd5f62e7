-- CreateEnum
CREATE TYPE "IntakeStatus" AS ENUM ('QUEUED', 'PROCESSING', 'NEEDS_REVIEW', 'READY', 'FAILED');

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "intakeError" TEXT,
ADD COLUMN     "intakeStatus" "IntakeStatus" NOT NULL DEFAULT 'READY',
ADD COLUMN     "ocrFields" JSONB,
ADD COLUMN     "ocrProvider" TEXT,
ALTER COLUMN "barcodeHash" DROP NOT NULL,
ALTER COLUMN "barcodeFormat" DROP NOT NULL;

-- AlterTable
ALTER TABLE "Valuation" ADD COLUMN     "baseValueMinor" INTEGER,
ADD COLUMN     "capped" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "fallback" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "features" JSONB,
ADD COLUMN     "predictedMinor" INTEGER;

-- CreateTable
CREATE TABLE "EventView" (
    "id" UUID NOT NULL,
    "eventId" UUID NOT NULL,
    "viewerId" UUID,
    "viewedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EventView_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FraudSignal" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL,
    "data" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FraudSignal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "EventView_eventId_viewedAt_idx" ON "EventView"("eventId", "viewedAt");

-- CreateIndex
CREATE INDEX "FraudSignal_userId_createdAt_idx" ON "FraudSignal"("userId", "createdAt");

-- AddForeignKey
ALTER TABLE "EventView" ADD CONSTRAINT "EventView_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FraudSignal" ADD CONSTRAINT "FraudSignal_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
