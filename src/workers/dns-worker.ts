/**
 * The entry of a DNS worker process (`general.workers` > 1), forked by the primary's supervisor.
 * It waits for the config's source, starts its parts, says where it listens, answers metrics
 * requests, and stops when told or when the primary is gone (the IPC channel closes).
 *
 * SIGINT, SIGTERM and SIGHUP are ignored: a signal to the whole process group (Ctrl-C, systemd's
 * KillMode=control-group) must not end a worker before the primary's orderly stop, which tells
 * each worker to finish its in-flight answers.
 */
import cluster from 'node:cluster';
import { parseConfig } from '../config';
import { createLogger, type Logger } from '../log';
import { readToWorker, type ToPrimary, type ToWorker } from './ipc';
import { createUpdateForwarder, type SendToPrimary, type UpdateForwarder } from './update-forward';
import { workerConfig } from './worker-config';
import { startWorkerParts, type WorkerParts } from './worker-parts';

/** Exit status when the worker could not start (the primary's backoff applies). */
const EXIT_START_FAILED = 1;
/** As main.ts: a bug whose state cannot be trusted. */
const EXIT_BUG = 70;

const send: SendToPrimary = (message, done) => {
  if (!process.connected || process.send === undefined) return done(new Error('no IPC channel'));
  process.send(message, undefined, {}, (err: Error | null) => done(err ?? null));
};
const tell = (message: ToPrimary): void => send(message, () => undefined);

let logger: Logger | undefined;
let parts: WorkerParts | undefined;
let started = false;
let stopping: Promise<void> | undefined;
let forwarder: UpdateForwarder | undefined;

function stop(code: number): Promise<void> {
  stopping ??= (async () => {
    const queries = await answered();
    await parts?.stop();
    logger?.info({ queries }, 'DNS worker stopped');
    process.exit(code);
  })();
  return stopping;
}

/** This worker's count of answered queries (for the stop line: which worker served what). */
async function answered(): Promise<number | undefined> {
  const series = await parts?.metrics?.snapshot().catch(() => undefined);
  const counter = series?.find((m) => m.name === 'acmedns_dns_queries_total');
  return counter?.values.reduce((sum, v) => sum + v.value, 0);
}

async function start(message: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  if (started || stopping !== undefined) return;
  started = true;
  try {
    const { source } = message;
    const config = workerConfig(parseConfig(source.text, source.env, source.file), message.workers, message.listen);
    logger = createLogger(config.log).child({ worker: cluster.worker?.id, pid: process.pid });
    forwarder = createUpdateForwarder(send, logger);
    parts = await startWorkerParts(config, logger, forwarder.forward);
    tell({ type: 'listening', udp: parts.addresses.udp, tcp: parts.addresses.tcp });
  } catch (err) {
    send({ type: 'start-failed', error: err instanceof Error ? err.message : String(err) }, () => process.exit(EXIT_START_FAILED));
  }
}

function onMessage(raw: unknown): void {
  const message = readToWorker(raw);
  if (message === undefined) return; // not ours (e.g. prom-client's cluster requests)
  switch (message.type) {
    case 'start':
      void start(message);
      return;
    case 'update-reply':
      forwarder?.settle(message.id, message.reply);
      return;
    case 'metrics-request':
      void (parts?.metrics?.snapshot() ?? Promise.resolve([])).then(
        (metrics) => tell({ type: 'metrics', id: message.id, metrics }),
        (err: unknown) => logger?.warn({ err }, 'metrics could not be collected'),
      );
      return;
    case 'stop':
      void stop(0);
      return;
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined);
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`acmedns DNS worker: unhandled rejection: ${reason instanceof Error ? reason.stack : String(reason)}\n`);
  process.exit(EXIT_BUG);
});
process.on('uncaughtException', (err) => {
  process.stderr.write(`acmedns DNS worker: uncaught exception: ${err.stack ?? err.message}\n`);
  process.exit(EXIT_BUG);
});
process.on('message', onMessage);
// The primary is gone (killed, crashed): nobody is left to stop us or to answer UPDATEs. Node's
// cluster exits such a worker at once (its own 'disconnect' listener); this one is for a runtime
// that would not: what waits for the primary gets SERVFAIL, then the worker stops.
process.on('disconnect', () => {
  forwarder?.failAll();
  void stop(0);
});
tell({ type: 'ready' });
