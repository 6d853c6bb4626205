// Every process and temp dir the bench starts registers its undo here, so a normal end, an
// error and Ctrl-C all leave the machine as it was.

const undos = [];
let running = false;

/** Registers an undo step (run last-in first-out); returns a function that drops it again. */
export function onCleanup(fn) {
  undos.push(fn);
  return () => {
    const i = undos.indexOf(fn);
    if (i >= 0) undos.splice(i, 1);
  };
}

/** Runs every registered undo step once, newest first; errors are printed, not thrown. */
export async function cleanupAll() {
  if (running) return;
  running = true;
  while (undos.length > 0) {
    const fn = undos.pop();
    try {
      await fn();
    } catch (err) {
      console.error(`bench: cleanup step failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  running = false;
}

/** On SIGINT/SIGTERM: clean up, then exit with the conventional 128+signal status. */
export function cleanupOnSignals() {
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.once(sig, () => {
      console.error(`\nbench: ${sig}, stopping servers and removing temp files`);
      cleanupAll().finally(() => process.exit(code));
    });
  }
}
