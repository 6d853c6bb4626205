// Every process and temp dir the bench starts registers its undo here, so a normal end, an
// error and Ctrl-C all leave the machine as it was.

const undos = [];
let running;
let interrupted = false;

/** True once a signal started the cleanup: later failures are its consequence, not news. */
export function wasInterrupted() {
  return interrupted;
}

/** Registers an undo step (run last-in first-out); returns a function that drops it again. */
export function onCleanup(fn) {
  undos.push(fn);
  return () => {
    const i = undos.indexOf(fn);
    if (i >= 0) undos.splice(i, 1);
  };
}

/**
 * Runs every registered undo step, newest first; errors are printed, not thrown. A second
 * caller while it runs gets the same promise.
 */
export function cleanupAll() {
  running ??= (async () => {
    while (undos.length > 0) {
      const fn = undos.pop();
      try {
        await fn();
      } catch (err) {
        console.error(`bench: cleanup step failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    running = undefined;
  })();
  return running;
}

/** On SIGINT/SIGTERM: clean up, then exit with the conventional 128+signal status. */
export function cleanupOnSignals() {
  for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.once(sig, () => {
      interrupted = true;
      console.error(`\nbench: ${sig}, stopping servers and removing temp files`);
      cleanupAll().finally(() => process.exit(code));
    });
  }
}
