/**
 * The messages between the primary and its DNS workers, over the cluster IPC channel (JSON).
 * Whatever arrives is `unknown` until one of these schemas accepts it; anything else on the
 * channel (prom-client's own cluster messages, a future version's) is ignored. DNS messages
 * travel as base64: JSON has no bytes.
 */
import { z } from 'zod';

const transport = z.enum(['udp', 'tcp']);
const bytes = z.base64();

/** The config the worker parses as the primary did: the same text and ACMEDNS_* overrides. */
const configSource = z.object({
  file: z.string(),
  text: z.string(),
  env: z.record(z.string(), z.string()),
});

/** Primary -> worker. */
export const toWorker = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    source: configSource,
    /** How many DNS workers share the traffic (the limits are divided by it). */
    workers: z.number().int().min(1),
    /** The ports the earlier workers bound, instead of the config's port 0 (see supervisor.ts). */
    listen: z.array(z.string()).optional(),
  }),
  z.object({ type: z.literal('update-reply'), id: z.number().int(), reply: bytes.nullable() }),
  z.object({ type: z.literal('metrics-request'), id: z.number().int() }),
  z.object({ type: z.literal('stop') }),
]);

/** A bound socket's address as net/dgram report it. */
const address = z.object({ address: z.string(), family: z.string(), port: z.number().int().min(0).max(65535) });

const metricValue = z.object({
  value: z.number(),
  labels: z.record(z.string(), z.union([z.string(), z.number()])),
  metricName: z.string().optional(),
});

/** One metric of prom-client's getMetricsAsJSON (the aggregators AggregatorRegistry knows). */
const metric = z.object({
  name: z.string(),
  help: z.string(),
  type: z.string(),
  aggregator: z.enum(['omit', 'sum', 'first', 'min', 'max', 'average']),
  values: z.array(metricValue),
});

/** Worker -> primary. */
export const toPrimary = z.discriminatedUnion('type', [
  /** Its message handler is installed: the primary may send `start` (nothing sent earlier is lost). */
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('listening'), udp: z.array(address), tcp: z.array(address) }),
  z.object({ type: z.literal('start-failed'), error: z.string() }),
  z.object({ type: z.literal('update'), id: z.number().int(), message: bytes, transport, source: z.string() }),
  z.object({ type: z.literal('metrics'), id: z.number().int(), metrics: z.array(metric) }),
]);

/** A message the primary sends. */
export type ToWorker = z.infer<typeof toWorker>;
/** A message a worker sends. */
export type ToPrimary = z.infer<typeof toPrimary>;
/** The config's source as the primary read it. */
export type ConfigSourceMessage = z.infer<typeof configSource>;

/** The message, or undefined when it is not one of ours. */
export function readToWorker(message: unknown): ToWorker | undefined {
  const parsed = toWorker.safeParse(message);
  return parsed.success ? parsed.data : undefined;
}

/** The message, or undefined when it is not one of ours. */
export function readToPrimary(message: unknown): ToPrimary | undefined {
  const parsed = toPrimary.safeParse(message);
  return parsed.success ? parsed.data : undefined;
}
