/**
 * The DNS server in-process for the DNS integration tests: on 127.0.0.1 port 0 with the test
 * config's zone, a Map-backed lookup and a capturing logger. Queries go through dns-client.ts.
 */
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import type { Config, DnsConfig } from '../../src/config';
import type { NameData } from '../../src/core/types';
import { createDnsServer, type DnsServer, type TsigKeyLookup } from '../../src/dns';
import type { AnswerSecurity } from '../../src/dns/dnssec/types';
import type { DnsMetrics, RrlMetrics } from '../../src/metrics';
import { testConfig } from './config';

/** One parsed log line. */
export type LogLine = { level: number; msg: string } & Record<string, unknown>;

/** A started server and what the tests need from it. */
export interface Harness {
  readonly server: DnsServer;
  /** The first UDP and TCP listener (undefined when the protocol has none). */
  readonly udp: AddressInfo;
  readonly tcp: AddressInfo;
  readonly bound: { readonly udp: AddressInfo[]; readonly tcp: AddressInfo[] };
  readonly logs: LogLine[];
  stop(): Promise<void>;
}

/** An account label with two TXT values, as several DNS test files serve it. */
export const SAMPLE_SUB = 'd420c923-bbd7-4056-ab64-c3ca54c9b3cf';
/** The values SAMPLE_SUB serves. */
export const SAMPLE_VALUES = ['LHDhK3oGRvkiefQnx7OOczTY5Tic_xZ6HcMOc_gmtoM', 'ZJtj4MOF7ZWgYubuNjSuIWwJLUZGOv0jaIuZNMD0AVw'];

/** SAMPLE_SUB and an account that exists but serves no value ("empty"). */
export function sampleAccounts(): Map<string, NameData> {
  return new Map<string, NameData>([
    [SAMPLE_SUB, { values: SAMPLE_VALUES }],
    ['empty', { values: [] }],
  ]);
}

/** Starts a server; `accounts` backs the lookup unless `lookup` is given, `challenges` the own-challenge reads. */
export async function startDns(
  options: {
    config?: Partial<DnsConfig>;
    accounts?: Map<string, NameData>;
    lookup?: (sub: string, now: number) => Promise<NameData | undefined>;
    /** Own DNS-01 values by lower-case name; a function to see (or fail) each read. */
    challenges?: Map<string, readonly string[]> | ((name: string, now: number) => Promise<readonly string[]>);
    /** Where own DNS-01 values may appear (the daemon derives them from the config). */
    ownChallengeNames?: readonly string[];
    /** `[rrl]` settings (response rate limiting on UDP); absent: off. */
    rrl?: Config['rrl'];
    metrics?: DnsMetrics & RrlMetrics;
    /** Seconds; a fixed instant unless given (so RRL counts are exact). */
    now?: () => number;
    /** TSIG keys by name (RFC 8945); absent: signed requests get BADKEY. */
    tsigKey?: TsigKeyLookup;
    /** DNSSEC online signing (test/support/dnssec.ts builds one); absent: unsigned. */
    dnssec?: AnswerSecurity;
  } = {},
): Promise<Harness> {
  const logs: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  const accounts = options.accounts ?? new Map<string, NameData>();
  const challenges = options.challenges ?? new Map<string, readonly string[]>();
  const server = createDnsServer({
    config: { ...testConfig().dns, ...options.config },
    lookup: options.lookup ?? (async (sub) => accounts.get(sub)),
    challenges: typeof challenges === 'function' ? challenges : async (name) => challenges.get(name) ?? [],
    logger,
    now: options.now ?? (() => 1_795_435_199),
    rrl: options.rrl,
    metrics: options.metrics,
    ownChallengeNames: options.ownChallengeNames ?? [],
    tsigKey: options.tsigKey,
    dnssec: options.dnssec,
  });
  const bound = await server.start();
  return {
    server,
    udp: bound.udp[0] as AddressInfo,
    tcp: bound.tcp[0] as AddressInfo,
    bound,
    logs,
    stop: () => server.stop(),
  };
}
