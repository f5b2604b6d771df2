/** How records travel along an edge, as the job plan names it (ShipStrategy enum). */
export const SHIP_STRATEGIES = ["HASH", "REBALANCE", "RESCALE", "FORWARD", "CUSTOM", "BROADCAST", "GLOBAL", "SHUFFLE", "UNKNOWN"] as const;
export type ShipStrategy = (typeof SHIP_STRATEGIES)[number];

/** The strategies by their lower-case names (every plan edge is looked up, at every reconcile). */
const BY_LOWER_CASE: ReadonlyMap<string, ShipStrategy> = new Map(SHIP_STRATEGIES.map((s) => [s.toLowerCase(), s]));

/** ShipStrategy.of: case-insensitive match, UNKNOWN otherwise. */
export function shipStrategyOf(value: string): ShipStrategy {
  return BY_LOWER_CASE.get(value.toLowerCase()) ?? "UNKNOWN";
}
