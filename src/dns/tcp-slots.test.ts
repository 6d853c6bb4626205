import { createTcpSlots, sourceKey, type Slot } from './tcp-slots';

/** A connection that records being shed. */
function conn(name: string, idle = true): Slot & { name: string; shedCalls: number } {
  const c = { name, shedCalls: 0, idle: () => idle, shed: () => void c.shedCalls++ };
  return c;
}

describe('sourceKey', () => {
  test.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:db8:1:3::1', '2001:db8:1:3::/64'],
    ['fe80::1%eth0', 'fe80::/64'],
    ['::1', '::/64'],
    [undefined, ''],
  ])('%s counts as %s', (address, key) => {
    expect(sourceKey(address)).toBe(key);
  });
});

describe('createTcpSlots', () => {
  test('refuses exactly the connections above the per-source cap; other sources unaffected', () => {
    const slots = createTcpSlots<Slot>({ maxConnections: 100, maxPerSource: 3 });
    const admitted = Array.from({ length: 5 }, (_, i) => {
      const ok = slots.admit('a');
      if (ok) slots.add('a', conn(`a${i}`));
      return ok;
    });
    expect(admitted).toEqual([true, true, true, false, false]);
    expect(slots.admit('b')).toBe(true);
  });

  test('a released slot can be taken again; releasing twice frees it once', () => {
    const slots = createTcpSlots<Slot>({ maxConnections: 2, maxPerSource: 2 });
    const a = conn('a');
    slots.add('x', a);
    slots.add('x', conn('b'));
    expect(slots.admit('x')).toBe(false);
    slots.release('x', a);
    slots.release('x', a);
    expect(slots.size()).toBe(1);
    expect(slots.admit('x')).toBe(true);
  });

  test('when full, a source holding few gets in: the busiest source sheds its oldest idle one', () => {
    const slots = createTcpSlots<ReturnType<typeof conn>>({ maxConnections: 4, maxPerSource: 10 });
    const busy = conn('a0', false);
    const held = [busy, conn('a1'), conn('a2'), conn('a3')];
    held.forEach((c) => slots.add('a', c));
    expect(slots.admit('b')).toBe(true);
    // a0 has a query in progress: the oldest idle one, a1, goes.
    expect(held.map((c) => c.shedCalls)).toEqual([0, 1, 0, 0]);
    expect(slots.size()).toBe(3);
    slots.add('b', conn('b0'));
    // Releasing the shed one again (its socket's close event) changes nothing.
    slots.release('a', held[1] as ReturnType<typeof conn>);
    expect(slots.size()).toBe(4);
  });

  test('with no idle connection the busiest source sheds its oldest', () => {
    const slots = createTcpSlots<ReturnType<typeof conn>>({ maxConnections: 3, maxPerSource: 10 });
    const held = [conn('a0', false), conn('a1', false), conn('a2', false)];
    held.forEach((c) => slots.add('a', c));
    expect(slots.admit('b')).toBe(true);
    expect(held.map((c) => c.shedCalls)).toEqual([1, 0, 0]);
  });

  test.each([
    // [busiest holds, newcomer holds, admitted]
    [3, 1, true],
    [2, 1, false], // afterwards the newcomer would hold more: no slot traded back and forth
    [2, 2, false],
  ])('full, busiest source holds %i, the newcomer %i: admitted %s', (top, mine, ok) => {
    const slots = createTcpSlots<ReturnType<typeof conn>>({ maxConnections: top + mine, maxPerSource: 10 });
    const tops = Array.from({ length: top }, (_, i) => conn(`t${i}`));
    tops.forEach((c) => slots.add('top', c));
    Array.from({ length: mine }, (_, i) => slots.add('me', conn(`m${i}`)));
    expect(slots.admit('me')).toBe(ok);
    expect(tops.reduce((n, c) => n + c.shedCalls, 0)).toBe(ok ? 1 : 0);
  });
});
