/** The store's serial in answers: stamped into every SOA, read once per concurrent burst, the last one kept when the store fails. */
import { testConfig } from '../../test/support/config';
import { answer } from './answer';
import { carriesSoa, createSerialReader, createSoaAt, withSerial } from './serial';
import { parseZone } from './zone';

const zone = parseZone(testConfig().dns, 2024010100);
const q = (name: string, type: number) => ({ labels: name.split('.'), type, class: 1 });

test.each<[string, number, boolean]>([
  ['auth.example.org', 6, true], // SOA query
  ['nope.sub.auth.example.org', 16, true], // NXDOMAIN: SOA in the authority
  ['auth.example.org', 1, false], // A at the apex: no SOA, no store read
  ['elsewhere.example.net', 6, false], // REFUSED
])('%s type %d carries the SOA: %s, stamped with the serial given', (name, type, soa) => {
  const plain = answer(q(name, type), zone, undefined);
  expect(carriesSoa(plain)).toBe(soa);
  const stamped = withSerial(plain, createSoaAt(zone)(42));
  const serials = [...stamped.answer, ...stamped.authority].flatMap((rr) => (rr.data.type === 'SOA' ? [rr.data.serial] : []));
  expect(serials).toEqual(soa ? [42] : []);
});

test('concurrent reads share one store call; the next burst reads again', async () => {
  let calls = 0;
  let release: (serial: number) => void = () => undefined;
  const read = createSerialReader(() => {
    calls++;
    return new Promise<number>((resolve) => (release = resolve));
  });
  const burst = Promise.all([read(), read(), read()]);
  release(7);
  expect(await burst).toEqual([7, 7, 7]);
  expect(calls).toBe(1);
  const next = read();
  release(8);
  expect(await next).toBe(8);
  expect(calls).toBe(2);
});

test('a failing store: the last serial read is served; before any, the error goes up (SERVFAIL)', async () => {
  let fail = true;
  const read = createSerialReader(() => (fail ? Promise.reject(new Error('down')) : Promise.resolve(9)));
  await expect(read()).rejects.toThrow('down');
  fail = false;
  expect(await read()).toBe(9);
  fail = true;
  expect(await read()).toBe(9);
});
