/**
 * unbound as the recursive resolver, configured like Let's Encrypt's (use-caps-for-id: 0x20 mixed
 * case reaches our server; no caching, as ISRG's unboundtest.com) and unable to leave loopback:
 * the root itself is a stub pointing at knot, so a name outside example.test fails at once.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { udpQuery } from '../support/dns-client';
import { startManaged, waitUntilReady, type Managed } from './proc';

const run = promisify(execFile);

/** A running unbound. */
export interface Unbound {
  readonly process: Managed;
  /**
   * `unbound-control flush_bogus` and `flush_zone <zone>` (validating unbound only): forgets a
   * zone found bogus, which unbound otherwise blacks out for 60 s whatever the TTLs
   * (BOGUS_KEY_TTL), as an operator does once the parent's DS is fixed.
   */
  forgetBogus(zone: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Writes the config and starts unbound in the foreground (-d). With `trustAnchors` (DS lines of
 * the parent zone) it validates (RFC 4035 §5): AD on secure answers, SERVFAIL on bogus ones.
 */
export async function startUnbound(options: {
  dir: string;
  address: string;
  rootStub: string;
  parentZone: string;
  probeName: string;
  trustAnchors?: readonly string[];
}): Promise<Unbound> {
  const dir = path.join(options.dir, 'unbound');
  fs.mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'unbound.conf');
  fs.writeFileSync(
    conf,
    [
      'server:',
      `    interface: ${options.address}`,
      '    port: 53',
      `    outgoing-interface: ${options.address}`,
      '    do-ip4: yes',
      '    do-ip6: no',
      '    do-udp: yes',
      '    do-tcp: yes',
      '    access-control: 127.0.0.0/8 allow',
      // Our servers are on 127.x: unbound skips loopback name servers unless told not to.
      '    do-not-query-localhost: no',
      // 0x20 (draft-vixie-dnsext-dns0x20): what Let's Encrypt's resolvers do.
      '    use-caps-for-id: yes',
      '    cache-max-ttl: 0',
      '    cache-max-negative-ttl: 0',
      ...validation(options.trustAnchors),
      // .test is a special-use name (RFC 6761) unbound answers NXDOMAIN for by default.
      '    local-zone: "test." nodefault',
      '    username: ""',
      '    chroot: ""',
      `    directory: "${dir}"`,
      `    pidfile: "${dir}/unbound.pid"`,
      '    use-syslog: no',
      '    logfile: ""',
      '    verbosity: 1',
      '    log-queries: yes',
      '    num-threads: 1',
      '    so-reuseport: no',
      // The parent zone's servers, as the delegation from .test would name them.
      'stub-zone:',
      `    name: "${options.parentZone}"`,
      `    stub-addr: ${options.rootStub}`,
      // No root hints to the Internet: the root is knot too, whose priming fails (it refuses `.`),
      // so any other name is SERVFAIL at once and no packet leaves loopback.
      'stub-zone:',
      '    name: "."',
      `    stub-addr: ${options.rootStub}`,
      'remote-control:',
      ...(options.trustAnchors
        ? ['    control-enable: yes', `    control-interface: "${path.join(dir, 'control.sock')}"`, '    control-use-cert: no']
        : ['    control-enable: no']),
      '',
    ].join('\n'),
  );
  const proc = startManaged('unbound', 'unbound', ['-d', '-c', conf]);
  await waitUntilReady(proc, async () => {
    const reply = await udpQuery({ address: options.address, port: 53 }, { name: options.probeName, type: 'A', rd: true });
    return (reply.packet.answers ?? []).length > 0;
  });
  return {
    process: proc,
    forgetBogus: async (zone) => {
      await run('unbound-control', ['-c', conf, 'flush_bogus']);
      await run('unbound-control', ['-c', conf, 'flush_zone', zone]);
    },
    stop: () => proc.stop(),
  };
}

/** The module and anchor lines: a plain iterator, or the validator with the parent's DS as anchor. */
function validation(anchors: readonly string[] | undefined): string[] {
  if (!anchors) return ['    module-config: "iterator"'];
  return [
    '    module-config: "validator iterator"',
    // No signed root here: the parent's key is the anchor (a configured trust point, RFC 4035 §4.4).
    ...anchors.map((ds) => `    trust-anchor: "${ds}"`),
    // The reason for every bogus answer in the log, for a failure message.
    '    val-log-level: 2',
    // A bogus answer (the wrong-DS test) is not kept once the DS is right again.
    '    val-bogus-ttl: 0',
  ];
}
