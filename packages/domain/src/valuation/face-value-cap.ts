// The lawful-resale cap: some jurisdictions limit what a ticket may be worth relative to the
// price printed on it.

export interface FaceValueCapInput {
  valueMinor: number;
  /** The ticket's face value in minor units, when known. */
  faceValueMinor: number | null;
  /** The jurisdiction's limit as a percentage of face value (110 means 110 %), when it has one. */
  maxPercentOfFace: number | null;
}

export interface FaceValueCapResult {
  valueMinor: number;
  /** The largest value allowed, or null when no cap applies. */
  capMinor: number | null;
  capped: boolean;
}

/**
 * Caps a value at `maxPercentOfFace` percent of the face value, rounding the cap down to a
 * whole minor unit. Without a face value or without a jurisdiction limit the value passes
 * unchanged.
 */
export function capToFaceValue(input: FaceValueCapInput): FaceValueCapResult {
  const { valueMinor, faceValueMinor, maxPercentOfFace } = input;
  if (faceValueMinor === null || maxPercentOfFace === null) {
    return { valueMinor, capMinor: null, capped: false };
  }

  const capMinor = Math.floor((faceValueMinor * maxPercentOfFace) / 100);
  if (valueMinor <= capMinor) return { valueMinor, capMinor, capped: false };

  return { valueMinor: capMinor, capMinor, capped: true };
}
