/** How records travel along an edge, as the job plan names it (ShipStrategy enum). */
export const SHIP_STRATEGIES = ["HASH", "REBALANCE", "RESCALE", "FORWARD", "CUSTOM", "BROADCAST", "GLOBAL", "SHUFFLE", "UNKNOWN"] as const;
export type ShipStrategy = (typeof SHIP_STRATEGIES)[number];

/** ShipStrategy.of: case-insensitive match, UNKNOWN otherwise. */
export function shipStrategyOf(value: string): ShipStrategy {
  return SHIP_STRATEGIES.find((s) => s.toLowerCase() === value.toLowerCase()) ?? "UNKNOWN";
}
