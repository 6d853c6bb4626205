/**
 * One RFC 2136 UPDATE, bytes in, bytes out (or null: drop); never throws. The pipeline:
 * decode (FORMERR, or REFUSED beyond our bounds) -> a TSIG is required (unsigned: REFUSED) ->
 * the key is found and the signature verified within the accounts' authentication limits
 * (BADKEY/BADSIG/BADTIME: NOTAUTH with the TSIG error, RFC 8945 §5.2) -> the message evaluated for
 * the key's account name (evaluate.ts) -> applied atomically through accounts/, prerequisites
 * checked in the store's transaction -> the response, signed with the request's key (§5.3).
 */
import type { KeyHolder, UpdateActions, VerifyWithKey } from '../../accounts';
import { parseClientIp } from '../../core/cidr';
import type { Logger } from '../../log';
import type { DnsTransport, DnsUpdateMetrics } from '../../metrics/types';
import { Rcode } from '../packet';
import type { TsigRecord, TsigSigner, TsigVerdict } from '../tsig';
import { parseTsigRecord, TsigFormatError, verifyRequest } from '../tsig';
import { decodeUpdate, readHeader, type UpdateMessage } from './decode';
import { evaluateUpdate } from './evaluate';
import { failedPrerequisite } from './prerequisites';
import { UpdateRcode } from './rcode';
import { mapRefusal } from './refusals';
import { encodeUpdateResponse, type UpdateEcho } from './response';

/** What the UPDATE path needs. */
export interface UpdateDeps {
  /** The zone's apex, lower-case presentation labels (Zone.apexLabels). */
  readonly apexLabels: readonly string[];
  /** The account actions (accounts/rfc2136.ts); the daemon passes the one accounts service. */
  readonly accounts: UpdateActions;
  readonly logger: Logger;
  /** Seconds. */
  readonly now: () => number;
  readonly metrics?: DnsUpdateMetrics | undefined;
}

/** Answers one UPDATE from `source` over `transport`. */
export type UpdateHandler = (msg: Buffer, transport: DnsTransport, source: string) => Promise<Buffer | null>;

/** How one UPDATE ended: the RCODE, the signer when the response is signed, and why (for the log). */
interface Outcome {
  readonly rcode: number;
  readonly signer: TsigSigner | undefined;
  readonly reason: string;
  readonly key?: string;
}

