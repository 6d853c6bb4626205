/**
 * The API's own certificate: served from the store or the cache at once when valid, else requested
 * in the background (DNS is already serving); renewed at two thirds of its lifetime or when the
 * CA's ARI says so; every failure logged with its kind and retried with backoff while the old one
 * serves. Instances sharing a store take turns (renewal-round.ts): the one holding the order lease
 * orders, the others wait and pick its certificate up from the store.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createAccountClient } from './order/account';
import { createCertStore } from './storage/cert-store';
import { createChallengePublisher } from './order/challenge';
import { directoryUrlFor } from './order/directory';
import { messageOf } from './renewal/failure';
import { createOrderLease } from './storage/lease';
import { createRenewalRound, type ManagerState } from './renewal-round';
import { checkRenewal } from './renewal/renewal-check';
import type { AcmeManager, AcmeManagerOptions } from './manager-types';
import { createSharedCertificate, DEFAULT_SHARING, OrderLeaseHeldError } from './storage/shared-certificate';
import { useCaTransport } from './order/transport';

/** Per-request deadline towards the CA. */
const CA_TIMEOUT_MS = 30_000;
/** The first ARI look after a start with a cached certificate: later, so a restart asks the CA nothing. */
const FIRST_ARI_CHECK_MS = 3600_000;
/** How long stop() waits for an attempt in flight before leaving it to finish unobserved. */
const STOP_GRACE_MS = 5_000;

/** Builds a manager; nothing happens before start(). */
export function createAcmeManager(options: AcmeManagerOptions): AcmeManager {
  const directoryUrl = directoryUrlFor(options.config);
  if (!directoryUrl) throw new Error(`api.tls = "${options.config.tls}" does not use ACME`);
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const log = options.logger;
  const http = { ca: options.caCertificates, timeoutMs: 10_000 };
  const sharing = { ...DEFAULT_SHARING, ...options.sharing };
  const { store, names } = options;
  const certStore = createCertStore({ dir: options.config.acmeCacheDir, directoryUrl, names });
  const shared = createSharedCertificate({ store, certStore, directoryUrl, names, logger: log });
  const lease = createOrderLease({ store, name: `acme-order:${shared.identity}`, ttlSeconds: sharing.leaseTtlSeconds, renewMs: sharing.leaseRenewMs, logger: log });
  const abort = new AbortController();
  const state: ManagerState = { held: undefined, failures: 0, retryPending: false, following: false, sendReplaces: true };
  let timer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let releaseTransport: (() => void) | undefined;

  const arm = (at: number): void => {
    if (abort.signal.aborted) return;
    clearTimeout(timer);
    timer = setTimeout(() => void wake(), Math.max(0, at - now()));
    timer.unref();
  };

  const round = createRenewalRound({
    options,
    state,
    directoryUrl,
    http,
    sharing,
    shared,
    lease,
    account: createAccountClient({ directoryUrl, config: options.config, store, certStore, logger: log }),
    publisher: createChallengePublisher({ store, checkOwnAnswer: options.checkOwnAnswer, ...(options.visibility ? { policy: options.visibility } : {}) }),
    signal: abort.signal,
    now,
    random,
    arm,
  });

  const run = async (force: boolean): Promise<void> => {
    let outcome: 'done' | 'following';
    try {
      outcome = await round.order(force);
    } catch (err) {
      if (abort.signal.aborted) return;
      await round.fail(err);
      throw err;
    }
    if (outcome === 'following' && force) throw new OrderLeaseHeldError();
  };

  const startAttempt = (force = false): Promise<void> => {
    clearTimeout(timer);
    const current = run(force).finally(() => {
      if (inFlight === current) inFlight = undefined;
    });
    inFlight = current;
    return current;
  };

  /** Timer callback: renew when due (asking ARI first when the CA offers it), else sleep again. */
  const wake = async (): Promise<void> => {
    if (inFlight || abort.signal.aborted) return;
    const { held } = state;
    if (!held || state.retryPending || state.following) return void startAttempt().catch(() => undefined);
    const plan = await checkRenewal({ directoryUrl, http, info: held.info, now, random, logger: log });
    // The CA's window may have moved it (ARI): the status shows the plan in force.
    state.renewAt = plan.renewAt;
    if (plan.renewAt <= now()) {
      log.info({ reason: plan.reason }, 'renewal due');
      return void startAttempt().catch(() => undefined);
    }
    arm(plan.wakeAt);
  };

  /** The regular look at the store: another instance may have renewed (early, or forced). */
  const poll = async (): Promise<void> => {
    if (!inFlight && !abort.signal.aborted) {
      const found = await shared.newerInStore(state.held?.info, now()).catch((err: unknown) => {
        log.debug({ err: messageOf(err) }, 'could not look for a newer certificate in the store');
        return undefined;
      });
      if (found && !inFlight && !abort.signal.aborted) await round.adopt(found);
    }
    schedulePoll();
  };
  const schedulePoll = (): void => {
    if (abort.signal.aborted) return;
    // Jittered by a third either way, so instances that started together do not poll in step.
    pollTimer = setTimeout(() => void poll(), Math.round(sharing.pollMs * (2 / 3 + (random() * 2) / 3)));
    pollTimer.unref();
  };

  return {
    async start() {
      releaseTransport = useCaTransport(directoryUrl, { ca: options.caCertificates, timeoutMs: CA_TIMEOUT_MS });
      const cached = await shared.loadAtStart(now());
      schedulePoll();
      if (cached.found) {
        const { pair, info, source } = cached.found;
        const plan = round.hold(pair, info);
        log.info({ source, names: info.names, notAfter: new Date(info.notAfter).toISOString(), renewAt: new Date(plan.renewAt).toISOString() }, 'serving the cached certificate');
        await round.deliver(pair);
        arm(plan.renewAt <= now() ? now() : Math.min(plan.wakeAt, now() + FIRST_ARI_CHECK_MS));
        return;
      }
      for (const reason of cached.rejected) log.warn({ reason }, 'cached certificate not used');
      log.info({ names }, 'no usable certificate yet: HTTPS starts once the CA has issued one');
      arm(now());
    },
    async stop() {
      abort.abort();
      clearTimeout(timer);
      clearTimeout(pollTimer);
      if (inFlight) await Promise.race([inFlight.catch(() => undefined), sleep(STOP_GRACE_MS, undefined, { ref: false })]);
      // An order we gave up: another instance may take over at once instead of after the ttl.
      await lease.release();
      releaseTransport?.();
      releaseTransport = undefined;
    },
    async renewNow() {
      if (inFlight) await inFlight.catch(() => undefined);
      return startAttempt(true);
    },
    current: () =>
      state.held
        ? {
            key: state.held.pair.key,
            cert: state.held.pair.cert,
            notAfter: new Date(state.held.info.notAfter),
            renewAt: state.renewAt === undefined ? undefined : new Date(state.renewAt),
          }
        : undefined,
  };
}
