/**
 * When to renew and how long to wait after a failure: pure arithmetic on milliseconds, so the
 * manager's timing decisions are unit-tested without clocks.
 */

/** A certificate's validity period (RFC 5280 §4.1.2.5), in epoch milliseconds. */
export interface Validity {
  readonly notBefore: number;
  readonly notAfter: number;
}

/** A renewal window suggested by the CA (ACME Renewal Information, RFC 9773 §4.2), epoch ms. */
export interface RenewalWindow {
  readonly start: number;
  readonly end: number;
}

/** What the scheduler decided: renew at `renewAt`, but wake no later than `wakeAt` to look again. */
export interface RenewalPlan {
  readonly renewAt: number;
  readonly wakeAt: number;
  /** Why `renewAt` was chosen, for the log line. */
  readonly reason: 'two-thirds' | 'ari' | 'expired';
}

/** The longest single sleep: Node timers overflow past 2^31-1 ms (~24.8 days), LE certs live 90. */
export const MAX_SLEEP_MS = 24 * 3600 * 1000;

/** The point at two thirds of the lifetime, as Let's Encrypt and certbot advise for 90-day certificates. */
export function twoThirdsPoint(validity: Validity): number {
  return validity.notBefore + Math.floor(((validity.notAfter - validity.notBefore) * 2) / 3);
}

/**
 * Picks the renewal time. With an ARI window the CA's advice wins when it is earlier than the
 * two-thirds point (RFC 9773 §4.2: a uniformly random time inside the window; a window already
 * past means now). `random` is in [0, 1). `ariRecheckAt` is when the CA asked to be asked again
 * (its Retry-After), so a revocation-driven window change is seen in time.
 */
export function planRenewal(
  validity: Validity,
  now: number,
  random: number,
  ari?: { readonly window: RenewalWindow; readonly recheckAt: number },
): RenewalPlan {
  let renewAt = twoThirdsPoint(validity);
  let reason: RenewalPlan['reason'] = 'two-thirds';
  if (ari && ari.window.end > ari.window.start) {
    const chosen = ari.window.end <= now ? now : ari.window.start + Math.floor(random * (ari.window.end - ari.window.start));
    if (chosen < renewAt) {
      renewAt = chosen;
      reason = 'ari';
    }
  }
  if (validity.notAfter <= now) reason = 'expired';
  renewAt = Math.max(now, Math.min(renewAt, validity.notAfter));
  let wakeAt = Math.min(renewAt, now + MAX_SLEEP_MS);
  if (ari) wakeAt = Math.min(wakeAt, Math.max(now, ari.recheckAt));
  return { renewAt, wakeAt, reason };
}

/** Retry timing after a failed attempt. */
export interface BackoffPolicy {
  /** Delay after the first failure. */
  readonly baseMs: number;
  /** The delay never grows beyond this. */
  readonly maxMs: number;
}

/** Production backoff: start at 30 s, double, stop growing at 1 h (LE allows 5 failed validations per hour). */
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 30_000, maxMs: 3_600_000 };

/**
 * The delay before retry number `failures` (1 after the first failure): exponential, capped, with
 * "equal jitter" (half fixed, half random) so that instances sharing a CA do not retry in step.
 * A CA-supplied Retry-After (RFC 8555 §6.6) is a floor.
 */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: number, retryAfterMs = 0): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const delay = Math.floor(ceiling / 2 + (random * ceiling) / 2);
  return Math.max(delay, retryAfterMs);
}
