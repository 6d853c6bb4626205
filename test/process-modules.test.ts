/**
 * What a server process loads and holds for its life: a driver or client the configuration does
 * not use costs heap in every process (the primary and each DNS worker) for nothing, so it is
 * loaded at first use. Each test loads the entry's modules in a fresh registry with the package
 * mocked, and checks the package was never required.
 */

/** True when loading `entries` required `pkg`. */
function loads(pkg: string, entries: readonly string[]): boolean {
  let loaded = false;
  jest.isolateModules(() => {
    jest.doMock(pkg, () => {
      loaded = true;
      return jest.requireActual(pkg);
    });
    for (const entry of entries) require(entry);
  });
  jest.dontMock(pkg);
  return loaded;
}

test('pg (2.8 MiB of heap): neither a DNS worker nor the primary loads it on SQLite', () => {
  // The primary loads the CLI's table of commands, `import` among them.
  expect(loads('pg', ['../src/workers/worker-parts', '../src/cli'])).toBe(false);
});

test('acme-client (8 MiB of heap): the primary loads it only for an ACME-issued API certificate', () => {
  expect(loads('acme-client', ['../src/cli', '../src/daemon'])).toBe(false);
  expect(loads('acme-client', ['../src/daemon-certificate'])).toBe(true);
});