/** Builds the UPDATE handler. */
export function createUpdateHandler(deps: UpdateDeps): UpdateHandler {
  const { apexLabels, accounts, logger, now, metrics } = deps;

  /** Authenticated: evaluate for the key's account name and apply. */
  async function apply(message: UpdateMessage, holder: KeyHolder, signer: TsigSigner, source: string): Promise<Outcome> {
    const key = holder.key.name;
    const evaluation = evaluateUpdate(message, apexLabels, holder.account.subdomain);
    if (evaluation.kind === 'refuse') return { rcode: evaluation.rcode, signer, reason: evaluation.reason, key };
    let failed: number | undefined;
    const check = (current: readonly string[]): boolean => (failed = failedPrerequisite(evaluation.prerequisites, current)) === undefined;
    try {
      const outcome = await accounts.applyUpdate(holder, { text: source, ip: parseClientIp(source) }, { update: evaluation.update, check });
      if (outcome.kind === 'prerequisite-failed') return { rcode: failed ?? UpdateRcode.NXRRSET, signer, reason: 'prerequisite failed', key };
      return { rcode: Rcode.NOERROR, signer, reason: `applied: ${outcome.added} added, ${outcome.removed} removed`, key };
    } catch (err) {
      return refused(err, signer, key);
    }
  }

  function refused(err: unknown, signer: TsigSigner | undefined, key?: string): Outcome {
    const mapped = mapRefusal(err);
    if (mapped.internal) logger.error({ err, key }, 'RFC 2136 update failed: answered SERVFAIL');
    else if (mapped.rcode === Rcode.SERVFAIL) logger.warn({ err, key }, 'store unavailable: UPDATE answered SERVFAIL');
    return { rcode: mapped.rcode, signer, reason: mapped.reason, ...(key === undefined ? {} : { key }) };
  }

  /** Signed: verify within the limits, then apply. */
  async function signed(msg: Buffer, message: UpdateMessage, record: TsigRecord, source: string): Promise<Outcome> {
    let verdict: TsigVerdict | undefined;
    const verify: VerifyWithKey = (stored) => {
      verdict = verifyRequest(msg, record, stored, Math.floor(now()));
      return verdict.ok;
    };
    let holder: KeyHolder;
    try {
      holder = await accounts.authenticateKey({ text: source, ip: parseClientIp(source) }, record.keyName, verify);
    } catch (err) {
      // RFC 8945 §5.2.2.1: a MAC size no algorithm allows is FORMERR, unsigned.
      if (err instanceof TsigFormatError) return { rcode: Rcode.FORMERR, signer: undefined, reason: err.message, key: record.keyName };
      // RFC 8945 §5.2: a refused signature is NOTAUTH, the TSIG error in the response's TSIG RR.
      const v = verdict as TsigVerdict | undefined;
      if (v !== undefined && !v.ok) return { rcode: UpdateRcode.NOTAUTH, signer: v.signer, reason: `TSIG error ${v.error}`, key: record.keyName };
      // Over the limits (never verified: unsigned), or a verified key refused (allowfrom): signed.
      return refused(err, v?.ok === true ? v.signer : undefined, record.keyName);
    }
    const v = verdict as TsigVerdict | undefined;
    if (v === undefined || !v.ok) throw new Error('authenticateKey resolved without a verified signature');
    return apply(message, holder, v.signer, source);
  }

  async function handle(msg: Buffer, transport: DnsTransport, source: string): Promise<{ echo: UpdateEcho; outcome: Outcome } | null> {
    const decoded = decodeUpdate(msg, transport);
    if (decoded.kind === 'drop') return null;
    if (decoded.kind !== 'update') {
      const rcode = decoded.kind === 'formerr' ? Rcode.FORMERR : Rcode.REFUSED;
      return { echo: { header: decoded.header, zoneBytes: undefined, edns: false }, outcome: { rcode, signer: undefined, reason: decoded.reason } };
    }
    const message = decoded.message;
    const echo: UpdateEcho = { header: message.header, zoneBytes: message.zoneBytes, edns: message.edns !== undefined };
    // RFC 6891 §6.1.3: an EDNS version we do not implement.
    if (message.edns !== undefined && message.edns.version !== 0) return { echo, outcome: { rcode: Rcode.BADVERS, signer: undefined, reason: 'EDNS version' } };
    // Every UPDATE must be signed (issue 10): without a key there is no account to change.
    if (message.tsig === undefined) return { echo, outcome: { rcode: Rcode.REFUSED, signer: undefined, reason: 'unsigned' } };
    let record: TsigRecord;
    try {
      record = parseTsigRecord(msg, message.tsig.start, message.tsig.end);
    } catch (err) {
      if (!(err instanceof TsigFormatError)) throw err;
      return { echo: { ...echo, zoneBytes: undefined }, outcome: { rcode: Rcode.FORMERR, signer: undefined, reason: `TSIG: ${err.message}` } };
    }
    return { echo, outcome: await signed(msg, message, record, source) };
  }

  return async (msg, transport, source) => {
    try {
      const done = await handle(msg, transport, source);
      if (done === null) {
        metrics?.dnsUpdate('dropped', transport);
        return null;
      }
      const { echo, outcome } = done;
      const level = outcome.rcode === Rcode.NOERROR ? 'info' : 'debug';
      logger[level]({ client: source, transport, key: outcome.key, rcode: outcome.rcode, reason: outcome.reason }, 'RFC 2136 update');
      const unsigned = encodeUpdateResponse(echo, outcome.rcode);
      const out = outcome.signer === undefined ? unsigned : outcome.signer.sign(unsigned, Math.floor(now()));
      metrics?.dnsUpdate(outcome.rcode, transport);
      return out;
    } catch (err) {
      // Nothing here should throw; if it does, DESIGN rule 2's guard: SERVFAIL (unsigned) and a log line.
      logger.error({ err, client: source, transport }, 'RFC 2136 update failed: answered SERVFAIL');
      const header = readHeader(msg);
      metrics?.dnsUpdate(header === undefined ? 'dropped' : Rcode.SERVFAIL, transport);
      return header === undefined ? null : encodeUpdateResponse({ header, zoneBytes: undefined, edns: false }, Rcode.SERVFAIL);
    }
  };
}
