/** `[metrics]` and `[ratelimit]` -> their slices: operating the server (ours; acme-dns has neither). */
import type { z } from 'zod';
import type { MetricsConfig, RateLimitConfig } from './types';
import type { KeyOf } from './keys';
import { LOOPBACK_RANGES } from '../core/cidr';
import { cidrList, duration, flag, int, parsedText, section } from './fields';
import { parseListen, type Parsed } from './values';

/** Plenty for any limit someone means; keeps the arithmetic far from overflow. */
const LIMIT_MAX = 1_000_000;

const listenOrEmpty = (v: string): Parsed<string> => (v.trim() === '' ? { ok: true, value: '' } : parseListen(v));

const metricsKeys = {
  enabled: flag().default(true),
  // "" serves GET /metrics on the API listener; "host:port" on a plain-HTTP listener of its own.
  listen: parsedText(listenOrEmpty, 'an address "host:port" or ""').default(''),
  // The series help whoever probes the server (which routes fail, why, which versions run): only
  // this machine by default, on either listener; a Prometheus elsewhere is named here.
  allow: cidrList().default([...LOOPBACK_RANGES]),
} satisfies Record<KeyOf<'metrics'>, z.ZodType>;

/** The `[metrics]` section's schema. */
export const metricsSection = section('metrics', metricsKeys).transform(
  (m): MetricsConfig => ({ enabled: m.enabled, listen: m.listen, allow: m.allow }),
);

// The defaults are far above what an honest client does (one registration per certificate name,
// a failed authentication only when misconfigured) and far below what a brute force needs.
const rateLimitKeys = {
  register_per_hour: int(0, LIMIT_MAX).default(30),
  register_burst: int(1, LIMIT_MAX).default(10),
  auth_failures: int(0, LIMIT_MAX).default(20),
  auth_failure_window: duration(1, 86400).default(600),
} satisfies Record<KeyOf<'ratelimit'>, z.ZodType>;

/** The `[ratelimit]` section's schema. */
export const rateLimitSection = section('ratelimit', rateLimitKeys).transform(
  (r): RateLimitConfig => ({
    registerPerHour: r.register_per_hour,
    registerBurst: r.register_burst,
    authFailures: r.auth_failures,
    authFailureWindowSeconds: r.auth_failure_window,
  }),
);
