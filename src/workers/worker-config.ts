/**
 * The config a DNS worker runs with: the primary's, with the per-process limits divided among the
 * workers. The kernel (UDP) and the cluster primary (TCP, in turn) spread the traffic, so each
 * worker sees about 1/N of it: RRL's rate and the TCP connection caps are per process, and
 * divided they hold for the server as a whole about as configured (at least 1 each).
 */
import type { Config } from '../config';

/** `value` shared among `workers`, rounded up, at least 1. */
export function share(value: number, workers: number): number {
  return Math.max(1, Math.ceil(value / workers));
}

/** `config` for one of `workers` DNS workers; `listen` replaces the config's (the ports already bound). */
export function workerConfig(config: Config, workers: number, listen?: readonly string[]): Config {
  return {
    ...config,
    dns: {
      ...config.dns,
      ...(listen === undefined ? {} : { listen }),
      tcpMaxConnections: share(config.dns.tcpMaxConnections, workers),
      tcpMaxConnectionsPerAddress: share(config.dns.tcpMaxConnectionsPerAddress, workers),
    },
    rrl: { ...config.rrl, responsesPerSecond: share(config.rrl.responsesPerSecond, workers) },
  };
}
