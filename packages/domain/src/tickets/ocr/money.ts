/** An amount of money read from text. */
export interface MoneyReading {
  minorUnits: number;
  /** ISO 4217 code; absent when the text shows only a number. */
  currency?: string;
  /** How sure the currency is: 1 for a code or an unambiguous symbol, less for a bare `$`. */
  currencyCertainty: number;
  /** Position of the match in the searched text. */
  index: number;
}

// Longer symbols first, so that `US$` wins over `$`.
const SYMBOLS: Array<[string, string, number]> = [
  ['US$', 'USD', 1],
  ['CA$', 'CAD', 1],
  ['C$', 'CAD', 1],
  ['AU$', 'AUD', 1],
  ['A$', 'AUD', 1],
  ['€', 'EUR', 1],
  ['£', 'GBP', 1],
  ['¥', 'JPY', 0.9],
  // A bare dollar sign is most often US dollars on the tickets this service takes.
  ['$', 'USD', 0.8],
];
const CODES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'NZD', 'CHF', 'JPY', 'SEK', 'NOK', 'DKK',
  'MXN', 'PLN', 'CZK'];

const symbolPattern = SYMBOLS.map(([symbol]) => symbol.replace(/\$/g, '\\$')).join('|');
const codePattern = CODES.join('|');
// Thousands separated by comma, dot, space or apostrophe; decimals by dot or comma.
const amountPattern = String.raw`\d{1,3}(?:[,.' ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const MONEY = new RegExp(
  String.raw`(?:(${symbolPattern})|\b(${codePattern})\b)\s?(${amountPattern})` +
    String.raw`|(${amountPattern})\s?(?:(€|£|\$)|(${codePattern})\b)`,
  'g',
);

/**
 * Finds amounts of money in a line of text: `$89.50`, `US$89.50`, `EUR 89,50`, `45.00 USD`,
 * `1.234,50 €`. With `allowBare`, a plain decimal number (`89.50`) is taken too, for text
 * after a price label.
 */
export function findMoney(text: string, options: { allowBare?: boolean } = {}): MoneyReading[] {
  const found: MoneyReading[] = [];
  for (const match of text.matchAll(MONEY)) {
    const [, symbol, codeBefore, amountAfter, amountBefore, symbolAfter, codeAfter] = match;
    const amount = amountAfter ?? amountBefore ?? '';
    const marker = symbol ?? symbolAfter;
    const [currency, certainty] = marker
      ? symbolCurrency(marker)
      : [(codeBefore ?? codeAfter ?? '').toUpperCase(), 1];
    const minorUnits = toMinorUnits(amount, currency);
    if (minorUnits !== undefined) {
      found.push({ minorUnits, currency, currencyCertainty: certainty, index: match.index });
    }
  }

  if (found.length === 0 && options.allowBare) {
    const bare = /(?<![\d.,])(\d{1,3}(?:[,.]\d{3})*[.,]\d{2}|\d+)(?![\d.,])/.exec(text);
    const minorUnits = bare?.[1] ? toMinorUnits(bare[1], undefined) : undefined;
    if (bare && minorUnits !== undefined) {
      found.push({ minorUnits, currencyCertainty: 0, index: bare.index });
    }
  }

  return found;
}

function symbolCurrency(symbol: string): [string, number] {
  const entry = SYMBOLS.find(([candidate]) => candidate === symbol);

  return entry ? [entry[1], entry[2]] : ['USD', 0.5];
}

/** Number of decimal digits of a currency's minor unit, as ISO 4217 (via Intl) gives it. */
export function minorDigits(currency: string | undefined): number {
  if (!currency) {
    return 2;
  }
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency })
      .resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

// The last separator is the decimal point when one or two digits follow it; any other
// separator groups thousands.
function toMinorUnits(amount: string, currency: string | undefined): number | undefined {
  const compact = amount.replace(/\s/g, '');
  const decimal = /[.,](\d{1,2})$/.exec(compact);
  const wholePart = (decimal ? compact.slice(0, decimal.index) : compact).replace(/[,.' ]/g, '');
  const fraction = decimal?.[1] ?? '';
  if (!/^\d+$/.test(wholePart)) {
    return undefined;
  }

  const digits = minorDigits(currency);
  const scaled = Number(wholePart) * 10 ** digits +
    Math.round(Number(`0.${fraction || '0'}`) * 10 ** digits);

  return Number.isSafeInteger(scaled) ? scaled : undefined;
}
