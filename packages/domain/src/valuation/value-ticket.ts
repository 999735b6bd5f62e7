// Valuation v1: the served XGBoost model with its SHAP explanation, falling back to the median
// of comparables when the model's confidence is low. Every valuation is stored.
import type { EventCategory, Prisma, Tx } from '@ts/db';
import type { SectionTier } from '@ts/db/seed';

import { DomainError } from '../errors.ts';
import {
  COMPARABLES_MODEL_VERSION,
  valueByComparables,
  type ComparablesResult,
  type ComparableUsed,
} from './comparables.ts';
import { fingerprintOf, loadDemand } from './demand.ts';
import { capToFaceValue } from './face-value-cap.ts';
import { buildFeatureRow, ticketTier, type Demand, type FeatureRow } from './model/features.ts';
import { predictWithExplanation, type ModelPrediction } from './model/predict.ts';
import { loadServedModel, type ServedModel } from './model/served-model.ts';
import type { ComparablesBasis } from './statistics.ts';

/** How many of the comparables used are stored with a valuation, nearest the median first. */
const STORED_COMPARABLES = 40;

export interface ValueTicketOptions {
  ticketId: string;
  /** The valuation time; only market prices collected by then are used. Defaults to now. */
  now?: Date;
  /**
   * The model to value with. Defaults to the served model in ml/model; null values by
   * comparables alone, as valuation v0 did.
   */
  model?: ServedModel | null;
}

export interface TicketValuation {
  valuationId: string;
  /** Credit minor units: 1 credit is 1 USD, so this equals the price in cents. */
  valueMinor: number;
  confidence: number;
  method: 'MODEL' | 'COMPARABLES';
  modelVersion: string;
  /** True when the model was too unsure and the median of comparables was used instead. */
  fallback: boolean;
  /** How many comparable prices the median used; 0 when the model's value is used. */
  comparables: number;
  basis: ComparablesBasis | null;
  sectionTier: SectionTier | null;
  /** The median of comparables, when they were consulted. */
  medianMinor: number | null;
  /** The model's own prediction, before fallback and cap; null without a model. */
  predictedMinor: number | null;
  capped: boolean;
}

/** Inputs of a valuation: the ticket, its event, the owner's cap and the demand. */
export interface ValuationInputs {
  ticket: {
    id: string;
    faceValueMinor: number | null;
    version: number;
  };
  event: { id: string; category: EventCategory };
  maxPercentOfFace: number | null;
  demand: Demand;
  features: FeatureRow | null;
  sectionTier: SectionTier | null;
}

/**
 * Reads what a valuation of the ticket depends on. Raises NOT_FOUND for an unknown ticket and
 * INVALID_INPUT for a ticket without an event.
 */
export async function loadValuationInputs(
  tx: Tx,
  ticketId: string,
  now: Date,
  model: ServedModel | null,
): Promise<ValuationInputs> {
  const ticket = await tx.ticket.findUnique({
    where: { id: ticketId },
    select: {
      id: true,
      section: true,
      row: true,
      sectionTier: true,
      faceValueMinor: true,
      version: true,
      owner: { select: { jurisdiction: true } },
      event: {
        select: {
          id: true,
          category: true,
          startsAt: true,
          homeRank: true,
          awayRank: true,
          homeElo: true,
          awayElo: true,
          isRivalry: true,
          venue: { select: { capacity: true, timezone: true } },
        },
      },
    },
  });
  if (!ticket) {
    throw new DomainError('NOT_FOUND', 'Ticket not found.', { ticketId });
  }
  const event = ticket.event;
  if (!event) {
    throw new DomainError('INVALID_INPUT', 'Choose the event of this ticket before valuing it.', {
      ticketId: ticket.id,
    });
  }

  const [demand, rule] = await Promise.all([
    loadDemand(tx, event.id, now),
    tx.jurisdictionRule.findUnique({
      where: { code: ticket.owner.jurisdiction },
      select: { maxPercentOfFace: true },
    }),
  ]);
  const features = model
    ? buildFeatureRow(model.spec, {
        section: ticket.section,
        row: ticket.row,
        sectionTier: ticket.sectionTier,
        category: event.category,
        startsAt: event.startsAt,
        timezone: event.venue.timezone,
        capacity: event.venue.capacity,
        homeRank: event.homeRank,
        awayRank: event.awayRank,
        homeElo: event.homeElo,
        awayElo: event.awayElo,
        isRivalry: event.isRivalry,
        demand,
        now,
      })
    : null;

  return {
    ticket: { id: ticket.id, faceValueMinor: ticket.faceValueMinor, version: ticket.version },
    event: { id: event.id, category: event.category },
    maxPercentOfFace: rule?.maxPercentOfFace ?? null,
    demand,
    features,
    sectionTier:
      features?.sectionTier ?? ticketTier(ticket.sectionTier, ticket.section, event.category),
  };
}

/**
 * The part of the valuation cache key besides ticket and model version: the demand, the model
 * input (days to the event change daily) and what the face-value cap depends on.
 */
export function valuationFingerprint(inputs: ValuationInputs): string {
  return fingerprintOf([
    inputs.demand,
    inputs.features?.named ?? null,
    inputs.sectionTier,
    inputs.ticket.faceValueMinor,
    inputs.ticket.version,
    inputs.maxPercentOfFace,
  ]);
}

