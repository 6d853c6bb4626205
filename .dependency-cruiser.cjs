/**
 * The direction of imports from ../shared/DESIGN.md, checked in the test command:
 * cli -> daemon -> {dns, api, acme, store, log, config, core}; dns, api, acme -> core, log,
 * config types, store types; store -> core; core and config import nothing of ours.
 * metrics is a leaf beside log: dns, api, acme and store may use it; it imports nothing of ours but types.
 */
module.exports = {
  forbidden: [
    { name: 'core-is-pure', severity: 'error', from: { path: '^src/core/' }, to: { path: '^src/(?!core/)' } },
    { name: 'config-imports-only-core', severity: 'error', from: { path: '^src/config/' }, to: { path: '^src/(?!config/|core/)' } },
    { name: 'store-imports-core', severity: 'error', from: { path: '^src/store/' }, to: { path: '^src/(?!store/|core/|config/types|log/|metrics/)' } },
    { name: 'metrics-is-a-leaf', severity: 'error', from: { path: '^src/metrics/' }, to: { path: '^src/(?!metrics/|store/types|log/index|core/types)' } },
    { name: 'metrics-imports-types-only', severity: 'error', from: { path: '^src/metrics/' }, to: { path: '^src/(?!metrics/)', dependencyTypesNot: ['type-only'] } },
    { name: 'dns-not-api', severity: 'error', from: { path: '^src/dns/' }, to: { path: '^src/(api|acme|cli|daemon)' } },
    { name: 'api-not-dns', severity: 'error', from: { path: '^src/api/' }, to: { path: '^src/(dns|acme|cli|daemon)' } },
    { name: 'acme-not-transports', severity: 'error', from: { path: '^src/acme/' }, to: { path: '^src/(dns|api|cli|daemon)' } },
    { name: 'parts-use-store-types-only', severity: 'error', from: { path: '^src/(dns|api|acme)/' }, to: { path: '^src/store/(?!types)' } },
    { name: 'only-wire-imports-dns-packet', severity: 'error', from: { path: '^src/(?!dns/wire\\.ts)' }, to: { path: 'node_modules/dns-packet' } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
