/**
 * acme-client sends every request through one shared axios instance (`acme.axios`, its documented
 * hook). We add, for requests to our CA's origin only: an agent that trusts an extra root (a
 * private CA such as step-ca, or pebble in tests) and a deadline, so a hung CA cannot hang us.
 */
import https from 'node:https';
import tls from 'node:tls';
import * as acme from 'acme-client';

/** Removes what `useCaTransport` added. */
export type Release = () => void;

/** Installs the per-origin agent and timeout; returns the function that removes them again. */
export function useCaTransport(directoryUrl: string, options: { ca?: string | undefined; timeoutMs: number }): Release {
  const origin = new URL(directoryUrl).origin;
  // Passing `ca` replaces the default roots, so the system ones are passed along too.
  const agent = options.ca ? new https.Agent({ ca: [...tls.rootCertificates, options.ca] }) : undefined;
  const id = acme.axios.interceptors.request.use((config) => {
    if (typeof config.url === 'string' && sameOrigin(config.url, origin)) {
      if (agent) config.httpsAgent = agent;
      if (!config.timeout) config.timeout = options.timeoutMs;
    }
    return config;
  });
  return () => {
    acme.axios.interceptors.request.eject(id);
    agent?.destroy();
  };
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}
