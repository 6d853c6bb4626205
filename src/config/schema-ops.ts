/** `[metrics]` and `[ratelimit]` -> their slices: operating the server (ours; acme-dns has neither). */
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
};

/** The `[metrics]` section's schema. */
export const metricsSection = section('metrics', metricsKeys).transform((m) => ({
  enabled: m.enabled,
  /** `host:port` of a plain-HTTP listener of their own; empty: GET /metrics on the API listener. */
  listen: m.listen,
  /** CIDRs that may scrape, normalised (`127.0.0.1/32`); everyone else gets 404. */
  allow: m.allow,
}));

// The defaults are far above what an honest client does (one registration per certificate name,
// a provisioning script's burst of 100; a failed authentication only when misconfigured; a few
// writes per name and renewal) and far below what a brute force or a flood needs.
const rateLimitKeys = {
  register_per_hour: int(0, LIMIT_MAX).default(60),
  register_burst: int(1, LIMIT_MAX).default(100),
  auth_failures: int(0, LIMIT_MAX).default(20),
  auth_failure_window: duration(1, 86400).default(600),
  auth_failures_per_address: int(0, LIMIT_MAX).default(200),
  auth_malformed: int(0, LIMIT_MAX).default(1000),
  // One compare at a time per address: whatever one address sends, its compares take at most
  // one of libuv's 4 threads (one core), and the event loop keeps the CPU to answer the others
  // (bench/auth-flood.mjs measured the valid update's latency at 1, 2 and 4).
  auth_in_flight: int(0, 10_000).default(1),
  update_per_hour: int(0, LIMIT_MAX).default(600),
  update_burst: int(1, LIMIT_MAX).default(200),
  // POST /account/check asks DNS about a name the client chooses: a few a minute is plenty for a
  // person at the page, and keeps the server from being made to query names at volume.
  check_per_hour: int(0, LIMIT_MAX).default(60),
  check_burst: int(1, LIMIT_MAX).default(10),
  check_per_address_per_hour: int(0, LIMIT_MAX).default(120),
  check_per_address_burst: int(1, LIMIT_MAX).default(20),
};

/** The `[ratelimit]` section's schema. */
export const rateLimitSection = section('ratelimit', rateLimitKeys).transform((r) => ({
  /** POST /register: sustained requests per hour. */
  registerPerHour: r.register_per_hour,
  /** POST /register: requests allowed at once before the hourly rate applies. */
  registerBurst: r.register_burst,
  /** Failed authentications per (address, X-Api-User) per window; beyond them that pair gets 429. */
  authFailures: r.auth_failures,
  /** The window of the three authentication limits, in seconds. */
  authFailureWindowSeconds: r.auth_failure_window,
  /** Failed authentications per address per window, whatever the user (users that authenticated from it before are exempt). */
  authFailuresPerAddress: r.auth_failures_per_address,
  /** Requests with no or malformed credentials (no bcrypt spent) per address per window. */
  authMalformed: r.auth_malformed,
  /** Authentications (bcrypt compares) running at once per address; more wait in a short line. */
  authInFlight: r.auth_in_flight,
  /** Successful writes (/update, /present, /cleanup) per account: sustained per hour. */
  updatePerHour: r.update_per_hour,
  /** Writes per account allowed at once before the hourly rate applies. */
  updateBurst: r.update_burst,
  /** Delegation checks (POST /account/check) per account: sustained per hour; 0 = off. */
  checkPerHour: r.check_per_hour,
  /** Delegation checks per account allowed at once before the hourly rate applies. */
  checkBurst: r.check_burst,
  /** Delegation checks per client address, whatever the account: sustained per hour; 0 = off. */
  checkPerAddressPerHour: r.check_per_address_per_hour,
  /** Delegation checks per address allowed at once before the hourly rate applies. */
  checkPerAddressBurst: r.check_per_address_burst,
}));
