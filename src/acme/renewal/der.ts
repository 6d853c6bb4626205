/**
 * Just enough DER (X.690 §8, §10) to pull the serial number and the Authority Key Identifier out of
 * a certificate: Node's X509Certificate exposes neither as bytes, and ARI needs both exactly.
 */

/** One decoded tag-length-value: `tag` is the identifier octet, `content` a view into the input. */
export interface Tlv {
  readonly tag: number;
  readonly content: Buffer;
  /** Offset just past this element in the buffer it was read from. */
  readonly end: number;
}

/** Reads the element at `offset`; throws on truncated input or lengths DER does not allow. */
export function readTlv(buf: Buffer, offset = 0): Tlv {
  if (offset + 2 > buf.length) throw new Error('DER: truncated element');
  const tag = buf[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new Error('DER: multi-byte tags are not used in certificates');
  let length = buf[offset + 1] as number;
  let start = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4 || start + octets > buf.length) throw new Error('DER: bad length');
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + (buf[start + i] as number);
    start += octets;
  }
  const end = start + length;
  if (end > buf.length) throw new Error('DER: element runs past the end');
  return { tag, content: buf.subarray(start, end), end };
}

/** The elements inside a constructed element's content, in order. */
export function children(content: Buffer): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < content.length; ) {
    const tlv = readTlv(content, offset);
    out.push(tlv);
    offset = tlv.end;
  }
  return out;
}

const SEQUENCE = 0x30;
const INTEGER = 0x02;
const OCTET_STRING = 0x04;
const OID = 0x06;
/** `[0] EXPLICIT Version` and `[3] EXPLICIT Extensions` in TBSCertificate (RFC 5280 §4.1). */
const VERSION_TAG = 0xa0;
const EXTENSIONS_TAG = 0xa3;
/** id-ce-authorityKeyIdentifier, 2.5.29.35, content octets. */
const AKI_OID = Buffer.from([0x55, 0x1d, 0x23]);
/** `keyIdentifier [0] IMPLICIT OCTET STRING` inside AuthorityKeyIdentifier (RFC 5280 §4.2.1.1). */
const KEY_IDENTIFIER_TAG = 0x80;

/** What ARI needs from a certificate. */
export interface CertificateIds {
  /** The serialNumber INTEGER's content octets, as encoded (leading 0x00 kept). */
  readonly serial: Buffer;
  /** The AKI keyIdentifier octets, or undefined when the certificate has none. */
  readonly authorityKeyId: Buffer | undefined;
}

/** Extracts the serial and AKI keyIdentifier from a DER certificate. */
export function certificateIds(der: Buffer): CertificateIds {
  const cert = readTlv(der);
  if (cert.tag !== SEQUENCE) throw new Error('DER: a certificate is a SEQUENCE');
  const tbs = children(cert.content)[0];
  if (!tbs || tbs.tag !== SEQUENCE) throw new Error('DER: missing TBSCertificate');
  const fields = children(tbs.content);
  let i = fields[0]?.tag === VERSION_TAG ? 1 : 0;
  const serial = fields[i++];
  if (!serial || serial.tag !== INTEGER) throw new Error('DER: missing serialNumber');
  const extensions = fields.find((f) => f.tag === EXTENSIONS_TAG);
  return { serial: Buffer.from(serial.content), authorityKeyId: extensions ? findAki(extensions.content) : undefined };
}

function findAki(explicit: Buffer): Buffer | undefined {
  const list = readTlv(explicit);
  for (const ext of children(list.content)) {
    const parts = children(ext.content);
    const oid = parts[0];
    const value = parts[parts.length - 1];
    if (!oid || oid.tag !== OID || !oid.content.equals(AKI_OID) || !value || value.tag !== OCTET_STRING) continue;
    const aki = readTlv(value.content);
    const keyId = children(aki.content).find((c) => c.tag === KEY_IDENTIFIER_TAG);
    return keyId ? Buffer.from(keyId.content) : undefined;
  }
  return undefined;
}
