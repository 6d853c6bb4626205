/**
 * Who holds the DNS-over-TCP slots. RFC 7766 §6.2.3 leaves the limits to the server; ours are a
 * cap per source and a global cap that, when full, makes room for a source holding few slots by
 * shedding a connection of the source holding the most, so no one source can lock others out.
 * No sockets here: a connection is anything that can say whether it is idle and be shed.
 */
import { addressGroup, parseClientIp } from '../core/cidr';

/** What the slots need from a connection. */
export interface Slot {
  /** True while no query of it is in progress: shedding it loses no answer. */
  idle(): boolean;
  /** Closes it to make room; answers in progress are still sent. */
  shed(): void;
}

/** The limits: connections at most, and at most per source. */
export interface SlotLimits {
  readonly maxConnections: number;
  readonly maxPerSource: number;
}

/** The open connections, grouped by source. */
export interface TcpSlots<C extends Slot> {
  /**
   * Whether a new connection from `source` may take a slot; when the global cap is full this
   * sheds a connection of the busiest source to make room, or answers false.
   */
  admit(source: string): boolean;
  /** Records an admitted connection. */
  add(source: string, conn: C): void;
  /** Frees a connection's slot; safe to call again for a connection already shed. */
  release(source: string, conn: C): void;
  /** Connections holding a slot. */
  size(): number;
}

/**
 * The group a peer address is counted in (core/cidr.ts addressGroup: an IPv4 address, or the /64
 * of an IPv6 one); a scoped link-local peer without its zone index.
 */
export function sourceKey(remoteAddress: string | undefined): string {
  return addressGroup(parseClientIp((remoteAddress ?? '').replace(/%.*$/, '')), remoteAddress ?? '');
}

/** Creates the slot table for one listener. */
export function createTcpSlots<C extends Slot>(limits: SlotLimits): TcpSlots<C> {
  // Sets keep insertion order: the first entry of a group is its oldest connection.
  const groups = new Map<string, Set<C>>();
  let count = 0;

  const release = (source: string, conn: C): void => {
    const group = groups.get(source);
    if (!group?.delete(conn)) return;
    count--;
    if (group.size === 0) groups.delete(source);
  };

  /** The source holding the most slots and its oldest idle (else oldest) connection. */
  const busiest = (): { source: string; held: number; conn: C } | undefined => {
    let top: [string, Set<C>] | undefined;
    for (const entry of groups) if (!top || entry[1].size > top[1].size) top = entry;
    if (!top) return undefined;
    const conns = [...top[1]];
    const conn = conns.find((c) => c.idle()) ?? conns[0];
    return conn === undefined ? undefined : { source: top[0], held: top[1].size, conn };
  };

  return {
    admit(source) {
      const held = groups.get(source)?.size ?? 0;
      if (held >= limits.maxPerSource) return false;
      if (count < limits.maxConnections) return true;
      const victim = busiest();
      // Shed only from a source holding at least two more than the newcomer: afterwards it still
      // holds at least as many, so two sources cannot take a slot back and forth.
      if (!victim || victim.held < held + 2) return false;
      release(victim.source, victim.conn);
      victim.conn.shed();
      return true;
    },
    add(source, conn) {
      const group = groups.get(source) ?? new Set<C>();
      groups.set(source, group);
      if (!group.has(conn)) count++;
      group.add(conn);
    },
    release,
    size: () => count,
  };
}
