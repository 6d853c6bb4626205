/** The limits a DNS worker runs with: divided among the workers, rounded up, at least 1. */
import { testConfig } from '../../test/support/config';
import { share, workerConfig } from './worker-config';

test.each([
  [20, 2, 10],
  [21, 2, 11],
  [1, 4, 1],
  [1024, 1, 1024],
  [32, 3, 11],
])('share(%i, %i) = %i', (value, workers, expected) => {
  expect(share(value, workers)).toBe(expected);
});

test('RRL rate and TCP caps divided; the rest as configured; listen replaced only when given', () => {
  const config = testConfig({
    general: { tcp_max_connections: 100, tcp_max_connections_per_address: 5 },
    rrl: { enabled: true, responses_per_second: 30, slip: 3 },
  });
  const mine = workerConfig(config, 4);
  expect(mine.dns).toEqual({ ...config.dns, tcpMaxConnections: 25, tcpMaxConnectionsPerAddress: 2 });
  expect(mine.rrl).toEqual({ ...config.rrl, responsesPerSecond: 8 });
  expect(mine.api).toBe(config.api);
  expect(workerConfig(config, 4, ['127.0.0.1:5353']).dns.listen).toEqual(['127.0.0.1:5353']);
});
