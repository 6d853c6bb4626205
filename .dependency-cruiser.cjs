/**
 * The direction of imports from ../shared/DESIGN.md, checked in the test command:
 * cli -> daemon -> {dns, api, acme, store, log, config, accounts, core}; dns, api -> accounts -> core;
 * dns, api, acme -> core, log, config types, store types; store -> core; core and config import
 * nothing of ours. cli never imports api.
 * accounts (every change to an account, whatever the transport) imports only core, log and types
 * of store, config and metrics; only api, dns, cli and the composition root (daemon) import it.
 * Only accounts changes accounts: api imports nothing of store at all (it gets the accounts
 * service and a readiness probe), so it cannot reach the store's account-changing methods; dns
 * gets read functions only (daemon.ts). accounts itself is typed with its own port, AccountsStore.
 * metrics is a leaf beside log: dns, api, acme and store may use it; it imports nothing of ours but types.
 * import (the reader of an acme-dns database) serves `acmedns import` only: cli alone imports it,
 * and it uses the store through store/index; the store never imports it.
 * web (the self-service page, bundled for the browser) imports only core and no Node built-in
 * (esbuild's browser build would fail on one anyway); nothing imports web: the API serves its
 * built files from dist/web/.
 * core/client-settings is imported by the browser bundle too: it imports neither node: modules nor packages.
 */
module.exports = {
  forbidden: [
    { name: 'core-is-pure', severity: 'error', from: { path: '^src/core/' }, to: { path: '^src/(?!core/)' } },
    { name: 'config-imports-only-core', severity: 'error', from: { path: '^src/config/' }, to: { path: '^src/(?!config/|core/)' } },
    { name: 'store-imports-core', severity: 'error', from: { path: '^src/store/' }, to: { path: '^src/(?!store/|core/|config/types|log/|metrics/)' } },
    { name: 'import-only-for-cli', severity: 'error', from: { path: '^src/(?!cli/|import/)' }, to: { path: '^src/import/' } },
    { name: 'store-not-import', severity: 'error', from: { path: '^src/store/' }, to: { path: '^src/import/' } },
    { name: 'import-uses-store-surface', severity: 'error', from: { path: '^src/import/' }, to: { path: '^src/store/(?!index\\.ts|types\\.ts)' } },
    { name: 'metrics-is-a-leaf', severity: 'error', from: { path: '^src/metrics/' }, to: { path: '^src/(?!metrics/|store/types|log/index|core/types)' } },
    { name: 'metrics-imports-types-only', severity: 'error', from: { path: '^src/metrics/' }, to: { path: '^src/(?!metrics/)', dependencyTypesNot: ['type-only'] } },
    { name: 'dns-not-api', severity: 'error', from: { path: '^src/dns/' }, to: { path: '^src/(api|acme|cli|daemon)' } },
    { name: 'api-not-dns', severity: 'error', from: { path: '^src/api/' }, to: { path: '^src/(dns|acme|cli|daemon)' } },
    { name: 'acme-not-transports', severity: 'error', from: { path: '^src/acme/' }, to: { path: '^src/(dns|api|cli|daemon)' } },
    { name: 'cli-not-api', severity: 'error', from: { path: '^src/cli/' }, to: { path: '^src/api/' } },
    { name: 'accounts-imports-core-and-types', severity: 'error', from: { path: '^src/accounts/' }, to: { path: '^src/(?!accounts/|core/|log/|store/types|config/types|metrics/types)' } },
    { name: 'accounts-imports-types-of-parts', severity: 'error', from: { path: '^src/accounts/' }, to: { path: '^src/(store|config|metrics)/', dependencyTypesNot: ['type-only'] } },
    { name: 'accounts-used-by-transports', severity: 'error', from: { path: '^src/(?!accounts/|api/|dns/|cli/|daemon[a-z-]*\\.ts|workers/)' }, to: { path: '^src/accounts/' } },
    { name: 'api-changes-accounts-through-accounts', severity: 'error', from: { path: '^src/api/' }, to: { path: '^src/store/' } },
    { name: 'parts-use-store-types-only', severity: 'error', from: { path: '^src/(dns|api|acme|accounts)/' }, to: { path: '^src/store/(?!types)' } },
    { name: 'only-wire-imports-dns-packet', severity: 'error', from: { path: '^src/(?!dns/wire\\.ts)' }, to: { path: 'node_modules/dns-packet' } },
    { name: 'web-imports-only-core', severity: 'error', from: { path: '^src/web/' }, to: { path: '^src/(?!web/|core/)' } },
    { name: 'web-uses-no-node-builtins', severity: 'error', from: { path: '^src/web/' }, to: { dependencyTypes: ['core'] } },
    { name: 'nothing-imports-web', severity: 'error', from: { path: '^src/(?!web/)' }, to: { path: '^src/web/' } },
    // The browser bundle imports the client settings: no node: modules and no packages there.
    { name: 'client-settings-runs-in-browsers', severity: 'error', from: { path: '^src/core/client-settings/', pathNot: '\\.test\\.ts$' }, to: { dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg', 'npm-unknown'] } },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
