import type { TsigRecord } from './tsig';

/**
 * Our own DNS message types. Everything in src/dns speaks these; only wire.ts turns them into
 * bytes (through the codec) and wire-decode.ts turns bytes into them, so the codec can be swapped.
 */

/** RR type codes we serve or treat specially (RFC 1035 §3.2.2, RFC 3596, RFC 2782, RFC 8659). */
export const RRType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  DS: 43,
  RRSIG: 46,
  NSEC: 47,
  DNSKEY: 48,
  /** RFC 9824 §3: the pseudo-type a compact denial's NSEC lists at a name that does not exist. */
  NXNAME: 128,
  TSIG: 250,
  IXFR: 251,
  AXFR: 252,
  ANY: 255,
  CAA: 257,
} as const;

/** Response codes (RFC 1035 §4.1.1); BADVERS needs the EDNS extended RCODE (RFC 6891 §6.1.3). */
export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  BADVERS: 16,
} as const;

/** One of the response codes above. */
export type RcodeValue = (typeof Rcode)[keyof typeof Rcode];

/** Opcode QUERY (RFC 1035 §4.1.1); every other opcode gets NOTIMP. */
export const OPCODE_QUERY = 0;

/** Opcode NOTIFY (RFC 1996 §3.1): what we send to secondaries after a change. */
export const OPCODE_NOTIFY = 4;

/** Opcode UPDATE (RFC 2136 §1.3): handed to dns/update. */
export const OPCODE_UPDATE = 5;

/** Class IN (RFC 1035 §3.2.4). */
export const CLASS_IN = 1;

/** The RDATA of the types we serve. Names are lower-case, dot-separated, without the final dot. */
export type RData =
  | { readonly type: 'A'; readonly address: string }
  | { readonly type: 'AAAA'; readonly address: string }
  | { readonly type: 'NS'; readonly target: string }
  | { readonly type: 'CNAME'; readonly target: string }
  | { readonly type: 'MX'; readonly preference: number; readonly exchange: string }
  | {
      readonly type: 'SRV';
      readonly priority: number;
      readonly weight: number;
      readonly port: number;
      readonly target: string;
    }
  | { readonly type: 'TXT'; readonly strings: readonly Buffer[] }
  | { readonly type: 'CAA'; readonly flags: number; readonly tag: string; readonly value: string }
  | {
      readonly type: 'SOA';
      readonly mname: string;
      readonly rname: string;
      readonly serial: number;
      readonly refresh: number;
      readonly retry: number;
      readonly expire: number;
      readonly minimum: number;
    }
  // DNSSEC (RFC 4034): written by dns/dnssec/rdata.ts, not by the codec.
  | {
      readonly type: 'DNSKEY';
      /** 257: zone key + secure entry point (a combined signing key, RFC 4034 §2.1.1). */
      readonly flags: number;
      readonly algorithm: number;
      readonly publicKey: Buffer;
    }
  | {
      readonly type: 'RRSIG';
      readonly typeCovered: number;
      readonly algorithm: number;
      /** Labels of the owner name, root and a leading `*` not counted (RFC 4034 §3.1.3). */
      readonly labels: number;
      readonly originalTtl: number;
      /** Unix seconds (RFC 4034 §3.1.5: serial-number arithmetic on the wire, mod 2^32). */
      readonly expiration: number;
      readonly inception: number;
      readonly keyTag: number;
      /** The zone apex, lower-case, without the final dot. */
      readonly signer: string;
      readonly signature: Buffer;
    }
  | {
      readonly type: 'NSEC';
      /** The next owner name's labels as wire bytes (lower-case); `\000.<name>` for compact denial (RFC 9824 §3). */
      readonly next: readonly Buffer[];
      /** The types present at the owner (RFC 4034 §4.1.2), any order; the encoder sorts them. */
      readonly types: readonly number[];
    };

/** The name of a type we serve. */
export type RRTypeName = RData['type'];

/** Numeric code of each served type. */
export const TYPE_CODE: Readonly<Record<RRTypeName, number>> = {
  A: RRType.A,
  AAAA: RRType.AAAA,
  NS: RRType.NS,
  CNAME: RRType.CNAME,
  MX: RRType.MX,
  SRV: RRType.SRV,
  TXT: RRType.TXT,
  CAA: RRType.CAA,
  SOA: RRType.SOA,
  DNSKEY: RRType.DNSKEY,
  RRSIG: RRType.RRSIG,
  NSEC: RRType.NSEC,
};

/** One resource record of class IN. `name` is presentation form without the final dot. */
export interface ResourceRecord {
  readonly name: string;
  readonly ttl: number;
  readonly data: RData;
}

/** The question as asked. */
export interface Question {
  /** Labels exactly as sent, one character per byte (latin1), original case. */
  readonly labels: readonly string[];
  readonly type: number;
  readonly class: number;
}

/** The parts of the query header a response echoes (RFC 1035 §4.1.1). */
export interface QueryHeader {
  readonly id: number;
  readonly opcode: number;
  readonly rd: boolean;
  readonly cd: boolean;
}

/** The query's OPT record (RFC 6891 §6.1.2). */
export interface Edns {
  readonly udpSize: number;
  readonly version: number;
  readonly dnssecOk: boolean;
}

/** A decoded query. */
export interface Query {
  readonly header: QueryHeader;
  readonly questionCount: number;
  /** Present when QDCOUNT is 1. */
  readonly question: Question | undefined;
  /** The question section's bytes, echoed unchanged (0x20: resolvers compare the case). */
  readonly questionBytes: Buffer | undefined;
  readonly edns: Edns | undefined;
  /** The TSIG RR (RFC 8945), read but not verified: the last record of the additional section. */
  readonly tsig: TsigRecord | undefined;
  /**
   * The serial of a SOA record in the authority section, as an IXFR query carries the client's
   * version there (RFC 1995 §3); absent when there is none.
   */
  readonly authoritySoaSerial?: number | undefined;
}

/** A response to encode. */
export interface Response {
  readonly header: QueryHeader;
  /** Full RCODE; values above 15 need `edns` (the upper bits go into the OPT TTL). */
  readonly rcode: number;
  readonly aa: boolean;
  readonly questionBytes: Buffer | undefined;
  readonly answer: readonly ResourceRecord[];
  readonly authority: readonly ResourceRecord[];
  /** Echo an OPT record (the query had one). */
  readonly edns: { readonly dnssecOk: boolean } | undefined;
}
