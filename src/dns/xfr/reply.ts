/**
 * The messages of a transfer request's answer: a refusal, one message (UDP, or a short TCP
 * answer), or several (TCP, RFC 5936 §2.2), each signed when the request was (RFC 8945 §5.3.1:
 * a stream of signed messages). The decision is transfer.ts's; this verifies, encodes and signs.
 */
import type { DnsMetrics, TransferMetrics } from '../../metrics/types';
import type { Query, Response } from '../packet';
import { Rcode, RRType } from '../packet';
import type { TsigKey, TsigSigner } from '../tsig';
import { RCODE_NOTAUTH, verifyRequest } from '../tsig';
import { encodeAnswerMessages, encodeResponse } from '../wire';
import type { AnswerTransfer } from './transfer';

/** What the replies need. */
export interface TransferReplyDeps {
  readonly answer: AnswerTransfer;
  /** The key a TSIG names; the daemon puts `[transfer] tsig_key` in front of the accounts' keys. */
  readonly tsigKey?: ((name: string) => Promise<TsigKey | undefined>) | undefined;
  /** Seconds. */
  readonly now: () => number;
  readonly metrics?: (DnsMetrics & Partial<TransferMetrics>) | undefined;
}

/** A transfer request's reply; `udpLimit` is the size a UDP reply may have (the handler's EDNS rule). */
export type TransferReplies = (msg: Buffer, query: Query, transport: 'udp' | 'tcp', udpLimit: number, source: string) => Promise<Buffer | readonly Buffer[]>;

const TCP_MAX = 65535;

function response(query: Query, rcode: number, records: Response['answer']): Response {
  return {
    header: query.header,
    rcode,
    aa: rcode === Rcode.NOERROR,
    questionBytes: query.questionBytes,
    answer: records,
    authority: [],
    edns: query.edns ? { dnssecOk: query.edns.dnssecOk } : undefined,
  };
}

/** Builds the replies. */
export function createTransferReplies(deps: TransferReplyDeps): TransferReplies {
  const { now, metrics } = deps;
  return async (msg, query, transport, udpLimit, source) => {
    const tcp = transport === 'tcp';
    const qtype = query.question?.type;
    const limit = tcp ? TCP_MAX : udpLimit;
    let signer: TsigSigner | undefined;
    let signedBy: string | undefined;
    if (query.tsig) {
      const verdict = verifyRequest(msg, query.tsig, await deps.tsigKey?.(query.tsig.keyName), now());
      signer = verdict.signer;
      if (!verdict.ok) {
        // RFC 8945 §5.2: NOTAUTH, the TSIG error carried in the reply's TSIG RR (§5.3.2).
        metrics?.dnsTransfer?.(qtype === RRType.IXFR ? 'ixfr' : 'axfr', 'notauth');
        metrics?.dnsAnswered(qtype, RCODE_NOTAUTH, transport);
        return signer.sign(encodeResponse(response(query, RCODE_NOTAUTH, []), limit - signer.overhead), now());
      }
      signedBy = verdict.key.name;
    }
    const outcome = await deps.answer(query, tcp, source, signedBy);
    const rcode = outcome.kind === 'rcode' ? outcome.rcode : Rcode.NOERROR;
    metrics?.dnsAnswered(qtype, rcode, transport);
    const res = response(query, rcode, outcome.kind === 'records' ? outcome.records : []);
    const room = limit - (signer?.overhead ?? 0);
    const messages = tcp && outcome.kind === 'records' ? encodeAnswerMessages(res, outcome.records, room) : [encodeResponse(res, room)];
    const sign = signer;
    const signed = sign ? messages.map((m) => sign.sign(m, now())) : messages;
    const [only] = signed;
    return signed.length === 1 && only ? only : signed;
  };
}
