/**
 * Process metrics under the names prom-client's collectDefaultMetrics uses (so the usual
 * dashboards work), read only when scraped, and GC pauses (gc.ts). Not collectDefaultMetrics
 * itself: it starts a GC observer and an event-loop monitor that can never be stopped, and every
 * daemon a test starts in one process would leave another pair running.
 */
import fs from 'node:fs';
import { Counter, Gauge, type Aggregator, type Registry } from 'prom-client';
import { registerGcMetrics } from './gc';

/** Open file descriptors (Linux /proc), or undefined elsewhere. */
function openFds(): number | undefined {
  try {
    return fs.readdirSync('/proc/self/fd').length;
  } catch {
    return undefined;
  }
}

/** Registers the process series on `registry`. */
export function registerProcessMetrics(registry: Registry): void {
  const registers = [registry];
  const startTime = Math.round(Date.now() / 1000 - process.uptime());
  const cpu = (name: string, help: string, read: (u: NodeJS.CpuUsage) => number): void => {
    const counter: Counter = new Counter({
      name,
      help,
      registers,
      collect() {
        counter.reset();
        counter.inc(read(process.cpuUsage()) / 1e6);
      },
    });
  };
  cpu('process_cpu_user_seconds_total', 'Total user CPU time spent in seconds.', (u) => u.user);
  cpu('process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.', (u) => u.system);
  cpu('process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', (u) => u.user + u.system);

  // Summed across DNS workers (the service's memory and descriptors), except where said.
  const gauge = (name: string, help: string, read: () => number | undefined, aggregator: Aggregator = 'sum'): void => {
    const g: Gauge = new Gauge({
      name,
      help,
      registers,
      aggregator,
      collect() {
        g.set(read() ?? 0);
      },
    });
  };
  // The primary's (listed first when summing): a worker restarted later is not the service restarting.
  gauge('process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', () => startTime, 'first');
  gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => process.memoryUsage.rss());
  if (openFds() !== undefined) gauge('process_open_fds', 'Number of open file descriptors.', openFds);
  gauge('nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.', () => process.memoryUsage().heapTotal);
  gauge('nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', () => process.memoryUsage().heapUsed);
  gauge('nodejs_external_memory_bytes', 'Node.js external memory size in bytes.', () => process.memoryUsage().external);

  const [major = '', minor = '', patch = ''] = process.versions.node.split('.');
  new Gauge({
    name: 'nodejs_version_info',
    help: 'Node.js version info.',
    labelNames: ['version', 'major', 'minor', 'patch'],
    registers,
    aggregator: 'first',
  }).set({ version: process.version, major, minor, patch }, 1);
  registerGcMetrics(registry);
}
