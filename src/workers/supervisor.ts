/**
 * The primary's side of `general.workers` > 1: forks the DNS workers (Node's cluster: the
 * primary holds the sockets, every worker reads the one UDP socket and TCP connections are handed
 * out in turn), answers their forwarded UPDATEs, collects their metrics, replaces a worker that
 * dies (later and later when it keeps dying at start, so a broken setup does not fork in a loop),
 * and stops them all.
 */
import cluster, { type Worker } from 'node:cluster';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { ConfigSource } from '../config';
import { updateServfail, type UpdateHandler } from '../dns';
import type { Logger } from '../log';
import type { MetricJson } from '../metrics';
import { readToPrimary, type ToPrimary, type ToWorker } from './ipc';
import { boundListen, picksPorts } from './ports';
import { workerExecArgv } from './worker-flags';

/** The compiled worker entry beside this file (dist/workers/dns-worker.js). */
export const WORKER_ENTRY = path.join(__dirname, 'dns-worker.js');

/** A worker that stops answering metrics requests is left out of the scrape after this long. */
const METRICS_TIMEOUT_MS = 1000;
/** A told-to-stop worker is killed after this long (its TCP connections get 1 s to flush). */
const STOP_TIMEOUT_MS = 10_000;
/** A worker that lived shorter than this died "at start": the next replacement waits longer. */
const QUICK_DEATH_MS = 10_000;
const RESTART_DELAY_MS = 250;
const RESTART_DELAY_MAX_MS = 30_000;

/**
 * How long to wait before replacing a worker, after `quickDeaths` deaths in a row each soon after
 * its start: 250 ms, doubling, at most 30 s, so a setup that cannot run does not fork in a loop.
 */
export function restartDelay(quickDeaths: number): number {
  return Math.min(RESTART_DELAY_MAX_MS, RESTART_DELAY_MS * 2 ** Math.max(0, quickDeaths - 1));
}

/** What the supervisor needs. */
export interface DnsWorkersOptions {
  readonly count: number;
  /** What every worker parses its config from (the primary's own source). */
  readonly source: ConfigSource;
  /** The config's `general.listen`. */
  readonly listen: readonly string[];
  readonly logger: Logger;
  /** Answers an UPDATE a worker received (the primary's handler on the accounts service). */
  readonly update: UpdateHandler;
  /** The worker entry (default WORKER_ENTRY). */
  readonly exec?: string;
}

/** The running workers. */
export interface DnsWorkers {
  /** Where DNS listens (the first worker's sockets, which every worker shares). */
  readonly addresses: { readonly udp: AddressInfo[]; readonly tcp: AddressInfo[] };
  /** Every live worker's series; a worker that does not answer within a second is left out. */
  metrics(): Promise<MetricJson[][]>;
  /** Tells every worker to stop, kills what is left after a timeout; resolves when none is left. */
  stop(): Promise<void>;
}

type Bound = { udp: AddressInfo[]; tcp: AddressInfo[] };

interface Slot {
  readonly worker: Worker;
  readonly startedAt: number;
  listening: boolean;
  readonly exited: Promise<void>;
}

