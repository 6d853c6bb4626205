/**
 * The NOTIFY sender (RFC 1996): a transport file (UDP sockets). After a change each secondary is
 * told the zone's new serial; a NOTIFY is sent again with a growing interval until the secondary
 * acknowledges it (§3.6); and changes coalesce: while a NOTIFY to a secondary is outstanding,
 * later serials only replace the one to send next, so a burst of updates costs each secondary at
 * most two NOTIFYs (the one in flight, then one with the latest serial) and so two transfers.
 */
import { randomInt } from 'node:crypto';
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Logger } from '../../log';
import type { TransferMetrics } from '../../metrics/types';
import type { ResourceRecord } from '../packet';
import type { SignedRequest, TsigKey } from '../tsig';
import { signRequest } from '../tsig';
import { decodeNotifyReply, encodeNotify } from '../wire-notify';

/** A secondary to notify. */
export interface NotifyTarget {
  readonly host: string;
  readonly port: number;
}

/** What the sender needs. */
export interface NotifierDeps {
  readonly targets: readonly NotifyTarget[];
  /** The apex SOA record at a serial (the NOTIFY's answer section, RFC 1996 §3.7). */
  readonly soaAt: (serial: number) => ResourceRecord;
  /** `[transfer] tsig_key`: each NOTIFY is signed with it and the reply's TSIG must verify. */
  readonly key?: TsigKey | undefined;
  /** The first retry after this many ms; doubling up to retryMaxMs. */
  readonly retryMs: number;
  readonly retryMaxMs: number;
  readonly logger: Logger;
  readonly metrics?: Partial<TransferMetrics> | undefined;
  /** Seconds (TSIG time signed); default Date.now()/1000. */
  readonly now?: () => number;
}

/** The running sender. */
export interface Notifier {
  /** Tells every secondary that the zone is at `serial` now (coalesced with what is outstanding). */
  notify(serial: number): void;
  /** Stops retrying and closes the sockets. */
  stop(): Promise<void>;
}

interface Outstanding {
  readonly id: number;
  readonly serial: number;
  readonly signed: SignedRequest | undefined;
  readonly timer: NodeJS.Timeout;
}

interface TargetState {
  readonly target: NotifyTarget;
  /** The serial to tell next; undefined once told. */
  wanted: number | undefined;
  outstanding: Outstanding | undefined;
  delayMs: number;
  failures: number;
}

/** A socket peer as the target was written: `::ffff:192.0.2.1` is 192.0.2.1. */
const plainAddress = (address: string): string => address.replace(/^::ffff:(?=\d+\.)/i, '');

/** Starts the sender (sockets are opened on first use, one per address family). */
export function createNotifier(deps: NotifierDeps): Notifier {
  const { logger, metrics, key } = deps;
  const now = deps.now ?? ((): number => Date.now() / 1000);
  const states = deps.targets.map((target): TargetState => ({ target, wanted: undefined, outstanding: undefined, delayMs: deps.retryMs, failures: 0 }));
  const sockets = new Map<4 | 6, dgram.Socket>();
  let stopped = false;

  const socketFor = (family: 4 | 6): dgram.Socket => {
    const existing = sockets.get(family);
    if (existing) return existing;
    // Bound by the kernel to an ephemeral port on the address the route picks: the secondary's
    // `allow-notify`/acl must admit that source address (README, [transfer]).
    const socket = dgram.createSocket(family === 6 ? 'udp6' : 'udp4');
    socket.on('message', onReply);
    socket.on('error', (err) => logger.warn({ err }, 'NOTIFY socket error'));
    sockets.set(family, socket);
    return socket;
  };

  const send = (state: TargetState): void => {
    const serial = state.wanted;
    if (stopped || serial === undefined) return;
    const id = randomInt(0, 0x10000);
    const plain = encodeNotify(id, deps.soaAt(serial));
    const signed = key ? signRequest(plain, key, now()) : undefined;
    const { host, port } = state.target;
    const timer = setTimeout(() => onTimeout(state), state.delayMs);
    timer.unref();
    state.outstanding = { id, serial, signed, timer };
    socketFor(isIPv6(host) ? 6 : 4).send(signed ? signed.bytes : plain, port, host, (err) => {
      if (err) logger.debug({ err, secondary: `${host}:${port}` }, 'NOTIFY not sent');
    });
  };

  const failed = (state: TargetState, why: string, extra: Record<string, unknown> = {}): void => {
    state.failures++;
    const line = { secondary: `${state.target.host}:${state.target.port}`, serial: state.outstanding?.serial, retryInMs: state.delayMs, ...extra };
    // The first failure of a streak is worth a warning; the retries after it only debug lines.
    if (state.failures === 1) logger.warn(line, `NOTIFY ${why}; retrying until acknowledged`);
    else logger.debug(line, `NOTIFY ${why} again`);
  };

  const onTimeout = (state: TargetState): void => {
    if (stopped || !state.outstanding) return;
    metrics?.dnsNotify?.('timeout');
    failed(state, 'not answered');
    state.wanted ??= state.outstanding.serial;
    state.outstanding = undefined;
    state.delayMs = Math.min(state.delayMs * 2, deps.retryMaxMs);
    send(state);
  };

  function onReply(msg: Buffer, peer: dgram.RemoteInfo): void {
    const reply = decodeNotifyReply(msg);
    if (!reply?.isNotifyResponse) return;
    const state = states.find(
      (s) => s.outstanding?.id === reply.id && s.target.port === peer.port && plainAddress(peer.address) === plainAddress(s.target.host),
    );
    const sent = state?.outstanding;
    if (!state || !sent) return;
    // RFC 8945 §5.4.1: a signed request's reply must carry a valid TSIG; anything else is not it.
    if (sent.signed && !sent.signed.verifyReply(msg, now())) {
      logger.debug({ secondary: `${state.target.host}:${state.target.port}` }, 'NOTIFY reply without a valid TSIG ignored');
      return;
    }
    clearTimeout(sent.timer);
    state.outstanding = undefined;
    if (reply.rcode !== 0) {
      // A secondary that refuses (its ACL, our key) is asked again later, as after a timeout.
      metrics?.dnsNotify?.('refused');
      failed(state, 'refused', { rcode: reply.rcode });
      state.wanted ??= sent.serial;
      state.delayMs = Math.min(state.delayMs * 2, deps.retryMaxMs);
      const timer = setTimeout(() => send(state), state.delayMs);
      timer.unref();
      state.outstanding = { ...sent, timer, id: -1 };
      return;
    }
    metrics?.dnsNotify?.('acknowledged');
    if (state.failures > 0) logger.info({ secondary: `${state.target.host}:${state.target.port}`, serial: sent.serial }, 'NOTIFY acknowledged again');
    state.failures = 0;
    state.delayMs = deps.retryMs;
    if (state.wanted === sent.serial) state.wanted = undefined;
    // A change came in meanwhile: one more NOTIFY, with the latest serial.
    if (state.wanted !== undefined) send(state);
  }

  return {
    notify(serial) {
      if (stopped) return;
      for (const state of states) {
        state.wanted = serial;
        if (!state.outstanding) send(state);
      }
    },
    async stop() {
      stopped = true;
      for (const state of states) clearTimeout(state.outstanding?.timer);
      await Promise.all([...sockets.values()].map((s) => new Promise<void>((done) => s.close(() => done()))));
      sockets.clear();
    },
  };
}
