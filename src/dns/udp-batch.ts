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

/** A turn's datagrams in slots [0, count) of two arrays kept for the batch's life. */
interface Slots<P> {
  readonly msgs: (Buffer | undefined)[];
  readonly peers: (P | undefined)[];
  count: number;
}

const emptySlots = <P>(): Slots<P> => ({ msgs: [], peers: [], count: 0 });

/**
 * An empty batch. Its datagrams go into slots of arrays that live as long as the batch, not into
 * new arrays each turn: at 2,000 q/s a turn is one datagram, and two new arrays with their backing
 * stores were a quarter of what a query allocated. Measured on one core at 2,000 SOA q/s
 * (--trace-gc): a scavenge every 290 ms with new arrays, every 395 ms with the slots, the bare
 * echo's every 380 ms. Two sets, swapped at each run, so that a datagram added while a batch is
 * answered waits in the other.
 */
export function createUdpBatch<P>({ answer, answerMany, prepare, onError }: UdpBatchSteps<P>): UdpBatch<P> {
  let filling = emptySlots<P>();
  /** The other set, while no run holds it (a flush called during a run takes a new one). */
  let spare: Slots<P> | undefined = emptySlots<P>();
  let scheduled = false;

  function flush(): void {
    scheduled = false;
    const run = filling;
    const n = run.count;
    if (n === 0) return;
    // Swapped first: nothing answered here can add to the batch being run.
    filling = spare ?? emptySlots<P>();
    spare = undefined;
    const msgs = run.msgs as Buffer[];
    const peers = run.peers as P[];
    try {
      if (answerMany !== undefined) {
        // The promise path keeps its arrays past this turn: copies.
        try {
          answerMany(msgs.slice(0, n), peers.slice(0, n));
        } catch (err) {
          onError(err);
        }
        return;
      }
      if (prepare !== undefined && n > 1) {
        try {
          prepare(msgs.slice(0, n));
        } catch (err) {
          onError(err);
        }
      }
      for (let i = 0; i < n; i++) {
        try {
          answer(msgs[i] as Buffer, peers[i] as P);
        } catch (err) {
          onError(err);
        }
      }
    } finally {
      // The datagrams are answered: their buffers are not kept alive until the slot is reused.
      run.msgs.fill(undefined, 0, n);
      run.peers.fill(undefined, 0, n);
      run.count = 0;
      spare = run;
    }
  }

  return {
    add(msg, peer) {
      const to = filling;
      to.msgs[to.count] = msg;
      to.peers[to.count] = peer;
      to.count++;
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
