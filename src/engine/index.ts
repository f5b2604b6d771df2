export { Environment, type EventHandle } from "./Environment.ts";
export { EventQueue } from "./EventQueue.ts";
export { RandomStreams, nextInt, type Random } from "./random.ts";
export { sampler, mean, type DistributionSpec, type Sampler } from "./distributions.ts";
