/** The parts of a knotd config every knot in the tests shares (parent, secondaries, a plain zone). */

/** `server`, `database` and `log` sections: knotd run from `dir`, listening on `listen` (`addr@port`), logging to stderr. */
export function knotServerLines(dir: string, listen: string): string[] {
  return [
    'server:',
    `    rundir: "${dir}"`,
    `    listen: ${listen}`,
    `    pidfile: "${dir}/knot.pid"`,
    'database:',
    `    storage: "${dir}/db"`,
    'log:',
    '  - target: stderr',
    '    any: info',
  ];
}

/** The default template: zone files `<zone>.zone` in `dir`, never written back, no journal (changes live in memory). */
export function knotZoneFileTemplate(dir: string): string[] {
  return ['template:', '  - id: default', `    storage: "${dir}"`, '    file: "%s.zone"', '    zonefile-sync: -1', '    journal-content: none'];
}
