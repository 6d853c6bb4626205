/** What `acmedns import` prints: its progress bar and its summary. */
export { createProgress, type ProgressStream } from './progress';
export { formatSummary } from './summary';
