/**
 * The datagrams a UDP socket received in one turn of the event loop, answered together once the
 * turn's reads are done (the check phase, setImmediate) instead of one by one as each arrives.
 * libuv reads up to 32 datagrams per poll of a socket; answering them in a run keeps the answer
 * path's code and data warm between queries, and lets a first pass (`prepare`) start every
 * query's memory read before the first answer needs one: a random account of 1,000,000 is a
 * cache miss, and misses started together overlap. Measured on one core (server and dnsperf
 * pinned, the three builds in interleaved rounds of 3 s, one 1,000,000-account process each):
 * - one datagram at a time: one account's TXT 176-186k q/s, a random account of 1M 162-168k;
 * - batches (31.9 datagrams on average), no read ahead: 204-211k and 177-183k;
 * - batches with the read ahead: 204-211k and 175-189k (median 186k).
 * The read ahead is worth it only as one tight loop of loads over the batch (UuidTable.touchSlots):
 * a load per query between two queries' parsing stalled as long as the answer's own read did.
 *
 * On the promise path (PostgreSQL) the batch goes to the handler whole (`answerMany`): its
 * repeated questions then wait for one read of the store's generation instead of one each.
 *
 * `answer` is called in the order the datagrams arrived (on the promise path each reply goes out
 * when it is ready). At 2,000 q/s a batch is one datagram, answered in the same turn it was read:
 * no timer, no wait.
 */

/** What a batch does with its datagrams: `answer` each (after `prepare`), or `answerMany` them at once. */
export type UdpBatchSteps<P> = {
  /** Told when a step threw anyway: the rest of the batch is still answered. */
  readonly onError: (err: unknown) => void;
} & (
  | {
      /** Answers one datagram (sends its reply, or starts the promise path). Never throws. */
      readonly answer: (msg: Buffer, peer: P) => void;
      /** Run on a batch's datagrams before the first is answered; must not change anything a reply depends on. */
      readonly prepare?: ((msgs: readonly Buffer[]) => void) | undefined;
      readonly answerMany?: undefined;
    }
  | {
      /** Answers the whole batch (the promise path: DnsHandler.udpMany, one store read for the batch). */
      readonly answerMany: (msgs: readonly Buffer[], peers: readonly P[]) => void;
      readonly answer?: undefined;
      readonly prepare?: undefined;
    }
);

/** Datagrams waiting for their turn's answer run. */
export interface UdpBatch<P> {
  /** Queues a datagram; the first of a turn schedules the run. */
  add(msg: Buffer, peer: P): void;
  /** Answers every queued datagram now (close() does, so none received is left unanswered). */
  flush(): void;
}

/** An empty batch. */
export function createUdpBatch<P>({ answer, answerMany, prepare, onError }: UdpBatchSteps<P>): UdpBatch<P> {
  let msgs: Buffer[] = [];
  let peers: P[] = [];
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const batch = msgs;
    const from = peers;
    if (batch.length === 0) return;
    // Swapped first: nothing answered here can add to the batch being run.
    msgs = [];
    peers = [];
    if (answerMany !== undefined) {
      try {
        answerMany(batch, from);
      } catch (err) {
        onError(err);
      }
      return;
    }
    if (prepare !== undefined && batch.length > 1) {
      try {
        prepare(batch);
      } catch (err) {
        onError(err);
      }
    }
    for (let i = 0; i < batch.length; i++) {
      try {
        answer(batch[i] as Buffer, from[i] as P);
      } catch (err) {
        onError(err);
      }
    }
  }

  return {
    add(msg, peer) {
      msgs.push(msg);
      peers.push(peer);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
