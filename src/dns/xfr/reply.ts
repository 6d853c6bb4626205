/**
 * The messages of a transfer request's answer: a refusal, one message (UDP, or a short TCP
 * answer), or several (TCP, RFC 5936 §2.2), each signed when the request was (RFC 8945 §5.3.1:
 * a stream of signed messages). The decision is transfer.ts's; this verifies, encodes and signs.
 */
import type { DnsMetrics, TransferMetrics } from '../../metrics/types';
import type { Query, Response } from '../packet';
import { Rcode } from '../packet';
import type { TsigSigner } from '../tsig';
import { encodeAnswerMessages, encodeResponse } from '../wire';
import type { AnswerTransfer } from './transfer';

/** What the replies need. */
export interface TransferReplyDeps {
  readonly answer: AnswerTransfer;
  /** Seconds. */
  readonly now: () => number;
  readonly metrics?: (DnsMetrics & Partial<TransferMetrics>) | undefined;
}

/** A verified TSIG of the request (the handler's tsig-gate): the key's name and the signer of the answer. */
export interface SignedBy {
  readonly keyName: string;
  readonly signer: TsigSigner;
}

/**
 * A transfer request's reply; `udpLimit` is the size a UDP reply may have (the handler's EDNS
 * rule); `signed` when the request carried a valid TSIG (a refused one never gets here: NOTAUTH).
 */
export type TransferReplies = (query: Query, transport: 'udp' | 'tcp', udpLimit: number, source: string, signed: SignedBy | undefined) => Promise<Buffer | readonly Buffer[]>;

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
  return async (query, transport, udpLimit, source, signed) => {
    const tcp = transport === 'tcp';
    const outcome = await deps.answer(query, tcp, source, signed?.keyName);
    const rcode = outcome.kind === 'rcode' ? outcome.rcode : Rcode.NOERROR;
    metrics?.dnsAnswered(query.question?.type, rcode, transport);
    const res = response(query, rcode, outcome.kind === 'records' ? outcome.records : []);
    const room = (tcp ? TCP_MAX : udpLimit) - (signed?.signer.overhead ?? 0);
    const messages = tcp && outcome.kind === 'records' ? encodeAnswerMessages(res, outcome.records, room) : [encodeResponse(res, room)];
    const out = signed ? messages.map((m) => signed.signer.sign(m, now())) : messages;
    const [only] = out;
    return out.length === 1 && only ? only : out;
  };
}