/**
 * Values a ticket and records the result: a Valuation row with the model version, the model
 * input, the SHAP contributions in minor units and whether the value fell back or was capped,
 * plus the ticket's valueMinor and valueConfidence.
 *
 * The model's prediction is used when its confidence reaches the spec's threshold (0.75).
 * Below it the value is the median of comparable prices, and the valuation keeps the model's
 * explanation next to the comparables used. When no comparable price exists either, the
 * model's value is used with its low confidence. The owner's jurisdiction caps the value at a
 * percentage of face value.
 *
 * Raises NOT_FOUND for an unknown ticket, or when there is neither a model nor a comparable
 * price, and INVALID_INPUT for a ticket without an event.
 */
export async function valueTicket(tx: Tx, options: ValueTicketOptions): Promise<TicketValuation> {
  const now = options.now ?? new Date();
  const model = options.model === undefined ? loadServedModel() : options.model;
  const inputs = await loadValuationInputs(tx, options.ticketId, now, model);
  const prediction = model && inputs.features
    ? predictWithExplanation(model, inputs.features.vector)
    : null;
  const threshold = model?.spec.confidence.fallback_below ?? 1;
  const needsComparables = !prediction || prediction.confidence < threshold;
  const comparables = needsComparables
    ? await valueByComparables(tx, inputs.event, inputs.sectionTier, now)
    : null;

  const chosen = chooseValue(prediction, comparables);
  if (!chosen) {
    throw new DomainError('NOT_FOUND', 'No market prices are known for this event yet.', {
      ticketId: inputs.ticket.id,
      eventId: inputs.event.id,
    });
  }

  const cap = capToFaceValue({
    valueMinor: chosen.valueMinor,
    faceValueMinor: inputs.ticket.faceValueMinor,
    maxPercentOfFace: inputs.maxPercentOfFace,
  });
  const method = chosen.fromModel ? 'MODEL' : 'COMPARABLES';
  const modelVersion = model?.version ?? COMPARABLES_MODEL_VERSION;
  const fallback = prediction !== null && !chosen.fromModel;
  const usedComparables = chosen.fromModel ? 0 : (comparables?.comparables.length ?? 0);

  const valuation = await tx.valuation.create({
    data: {
      ticketId: inputs.ticket.id,
      method,
      modelVersion,
      valueMinor: cap.valueMinor,
      confidence: chosen.confidence,
      comparables: usedComparables,
      features: storedFeatures(inputs, prediction, chosen.fromModel ? null : comparables),
      contributions: prediction ? storedContributions(prediction) : undefined,
      baseValueMinor: prediction?.baseValueMinor,
      predictedMinor: prediction?.predictedMinor,
      fallback,
      capped: cap.capped,
    },
    select: { id: true },
  });
  await tx.ticket.update({
    where: { id: inputs.ticket.id },
    data: { valueMinor: cap.valueMinor, valueConfidence: chosen.confidence },
  });

  return {
    valuationId: valuation.id,
    valueMinor: cap.valueMinor,
    confidence: chosen.confidence,
    method,
    modelVersion,
    fallback,
    comparables: usedComparables,
    basis: comparables?.basis ?? null,
    sectionTier: inputs.sectionTier,
    medianMinor: comparables?.medianMinor ?? null,
    predictedMinor: prediction?.predictedMinor ?? null,
    capped: cap.capped,
  };
}

function chooseValue(prediction: ModelPrediction | null, comparables: ComparablesResult | null) {
  if (comparables) {
    return {
      valueMinor: comparables.medianMinor,
      confidence: comparables.confidence,
      fromModel: false,
    };
  }
  if (prediction) {
    return {
      valueMinor: prediction.predictedMinor,
      confidence: roundConfidence(prediction.confidence),
      fromModel: true,
    };
  }

  return null;
}

function roundConfidence(confidence: number): number {
  return Math.round(confidence * 1000) / 1000;
}

/** Builds the stored model input and, after a fallback, the comparables nearest the median. */
function storedFeatures(
  inputs: ValuationInputs,
  prediction: ModelPrediction | null,
  comparables: ComparablesResult | null,
): Prisma.InputJsonValue {
  const nearest = comparables
    ? [...comparables.comparables]
        .sort(
          (a, b) =>
            Math.abs(a.priceMinor - comparables.medianMinor) -
              Math.abs(b.priceMinor - comparables.medianMinor) ||
            a.priceMinor - b.priceMinor ||
            a.observedAt.getTime() - b.observedAt.getTime(),
        )
        .slice(0, STORED_COMPARABLES)
        .map(storedComparable)
    : [];

  return {
    values: inputs.features?.named ?? null,
    sectionTier: inputs.sectionTier,
    demand: { ...inputs.demand },
    demandFingerprint: fingerprintOf(inputs.demand),
    modelConfidence: prediction ? roundConfidence(prediction.confidence) : null,
    expectedLogError: prediction?.expectedError ?? null,
    outOfRange: prediction?.outOfRange ?? [],
    unseenCategory: prediction?.unseenCategory ?? false,
    comparablesBasis: comparables?.basis ?? null,
    comparablesMedianMinor: comparables?.medianMinor ?? null,
    comparablesUsed: nearest,
  };
}

function storedComparable(comparable: ComparableUsed) {
  return {
    priceMinor: comparable.priceMinor,
    sectionTier: comparable.sectionTier,
    source: comparable.source,
    observedAt: comparable.observedAt.toISOString(),
  };
}

function storedContributions(prediction: ModelPrediction): Prisma.InputJsonValue {
  return prediction.contributions.map((contribution) => ({ ...contribution }));
}
