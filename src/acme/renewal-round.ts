/**
 * One renewal round of the manager: adopt a newer certificate another instance stored, or take the
 * order lease and order one, or wait for the instance that holds the lease; and what a failed round
 * leaves behind (backoff, classified log line, the lease kept until our retry).
 */
import type { AccountClient } from './order/account';
import { ariCertId } from './renewal/ari';
import { inspectPair, type CertificateInfo, type CertificatePair } from './certificate';
import type { ChallengePublisher } from './order/challenge';
import { readDirectory, type DirectoryInfo } from './order/directory';
import { AttemptError, classifyFailure, messageOf } from './renewal/failure';
import type { HttpGetOptions } from './order/http-get';
import type { OrderLease } from './storage/lease';
import type { AcmeManagerOptions, SharingPolicy } from './manager-types';
import { orderCertificate } from './order/order';
import { backoffDelay, DEFAULT_BACKOFF, planRenewal, type RenewalPlan } from './renewal/schedule';
import type { FoundCertificate, SharedCertificate } from './storage/shared-certificate';

/** The manager's mutable state, shared by the round and the timers. */
export interface ManagerState {
  held: { pair: CertificatePair; info: CertificateInfo } | undefined;
  failures: number;
  /** Set while a failed attempt waits for its retry: the retry runs whatever the renewal plan says. */
  retryPending: boolean;
  /** Set while another instance holds the order lease: we look in the store every waitPollMs. */
  following: boolean;
  /** Cleared when an order carrying ARI's `replaces` failed: the CA may refuse it (already replaced). */
  sendReplaces: boolean;
  /** When the held certificate is next due for renewal (epoch ms), as last planned; for the status. */
  renewAt?: number | undefined;
}

/** What a round works with. */
export interface RenewalRoundDeps {
  readonly options: AcmeManagerOptions;
  readonly state: ManagerState;
  readonly directoryUrl: string;
  readonly http: HttpGetOptions;
  readonly sharing: SharingPolicy;
  readonly shared: SharedCertificate;
  readonly lease: OrderLease;
  readonly account: AccountClient;
  readonly publisher: ChallengePublisher;
  readonly signal: AbortSignal;
  readonly now: () => number;
  readonly random: () => number;
  /** Sets the manager's wake-up timer. */
  readonly arm: (at: number) => void;
}

/** The first ARI look after a new certificate: within the hour. */
const FIRST_ARI_CHECK_MS = 3600_000;

/** The round's operations. */
export interface RenewalRound {
  /** Holds `pair` as the one to serve and renew; every failure count starts over. */
  hold(pair: CertificatePair, info: CertificateInfo): RenewalPlan;
  /** Hands a certificate to the server; a failure is logged, never thrown. */
  deliver(pair: CertificatePair): Promise<void>;
  /** Serves a certificate another instance obtained, and sets the timer for its renewal. */
  adopt(found: FoundCertificate): Promise<void>;
  /** One round; `force` orders even when the store has a newer certificate. */
  order(force: boolean): Promise<'done' | 'following'>;
  /** Logs a failed round, schedules the retry with backoff. */
  fail(err: unknown): Promise<void>;
}

