/** IPC messages are unknown until a schema accepts them: ours pass, anything else is ignored. */
import { readToPrimary, readToWorker } from './ipc';

test.each([
  [{ type: 'stop' }],
  [{ type: 'metrics-request', id: 3 }],
  [{ type: 'update-reply', id: 1, reply: null }],
  [{ type: 'update-reply', id: 1, reply: 'AAEC' }],
  [{ type: 'start', source: { file: 'a.toml', text: '', env: { ACMEDNS_GENERAL_WORKERS: '2' } }, workers: 2, listen: ['127.0.0.1:5353'] }],
])('to a worker: %j', (message) => {
  expect(readToWorker(message)).toEqual(message);
});

test.each([
  [undefined],
  ['stop'],
  [{ type: 'prom-client:getMetricsReq', requestId: 1 }],
  [{ type: 'update-reply', id: 1, reply: 'not base64!' }],
  [{ type: 'update-reply', id: '1', reply: null }],
  [{ type: 'start', source: { file: 'a.toml', text: '', env: { X: 1 } }, workers: 2 }],
  [{ type: 'start', source: { file: 'a.toml', text: '', env: {} }, workers: 0 }],
])('not for a worker: %j', (message) => {
  expect(readToWorker(message)).toBeUndefined();
});

test.each([
  [{ type: 'ready' }],
  [{ type: 'listening', udp: [{ address: '127.0.0.1', family: 'IPv4', port: 53 }], tcp: [] }],
  [{ type: 'start-failed', error: 'EADDRINUSE' }],
  [{ type: 'update', id: 7, message: 'AAEC', transport: 'udp', source: '192.0.2.1' }],
  [{ type: 'metrics', id: 2, metrics: [{ name: 'x', help: 'h', type: 'counter', aggregator: 'sum', values: [{ value: 1, labels: { a: 'b' } }] }] }],
])('to the primary: %j', (message) => {
  expect(readToPrimary(message)).toEqual(message);
});

test.each([
  [null],
  [{ type: 'update', id: 7, message: 'AAEC', transport: 'sctp', source: '192.0.2.1' }],
  [{ type: 'listening', udp: [{ address: '127.0.0.1', family: 'IPv4', port: 70000 }], tcp: [] }],
  [{ type: 'metrics', id: 2, metrics: [{ name: 'x', help: 'h', type: 'counter', aggregator: 'median', values: [] }] }],
  [{ type: 'metrics', id: 2, metrics: [{ name: 'x', help: 'h', type: 'counter', aggregator: 'sum', values: [{ value: '1', labels: {} }] }] }],
])('not for the primary: %j', (message) => {
  expect(readToPrimary(message)).toBeUndefined();
});
