export {
  COMPARABLES_MODEL_VERSION,
  sectionTierOf,
  valueByComparables,
  type ComparablesResult,
  type ComparableUsed,
  type SectionTier,
} from './comparables.ts';
export {
  capToFaceValue,
  type FaceValueCapInput,
  type FaceValueCapResult,
} from './face-value-cap.ts';
export { recordEventView, revalueJobName } from './demand.ts';
export { explainTicketValue, type TicketValueExplanation } from './explain.ts';
export { loadServedModel, type ServedModel } from './model/served-model.ts';
export { queueModelRevalue, revalueListedTickets, revalueTicket } from './revalue.ts';
export {
  comparablesConfidence,
  median,
  relativeSpread,
  type ComparablesBasis,
} from './statistics.ts';
export { valueTicket, type TicketValuation, type ValueTicketOptions } from './value-ticket.ts';
