import { describe, expect, it } from 'vitest';

import { capToFaceValue } from './face-value-cap.ts';

describe('capToFaceValue', () => {
  it('lowers a value above the allowed share of face value', () => {
    const result = capToFaceValue({
      valueMinor: 25_000,
      faceValueMinor: 10_000,
      maxPercentOfFace: 110,
    });

    expect(result).toEqual({ valueMinor: 11_000, capMinor: 11_000, capped: true });
  });

  it('keeps a value under the cap', () => {
    const result = capToFaceValue({
      valueMinor: 9_000,
      faceValueMinor: 10_000,
      maxPercentOfFace: 100,
    });

    expect(result).toEqual({ valueMinor: 9_000, capMinor: 10_000, capped: false });
  });

  it('rounds the cap down to a whole cent', () => {
    const result = capToFaceValue({
      valueMinor: 5_000,
      faceValueMinor: 3_333,
      maxPercentOfFace: 110,
    });

    expect(result.valueMinor).toBe(3_666);
  });

  it('applies no cap without a face value or a limit', () => {
    expect(
      capToFaceValue({ valueMinor: 25_000, faceValueMinor: null, maxPercentOfFace: 110 }).capped,
    ).toBe(false);
    expect(
      capToFaceValue({ valueMinor: 25_000, faceValueMinor: 10_000, maxPercentOfFace: null }),
    ).toEqual({ valueMinor: 25_000, capMinor: null, capped: false });
  });
});
