/** Levenshtein distance: the fewest single-character edits that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }

  return previous[b.length]!;
}

// Words that carry no identity in event and venue names.
const STOP_WORDS = new Set(['the', 'a', 'an', 'of', 'and', 'at', 'in', 'vs', 'v', 'versus',
  'live', 'presents', 'tour', 'with', 'feat', 'ft', 'fc', 'on']);

/** Splits a name into lower-case words without accents, punctuation or stop words. */
export function nameTokens(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((token) => token && !STOP_WORDS.has(token));
}

// OCR reads "m" as "rn", which is two edits, so both sides are compared with "rn" as "m".
function sameWord(a: string, b: string): boolean {
  if (a === b) {
    return true;
  }
  const left = a.replace(/rn/g, 'm');
  const right = b.replace(/rn/g, 'm');

  return left.length >= 5 && right.length >= 5 && editDistance(left, right) <= 1;
}

/**
 * Similarity of two word lists between 0 and 1: mostly the Dice coefficient of the shared
 * words, partly how many of them come in the same order, so that "Alabama at Georgia"
 * ranks below itself when compared with "Georgia at Alabama". Words of five letters or
 * more that differ by one edit count as equal, so one misread letter does not break a match.
 */
export function tokenSimilarity(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) {
    return 0;
  }
  const unmatched = [...b];
  let shared = 0;
  for (const token of a) {
    const index = unmatched.findIndex((other) => sameWord(token, other));
    if (index >= 0) {
      shared++;
      unmatched.splice(index, 1);
    }
  }
  const dice = (2 * shared) / (a.length + b.length);
  const ordered = (2 * commonSubsequenceLength(a, b)) / (a.length + b.length);

  return 0.85 * dice + 0.15 * ordered;
}

function commonSubsequenceLength(a: string[], b: string[]): number {
  const previous = new Array<number>(b.length + 1).fill(0);
  for (const word of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = sameWord(word, b[j - 1]!) ? diagonal + 1 : Math.max(above, previous[j - 1]!);
      diagonal = above;
    }
  }

  return previous[b.length]!;
}
