export { Alert, StatusMessage } from './Alert.tsx';
export {
  Field,
  SelectField,
  TextAreaField,
  TextField,
  type ControlProps,
} from './Field.tsx';
export {
  formatConfidence,
  formatCredits,
  formatCurrency,
  formatEventTime,
  formatLocalTime,
  humanizeState,
  parseAmountToMinor,
} from './format.ts';
export { Credits, Money } from './Money.tsx';
export { StateBadge } from './StateBadge.tsx';
