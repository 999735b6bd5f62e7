export {
  COMPARABLES_MODEL_VERSION,
  sectionTierOf,
  valueTicket,
  type SectionTier,
  type TicketValuation,
  type ValueTicketOptions,
} from './comparables.ts';
export {
  capToFaceValue,
  type FaceValueCapInput,
  type FaceValueCapResult,
} from './face-value-cap.ts';
export {
  comparablesConfidence,
  median,
  relativeSpread,
  type ComparablesBasis,
} from './statistics.ts';
