/**
 * RFC 2136 UPDATE messages for tests, written byte by byte (dns-message.ts's style) so a test can
 * send what no client would: bad counts, odd classes, TTLs and RDATA, records after a TSIG.
 */
import { header, wireName } from './dns-message';

/** Classes of the prerequisite and update sections (RFC 2136 §2.4, §2.5). */
export const CLASS = { IN: 1, NONE: 254, ANY: 255 } as const;

/** Type codes the tests use (RFC 1035 §3.2.2, RFC 8945). */
export const TYPE = { A: 1, NS: 2, SOA: 6, TXT: 16, AAAA: 28, OPT: 41, TSIG: 250, AXFR: 252, ANY: 255 } as const;

/** One record of a section; `txt` (character-strings) or raw `rdata`, none: empty RDATA. */
export interface RecordSpec {
  readonly name: string;
  readonly type: number;
  readonly klass?: number;
  readonly ttl?: number;
  readonly txt?: readonly (string | Buffer)[];
  readonly rdata?: Buffer;
}

/** An UPDATE message; counts are those of the sections unless `counts` overrides them. */
export interface UpdateSpec {
  readonly id?: number;
  /** The zone section's entries (default one: `zone`, SOA, IN). */
  readonly zone?: string;
  readonly zones?: readonly { readonly name: string; readonly type?: number; readonly klass?: number }[];
  readonly prerequisites?: readonly RecordSpec[];
  readonly updates?: readonly RecordSpec[];
  /** Raw additional records (an OPT, a forged TSIG ...). */
  readonly additional?: readonly Buffer[];
  readonly counts?: readonly [number, number, number, number];
  readonly opcode?: number;
}

/** TXT RDATA: each string with its length octet. */
export function txtRdata(strings: readonly (string | Buffer)[]): Buffer {
  return Buffer.concat(
    strings.map((s) => {
      const b = typeof s === 'string' ? Buffer.from(s) : s;
      return Buffer.concat([Buffer.from([b.length]), b]);
    }),
  );
}

/** One record's bytes (owner uncompressed). */
export function recordBytes(rr: RecordSpec): Buffer {
  const rdata = rr.rdata ?? (rr.txt ? txtRdata(rr.txt) : Buffer.alloc(0));
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(rr.type, 0);
  fixed.writeUInt16BE(rr.klass ?? CLASS.IN, 2);
  fixed.writeUInt32BE(rr.ttl ?? 0, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([wireName(rr.name), fixed, rdata]);
}

/** Builds an UPDATE (opcode 5) by hand. */
export function buildUpdate(spec: UpdateSpec): Buffer {
  const zones = spec.zones ?? [{ name: spec.zone ?? 'auth.example.org' }];
  const zoneBytes = zones.map((z) => {
    const tail = Buffer.alloc(4);
    tail.writeUInt16BE(z.type ?? TYPE.SOA, 0);
    tail.writeUInt16BE(z.klass ?? CLASS.IN, 2);
    return Buffer.concat([wireName(z.name), tail]);
  });
  const pre = (spec.prerequisites ?? []).map(recordBytes);
  const upd = (spec.updates ?? []).map(recordBytes);
  const add = spec.additional ?? [];
  const counts = spec.counts ?? [zones.length, pre.length, upd.length, add.length];
  return Buffer.concat([header(spec.id ?? 0x2136, (spec.opcode ?? 5) << 11, [...counts] as [number, number, number, number]), ...zoneBytes, ...pre, ...upd, ...add]);
}
