/**
 * The API's own certificate: served from the cache at once when valid, else requested in the
 * background (DNS is already serving); renewed at two thirds of its lifetime or when the CA's ARI
 * says so; every failure logged with its kind and retried with backoff while the old one serves.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createAccountClient } from './account';
import { ariCertId } from './ari';
import { createCertStore } from './cert-store';
import { inspectPair, type CertificateInfo, type CertificatePair } from './certificate';
import { createChallengePublisher } from './challenge';
import { directoryUrlFor, readDirectory, type DirectoryInfo } from './directory';
import { AttemptError, classifyFailure, messageOf } from './failure';
import { orderCertificate } from './order';
import { checkRenewal } from './renewal-check';
import type { AcmeManager, AcmeManagerOptions } from './manager-types';
import { backoffDelay, DEFAULT_BACKOFF, planRenewal } from './schedule';
import { useCaTransport } from './transport';

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
  const certStore = createCertStore({ dir: options.config.acmeCacheDir, directoryUrl, names: options.names });
  const publisher = createChallengePublisher({ store: options.store, checkOwnAnswer: options.checkOwnAnswer, ...(options.visibility ? { policy: options.visibility } : {}) });
  const abort = new AbortController();
  let held: { pair: CertificatePair; info: CertificateInfo } | undefined;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let failures = 0;
  /** Set while a failed attempt waits for its retry: the retry runs whatever the renewal plan says. */
  let retryPending = false;
  /** Cleared when an order carrying ARI's `replaces` failed: the CA may refuse it (already replaced). */
  let sendReplaces = true;
  const account = createAccountClient({ directoryUrl, config: options.config, certStore, logger: log });
  let releaseTransport: (() => void) | undefined;

  const arm = (at: number): void => {
    if (abort.signal.aborted) return;
    clearTimeout(timer);
    timer = setTimeout(() => void wake(), Math.max(0, at - now()));
    timer.unref();
  };

  const deliver = async (pair: CertificatePair): Promise<void> => {
    try {
      await options.onCertificate(pair);
    } catch (err) {
      log.error({ err: messageOf(err) }, 'the new certificate could not be put into service');
    }
  };

  const attempt = async (directory: DirectoryInfo | undefined): Promise<void> => {
    log.info({ names: options.names, directory: directoryUrl }, 'requesting a certificate');
    const replaces = sendReplaces && directory?.renewalInfo && held ? ariCertId(held.info.leafPem) : undefined;
    sendReplaces = false;
    const pair = await orderCertificate({
      client: await account.get(),
      names: options.names,
      zone: options.zone,
      publisher,
      logger: log,
      email: options.config.notificationEmail,
      signal: abort.signal,
      replaces,
      now,
    });
    // A certificate the cache could not keep is still served: asking the CA again would not help.
    await certStore.saveCertificate(pair).catch((err: unknown) =>
      log.error({ err: messageOf(err), dir: certStore.root }, 'could not save the certificate; a restart will request a new one'),
    );
    if (abort.signal.aborted) return;
    const info = inspectPair(pair);
    held = { pair, info };
    failures = 0;
    retryPending = false;
    sendReplaces = true;
    const plan = planRenewal(info, now(), random());
    log.info({ names: info.names, serial: info.serial, notAfter: new Date(info.notAfter).toISOString(), renewAt: new Date(plan.renewAt).toISOString() }, 'certificate obtained');
    await deliver(pair);
    arm(Math.min(plan.wakeAt, now() + FIRST_ARI_CHECK_MS));
  };

  const run = async (): Promise<void> => {
    try {
      let directory: DirectoryInfo;
      try {
        directory = await readDirectory(directoryUrl, http);
      } catch (err) {
        throw new AttemptError('directory', err);
      }
      await attempt(directory);
    } catch (err) {
      if (abort.signal.aborted) return;
      failures += 1;
      retryPending = true;
      // Start the next attempt from newAccount: a CA that lost or deactivated the account URL we
      // cached would otherwise answer "account not found" forever (RFC 8555 §7.3 finds it again).
      account.reset();
      const step = err instanceof AttemptError ? err.step : undefined;
      const reachable = step === 'directory' ? false : await readDirectory(directoryUrl, http).then(() => true, () => false);
      const failure = classifyFailure(err, reachable);
      const floor = failure.kind === 'rate-limited' ? (options.backoff ?? DEFAULT_BACKOFF).maxMs : 0;
      const delay = backoffDelay(failures, options.backoff ?? DEFAULT_BACKOFF, random(), floor);
      log.error(
        { kind: failure.kind, step: failure.step, failures, retryInMs: delay, error: failure.message, serving: held ? 'previous certificate' : 'none yet' },
        `certificate request failed: ${failure.hint}`,
      );
      arm(now() + delay);
      throw err;
    }
  };

  const startAttempt = (): Promise<void> => {
    clearTimeout(timer);
    const current = run().finally(() => {
      if (inFlight === current) inFlight = undefined;
    });
    inFlight = current;
    return current;
  };

  /** Timer callback: renew when due (asking ARI first when the CA offers it), else sleep again. */
  const wake = async (): Promise<void> => {
    if (inFlight || abort.signal.aborted) return;
    if (!held || retryPending) return void startAttempt().catch(() => undefined);
    const plan = await checkRenewal({ directoryUrl, http, info: held.info, now, random, logger: log });
    if (plan.renewAt <= now()) {
      log.info({ reason: plan.reason }, 'renewal due');
      return void startAttempt().catch(() => undefined);
    }
    arm(plan.wakeAt);
  };

  return {
    async start() {
      releaseTransport = useCaTransport(directoryUrl, { ca: options.caCertificates, timeoutMs: CA_TIMEOUT_MS });
      const cached = await certStore.loadCertificate(now());
      if (cached.found) {
        const { pair, info, source } = cached.found;
        held = { pair, info };
        const plan = planRenewal(info, now(), random());
        log.info({ source, names: info.names, notAfter: new Date(info.notAfter).toISOString(), renewAt: new Date(plan.renewAt).toISOString() }, 'serving the cached certificate');
        await deliver(pair);
        arm(plan.renewAt <= now() ? now() : Math.min(plan.wakeAt, now() + FIRST_ARI_CHECK_MS));
        return;
      }
      for (const reason of cached.rejected) log.warn({ reason }, 'cached certificate not used');
      log.info({ names: options.names }, 'no usable certificate yet: HTTPS starts once the CA has issued one');
      arm(now());
    },
    async stop() {
      abort.abort();
      clearTimeout(timer);
      if (inFlight) await Promise.race([inFlight.catch(() => undefined), sleep(STOP_GRACE_MS, undefined, { ref: false })]);
      releaseTransport?.();
      releaseTransport = undefined;
    },
    async renewNow() {
      if (inFlight) await inFlight.catch(() => undefined);
      return startAttempt();
    },
    current: () => (held ? { key: held.pair.key, cert: held.pair.cert, notAfter: new Date(held.info.notAfter) } : undefined),
  };
}
