/** A model's price in USD per million tokens, as the analyst and script writer settings give it. */
export interface MTokPricing {
  inputPerMTok: number;
  outputPerMTok: number;
}

/** What a call cost, rounded to 1e-8 USD; 0 when the price is unknown. */
export function costUsd(
  tokens: { inputTokens: number; outputTokens: number },
  pricing: MTokPricing | undefined,
): number {
  if (!pricing) return 0;
  const cost = (tokens.inputTokens * pricing.inputPerMTok + tokens.outputTokens * pricing.outputPerMTok) / 1_000_000;
  return Math.round(cost * 1e8) / 1e8;
}
