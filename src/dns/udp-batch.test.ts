/** The datagrams of one turn, answered together in the next check phase (udp-batch.ts). */
import { createUdpBatch, type UdpBatch } from './udp-batch';

/** What the batch did, in order: `prepare <n>,<n>...`, `answer <n> <peer>`, `error <message>`. */
let events: string[];

function batchOf(opts: { failPrepare?: number; failAnswer?: number } = {}): UdpBatch<string> {
  return createUdpBatch<string>({
    prepare: (msgs) => {
      events.push(`prepare ${msgs.map((m) => m[0]).join(',')}`);
      if (msgs[0]?.[0] === opts.failPrepare) throw new Error('prepare failed');
    },
    answer: (msg, peer) => {
      events.push(`answer ${msg[0]} ${peer}`);
      if (msg[0] === opts.failAnswer) throw new Error(`answer ${msg[0]} failed`);
    },
    onError: (err) => events.push(`error ${(err as Error).message}`),
  });
}

/**
 * A batch that records each answered peer in `answered`, then runs `then(peer, batch)`: a test adds
 * or flushes there while a run is answering.
 */
function recordingBatch(then: (peer: string, batch: UdpBatch<string>) => void): { batch: UdpBatch<string>; answered: string[] } {
  const answered: string[] = [];
  const batch: UdpBatch<string> = createUdpBatch<string>({
    answer: (_msg, peer) => {
      answered.push(peer);
      then(peer, batch);
    },
    onError: (err) => {
      throw err;
    },
  });
  return { batch, answered };
}

/** Resolves after the check phase of the current turn (setImmediate callbacks run in order). */
const nextCheck = (): Promise<void> => new Promise((done) => setImmediate(done));

beforeEach(() => {
  events = [];
});

test("a turn's datagrams are prepared together, then answered in the order they came, each to its peer", async () => {
  const batch = batchOf();
  for (let i = 1; i <= 3; i++) batch.add(Buffer.of(i), `peer${i}`);
  expect(events).toEqual([]);
  await nextCheck();
  expect(events).toEqual(['prepare 1,2,3', 'answer 1 peer1', 'answer 2 peer2', 'answer 3 peer3']);
});

test('a datagram alone is answered in the next check phase without a read ahead', async () => {
  const batch = batchOf();
  batch.add(Buffer.of(7), 'p');
  await nextCheck();
  expect(events).toEqual(['answer 7 p']);
});

test('flush() answers at once, and the scheduled run then answers nothing twice', async () => {
  const batch = batchOf();
  batch.add(Buffer.of(1), 'a');
  batch.add(Buffer.of(2), 'b');
  batch.flush();
  expect(events).toEqual(['prepare 1,2', 'answer 1 a', 'answer 2 b']);
  await nextCheck();
  await nextCheck();
  expect(events).toHaveLength(3);
});

test('datagrams of a later turn make a batch of their own', async () => {
  const batch = batchOf();
  batch.add(Buffer.of(1), 'a');
  await nextCheck();
  batch.add(Buffer.of(2), 'b');
  batch.add(Buffer.of(3), 'c');
  await nextCheck();
  expect(events).toEqual(['answer 1 a', 'prepare 2,3', 'answer 2 b', 'answer 3 c']);
});

test('a datagram added while its batch is answered waits for the next run, not lost nor answered twice', async () => {
  const { batch, answered } = recordingBatch((peer, self) => {
    if (peer === 'first') self.add(Buffer.of(9), 'added meanwhile');
  });
  batch.add(Buffer.of(1), 'first');
  batch.add(Buffer.of(2), 'second');
  await nextCheck();
  expect(answered).toEqual(['first', 'second']);
  await nextCheck();
  expect(answered).toEqual(['first', 'second', 'added meanwhile']);
});

test('a read ahead or an answer that throws is reported, and the rest of the batch is still answered', async () => {
  const batch = batchOf({ failPrepare: 1, failAnswer: 2 });
  for (let i = 1; i <= 3; i++) batch.add(Buffer.of(i), `p${i}`);
  await nextCheck();
  expect(events).toEqual(['prepare 1,2,3', 'error prepare failed', 'answer 1 p1', 'answer 2 p2', 'error answer 2 failed', 'answer 3 p3']);
});

test('answerMany gets the whole batch with its peers, in order, once; a throw is reported', async () => {
  const runs: string[] = [];
  const batch = createUdpBatch<string>({
    answerMany: (msgs, peers) => {
      runs.push(msgs.map((m, i) => `${m[0]}@${peers[i]}`).join(' '));
      if (runs.length === 2) throw new Error('many failed');
    },
    onError: (err) => runs.push(`error ${(err as Error).message}`),
  });
  for (let i = 1; i <= 3; i++) batch.add(Buffer.of(i), `p${i}`);
  await nextCheck();
  batch.add(Buffer.of(4), 'p4');
  await nextCheck();
  expect(runs).toEqual(['1@p1 2@p2 3@p3', '4@p4', 'error many failed']);
});

test('a smaller batch after a larger one answers only its own datagrams (the slots are reused)', async () => {
  const batch = batchOf();
  for (let i = 1; i <= 3; i++) batch.add(Buffer.of(i), `p${i}`);
  await nextCheck();
  batch.add(Buffer.of(4), 'p4');
  await nextCheck();
  for (let i = 5; i <= 6; i++) batch.add(Buffer.of(i), `p${i}`);
  await nextCheck();
  expect(events).toEqual(['prepare 1,2,3', 'answer 1 p1', 'answer 2 p2', 'answer 3 p3', 'answer 4 p4', 'prepare 5,6', 'answer 5 p5', 'answer 6 p6']);
});

test('answerMany keeps its arrays: the next batch does not change what it was given', async () => {
  const given: (readonly Buffer[])[] = [];
  const batch = createUdpBatch<string>({
    answerMany: (msgs) => {
      given.push(msgs);
    },
    onError: (err) => {
      throw err;
    },
  });
  batch.add(Buffer.of(1), 'a');
  batch.add(Buffer.of(2), 'b');
  await nextCheck();
  batch.add(Buffer.of(3), 'c');
  await nextCheck();
  batch.add(Buffer.of(4), 'd');
  await nextCheck();
  expect(given.map((msgs) => msgs.map((m) => m[0]))).toEqual([[1, 2], [3], [4]]);
});

test('a flush called while a batch is answered answers what came meanwhile once, and the run goes on; nothing added in either run is lost', async () => {
  const { batch, answered } = recordingBatch((peer, self) => {
    if (peer === 'first') {
      self.add(Buffer.of(9), 'added meanwhile');
      self.flush();
    }
    if (peer === 'added meanwhile') self.add(Buffer.of(8), 'added in the inner run');
  });
  batch.add(Buffer.of(1), 'first');
  batch.add(Buffer.of(2), 'second');
  await nextCheck();
  batch.add(Buffer.of(3), 'later');
  await nextCheck();
  await nextCheck();
  expect(answered).toEqual(['first', 'added meanwhile', 'second', 'added in the inner run', 'later']);
});
