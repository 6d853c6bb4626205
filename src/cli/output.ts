/** Output that waits for a slow reader, for the commands that may print a million lines. */

/** Writes to stdout, waiting when the pipe is full (a million-account listing into `less`). */
export type Out = (text: string) => Promise<void>;

/** The Out for process.stdout. */
export function stdoutOut(): Out {
  return (text) =>
    new Promise((resolve, reject) => {
      process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
    });
}