/** Builds the round over the manager's state. */
export function createRenewalRound(deps: RenewalRoundDeps): RenewalRound {
  const { options, state, shared, lease, now } = deps;
  const log = options.logger;
  const armFor = (plan: RenewalPlan): void => deps.arm(Math.min(plan.wakeAt, now() + FIRST_ARI_CHECK_MS));

  const round: RenewalRound = {
    hold(pair, info) {
      const plan = planRenewal(info, now(), deps.random());
      Object.assign(state, { held: { pair, info }, failures: 0, retryPending: false, following: false, sendReplaces: true, renewAt: plan.renewAt });
      return plan;
    },
    async deliver(pair) {
      try {
        await options.onCertificate(pair);
      } catch (err) {
        log.error({ err: messageOf(err) }, 'the new certificate could not be put into service');
      }
    },
    async adopt(found) {
      await adoptAndPlan(found).then(armFor);
    },
    async order(force) {
      if (!force && (await adoptNewer())) return 'done';
      const leased = await lease.acquire().catch((err: unknown) => {
        throw new AttemptError('lease', err);
      });
      if (!leased) {
        if (!state.following) log.info({ waitMs: deps.sharing.waitPollMs }, 'another instance is ordering the certificate; waiting for it in the store');
        state.following = true;
        deps.arm(now() + deps.sharing.waitPollMs);
        return 'following';
      }
      state.following = false;
      const stopKeepAlive = lease.keepAlive();
      try {
        // The previous holder may have stored its certificate between our look and the lease.
        if (!force && (await adoptNewer())) {
          await lease.release();
          return 'done';
        }
        let directory: DirectoryInfo;
        try {
          directory = await readDirectory(deps.directoryUrl, deps.http);
        } catch (err) {
          throw new AttemptError('directory', err);
        }
        await attempt(directory);
        await lease.release();
        return 'done';
      } finally {
        stopKeepAlive();
      }
    },
    async fail(err) {
      state.failures += 1;
      state.retryPending = true;
      // Start the next attempt from newAccount: a CA that lost or deactivated the account URL we
      // cached would otherwise answer "account not found" forever (RFC 8555 §7.3 finds it again).
      deps.account.reset();
      const step = err instanceof AttemptError ? err.step : undefined;
      const reachable =
        step === 'directory' ? false : step === 'lease' ? true : await readDirectory(deps.directoryUrl, deps.http).then(() => true, () => false);
      const failure = classifyFailure(err, reachable);
      const backoff = options.backoff ?? DEFAULT_BACKOFF;
      const delay = backoffDelay(state.failures, backoff, deps.random(), failure.kind === 'rate-limited' ? backoff.maxMs : 0);
      log.error(
        { kind: failure.kind, step: failure.step, failures: state.failures, retryInMs: delay, error: failure.message, serving: state.held ? 'previous certificate' : 'none yet' },
        `certificate request failed: ${failure.hint}`,
      );
      // Keep the lease until our retry (at most its ttl): the other instances do not pile their
      // attempts onto a CA that just refused, yet take over when we stay broken or die.
      if (step !== 'lease') await lease.holdFor(delay / 1000);
      deps.arm(now() + delay);
    },
  };

  const adoptAndPlan = async (found: FoundCertificate): Promise<RenewalPlan> => {
    const plan = round.hold(found.pair, found.info);
    log.info(
      { serial: found.info.serial, notAfter: new Date(found.info.notAfter).toISOString(), renewAt: new Date(plan.renewAt).toISOString() },
      'serving the certificate another instance obtained',
    );
    await shared.mirror(found);
    await round.deliver(found.pair);
    return plan;
  };

  /** Adopts a newer certificate from the store; true when it needs no renewal yet (no order then). */
  const adoptNewer = async (): Promise<boolean> => {
    const found = await shared.newerInStore(state.held?.info, now()).catch((err: unknown) => {
      throw new AttemptError('lease', err);
    });
    if (!found) return false;
    const plan = await adoptAndPlan(found);
    if (plan.renewAt <= now()) return false;
    armFor(plan);
    return true;
  };

  const attempt = async (directory: DirectoryInfo | undefined): Promise<void> => {
    log.info({ names: options.names, directory: deps.directoryUrl, lease: lease.holder }, 'requesting a certificate');
    const { held } = state;
    const replaces = state.sendReplaces && directory?.renewalInfo && held ? ariCertId(held.info.leafPem) : undefined;
    state.sendReplaces = false;
    const pair = await orderCertificate({
      client: await deps.account.get(),
      names: options.names,
      zone: options.zone,
      publisher: deps.publisher,
      logger: log,
      email: options.config.notificationEmail,
      signal: deps.signal,
      replaces,
      now,
    });
    const info = inspectPair(pair);
    // Files and store; a certificate neither could keep is still served: asking the CA again would not help.
    await shared.keep(pair, info);
    if (deps.signal.aborted) return;
    const plan = round.hold(pair, info);
    log.info({ names: info.names, serial: info.serial, notAfter: new Date(info.notAfter).toISOString(), renewAt: new Date(plan.renewAt).toISOString() }, 'certificate obtained');
    await round.deliver(pair);
    armFor(plan);
  };

  return round;
}
