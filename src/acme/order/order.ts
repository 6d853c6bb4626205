/**
 * One certificate order through acme-client's step-by-step API (RFC 8555 §7.4). Not `auto()`:
 * that checks the challenge through the system resolver; we check our own authoritative answer.
 */
import * as acme from 'acme-client';
import type { Logger } from '../../log';
import { inspectPair, unusableReason, type CertificatePair } from '../certificate';
import { challengeRecordName, type ChallengePublisher } from './challenge';
import { AttemptError, messageOf, type AttemptStep } from '../renewal/failure';

/** What one order needs. */
export interface OrderRequest {
  readonly client: acme.Client;
  readonly names: readonly string[];
  readonly zone: string;
  readonly publisher: ChallengePublisher;
  readonly logger: Logger;
  readonly email: string;
  readonly signal: AbortSignal;
  /** RFC 9773 §5: the ARI id of the certificate this one replaces, when the CA offers ARI. */
  readonly replaces?: string | undefined;
  readonly now: () => number;
}

/** How long a published own-challenge value lives in the store if nobody withdraws it. */
const CHALLENGE_LIFETIME_SECONDS = 3600;

/** Runs `fn`, tagging whatever it throws with `step`. */
async function step<T>(name: AttemptStep, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  signal.throwIfAborted();
  try {
    return await fn();
  } catch (err) {
    throw err instanceof AttemptError ? err : new AttemptError(name, err);
  }
}

/** Orders, validates through our own DNS, finalizes and downloads; returns a fresh key and chain. */
export async function orderCertificate(req: OrderRequest): Promise<CertificatePair> {
  const { client, signal, logger } = req;
  await step('account', signal, () =>
    client.createAccount({ termsOfServiceAgreed: true, ...(req.email ? { contact: [`mailto:${req.email}`] } : {}) }),
  );
  // `replaces` (RFC 9773 §5) is newer than acme-client's types; the payload is passed through as is.
  const orderRequest: Parameters<acme.Client['createOrder']>[0] & { replaces?: string } = {
    identifiers: req.names.map((value) => ({ type: 'dns', value })),
    ...(req.replaces ? { replaces: req.replaces } : {}),
  };
  const order = await step('order', signal, () => client.createOrder(orderRequest));
  const authorizations = await step('order', signal, () => client.getAuthorizations(order));

  const published: { recordName: string; value: string }[] = [];
  try {
    const pending: { challenge: Parameters<acme.Client['completeChallenge']>[0]; recordName: string; value: string }[] = [];
    for (const authz of authorizations) {
      // An authorization the CA still holds as valid needs no new challenge (RFC 8555 §7.1.4).
      if (authz.status === 'valid') continue;
      const challenge = authz.challenges.find((c) => c.type === 'dns-01');
      if (!challenge) throw new AttemptError('order', new Error(`the CA offers no dns-01 challenge for ${authz.identifier.value}`));
      const value = await step('order', signal, () => client.getChallengeKeyAuthorization(challenge));
      const recordName = challengeRecordName(authz.identifier.value, req.zone);
      const expiresAt = Math.floor(req.now() / 1000) + CHALLENGE_LIFETIME_SECONDS;
      await step('publish', signal, () => req.publisher.publish(recordName, value, expiresAt));
      published.push({ recordName, value });
      pending.push({ challenge, recordName, value });
    }
    for (const { recordName, value } of pending) {
      await step('self-check', signal, () => req.publisher.waitUntilVisible(recordName, value, signal));
      logger.info({ record: recordName }, 'our DNS answers the challenge; asking the CA to validate');
    }
    for (const { challenge } of pending) await step('validation', signal, () => client.completeChallenge(challenge));
    for (const { challenge } of pending) await step('validation', signal, () => client.waitForValidStatus(challenge));
  } finally {
    for (const { recordName, value } of published) {
      await req.publisher.withdraw(recordName, value).catch((err: unknown) =>
        logger.warn({ record: recordName, err: messageOf(err) }, 'could not withdraw a challenge value (it expires by itself)'),
      );
    }
  }

  const key = (await acme.crypto.createPrivateEcdsaKey('P-256')).toString();
  const [, csr] = await acme.crypto.createCsr({ commonName: req.names[0], altNames: [...req.names] }, key);
  const finalized = await step('finalize', signal, () => client.finalizeOrder(order, csr));
  const cert = await step('download', signal, () => client.getCertificate(finalized));
  const pair = { key, cert };
  const problem = unusableReason(inspectPair(pair), req.names, req.now());
  if (problem) throw new AttemptError('download', new Error(`the CA issued a certificate we cannot use: ${problem}`));
  return pair;
}
