import { createInFlightSlots, type Release } from './in-flight';

/** Lets queued promise callbacks run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('in-flight slots', () => {
  test('`limit` at once per key; the next waits in line and gets the slot a release frees', async () => {
    const slots = createInFlightSlots(2, 1);
    const first = await slots.acquire('a');
    const second = await slots.acquire('a');
    const order: string[] = [];
    const third = slots.acquire('a');
    expect(third).toBeDefined();
    void third?.then(() => order.push('third'));
    await settle();
    expect(order).toEqual([]); // both slots are held
    first?.();
    await settle();
    expect(order).toEqual(['third']);
    second?.();
    (await third)?.();
    expect(slots.size).toBe(0); // an idle key holds nothing
  });

  test('beyond the line: refused at once (undefined), and another key is not affected', async () => {
    const slots = createInFlightSlots(1, 2);
    const held = await slots.acquire('a');
    const waiting = [slots.acquire('a'), slots.acquire('a')];
    expect(waiting.every((w) => w !== undefined)).toBe(true);
    expect(slots.acquire('a')).toBeUndefined();
    const other = slots.acquire('b');
    expect(other).toBeDefined();
    (await other)?.();
    held?.();
    const next = (await waiting[0]) as Release;
    next();
    ((await waiting[1]) as Release)();
    expect(slots.size).toBe(0);
  });

  test('a second release of the same slot frees nothing more', async () => {
    const slots = createInFlightSlots(1, 5);
    const held = (await slots.acquire('a')) as Release;
    const w1 = slots.acquire('a');
    const w2 = slots.acquire('a');
    let got = 0;
    void w1?.then(() => got++);
    void w2?.then(() => got++);
    held();
    held();
    await settle();
    expect(got).toBe(1); // only one slot was freed, so only one waiter runs
    ((await w1) as Release)();
    ((await w2) as Release)();
    expect(slots.size).toBe(0);
  });
});