/** Forks `count` workers and resolves once every one listens; rejects (all stopped) when one cannot start. */
export async function startDnsWorkers(options: DnsWorkersOptions): Promise<DnsWorkers> {
  const { logger, count } = options;
  const exec = options.exec ?? WORKER_ENTRY;
  if (!fs.existsSync(exec)) {
    throw new Error(`general.workers = ${count} needs the built DNS worker ${exec}: run "npm run build", or set workers = 1`);
  }
  cluster.setupPrimary({ exec, args: [], execArgv: workerExecArgv(process.execArgv), silent: false });

  const slots = new Map<number, Slot>();
  const metricRequests = new Map<number, (metrics: MetricJson[]) => void>();
  const timers = new Set<NodeJS.Timeout>();
  let nextRequest = 0;
  let running = false;
  let stopping = false;
  let quickDeaths = 0;
  let bound: Bound | undefined;
  // Once no worker holds the port-0 sockets, new workers ask for the real ports (ports.ts).
  let concrete = false;

  const sendTo = (worker: Worker, message: ToWorker): void => {
    if (worker.isConnected()) worker.send(message, undefined, () => undefined);
  };

  const answerUpdate = async (worker: Worker, m: Extract<ToPrimary, { type: 'update' }>): Promise<void> => {
    const msg = Buffer.from(m.message, 'base64');
    const reply = await options.update(msg, m.transport, m.source).catch((err: unknown) => {
      logger.error({ err }, 'RFC 2136 UPDATE from a DNS worker failed: SERVFAIL');
      return updateServfail(msg);
    });
    sendTo(worker, { type: 'update-reply', id: m.id, reply: reply === null ? null : reply.toString('base64') });
  };

  function listenFor(): readonly string[] | undefined {
    if (bound === undefined || !picksPorts(options.listen)) return undefined;
    if (!concrete && ![...slots.values()].some((s) => s.listening)) concrete = true;
    return concrete ? boundListen(options.listen, bound) : undefined;
  }

  function fork(): Promise<Bound> {
    const listen = listenFor();
    const worker = cluster.fork();
    return new Promise<Bound>((resolve, reject) => {
      const exited = new Promise<void>((done) => worker.once('exit', () => done()));
      const slot: Slot = { worker, startedAt: Date.now(), listening: false, exited };
      slots.set(worker.id, slot);
      worker.on('message', (raw: unknown) => {
        const m = readToPrimary(raw);
        if (m === undefined) return;
        switch (m.type) {
          case 'ready':
            // Stopping meanwhile: the 'stop' sent before its handler was installed may be lost.
            if (stopping) return sendTo(worker, { type: 'stop' });
            sendTo(worker, { type: 'start', source: { ...options.source, env: { ...options.source.env } }, workers: count, ...(listen ? { listen: [...listen] } : {}) });
            return;
          case 'listening':
            slot.listening = true;
            logger.info({ worker: worker.id, pid: worker.process.pid }, 'DNS worker listening');
            resolve({ udp: m.udp.map(asAddress), tcp: m.tcp.map(asAddress) });
            return;
          case 'start-failed':
            reject(new Error(m.error));
            return;
          case 'update':
            void answerUpdate(worker, m);
            return;
          case 'metrics':
            metricRequests.get(m.id)?.(m.metrics);
            return;
        }
      });
      // An 'error' on the channel (EPIPE while the worker dies) must not crash the primary.
      worker.on('error', (err) => logger.debug({ err, worker: worker.id }, 'DNS worker channel error'));
      worker.once('exit', (code, signal) => {
        slots.delete(worker.id);
        reject(new Error(`DNS worker ${worker.id} exited (${signal ?? code}) before listening`));
        if (stopping) return;
        logger.error({ worker: worker.id, pid: worker.process.pid, code, signal }, 'DNS worker died');
        // One that never listened during the first start fails the start instead (rejected above).
        if (running || slot.listening) replaceLater(Date.now() - slot.startedAt);
      });
    });
  }

  function replaceLater(livedMs: number): void {
    quickDeaths = livedMs < QUICK_DEATH_MS ? quickDeaths + 1 : 0;
    const delay = restartDelay(quickDeaths);
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopping) return;
      // A failure is logged; its exit schedules the next try.
      fork().catch((err: unknown) => logger.error({ err: err instanceof Error ? err.message : String(err) }, 'DNS worker could not start'));
    }, delay);
    timers.add(timer);
  }

  async function stop(): Promise<void> {
    stopping = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    const left = [...slots.values()];
    for (const { worker } of left) sendTo(worker, { type: 'stop' });
    const all = Promise.all(left.map((s) => s.exited));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((done) => (timer = setTimeout(() => done('late'), STOP_TIMEOUT_MS)));
    if ((await Promise.race([all, late])) === 'late') {
      for (const { worker } of slots.values()) {
        logger.warn({ worker: worker.id, pid: worker.process.pid }, 'DNS worker did not stop in time: killed');
        worker.process.kill('SIGKILL');
      }
      await all;
    }
    clearTimeout(timer);
  }

  try {
    // With port 0 the first alone: it picks the ports the others then share. Else all at once.
    const first = picksPorts(options.listen) ? 1 : count;
    const started = await Promise.all(Array.from({ length: first }, () => fork()));
    bound = started[0];
    if (bound === undefined) throw new Error('no DNS worker started');
    await Promise.all(Array.from({ length: count - first }, () => fork()));
  } catch (err) {
    await stop();
    throw err;
  }
  running = true;
  const addresses = bound;

  return {
    addresses,
    async metrics() {
      const asks = [...slots.values()].filter((s) => s.listening && s.worker.isConnected());
      return (
        await Promise.all(
          asks.map(
            ({ worker }) =>
              new Promise<MetricJson[] | undefined>((resolve) => {
                const id = nextRequest++;
                const timer = setTimeout(() => {
                  metricRequests.delete(id);
                  logger.debug({ worker: worker.id, pid: worker.process.pid }, 'DNS worker did not send its metrics in time: left out');
                  resolve(undefined);
                }, METRICS_TIMEOUT_MS);
                metricRequests.set(id, (metrics) => {
                  clearTimeout(timer);
                  metricRequests.delete(id);
                  resolve(metrics);
                });
                sendTo(worker, { type: 'metrics-request', id });
              }),
          ),
        )
      ).filter((m): m is MetricJson[] => m !== undefined);
    },
    stop,
  };
}

function asAddress(a: { address: string; family: string; port: number }): AddressInfo {
  return { address: a.address, family: a.family, port: a.port };
}
