/**
 * The small C addon in native/shm-map (built by `npm ci` with Node's headers; Node has no mmap of
 * its own): the memory mappings the DNS hot path reads. Loaded once; null where it was not built
 * (no C compiler) or does not load, and each caller then falls back to plain Node.
 */
import path from 'node:path';

export interface NativeAddon {
  /** The first `length` bytes of the open file `fd`, mapped shared and read-only (shm-view.ts). */
  mapShared(fd: number, length: number): ArrayBuffer;
  /** `length` zeroed bytes of private memory, 2 MiB aligned, advised as transparent huge pages (huge-memory.ts). */
  mapHuge(length: number): ArrayBuffer;
}

/** The addon's build output; the same relative path from src/store/sqlite and dist/store/sqlite. */
const ADDON = path.join(__dirname, '..', '..', '..', 'native', 'shm-map', 'build', 'Release', 'shm_map.node');

let addon: NativeAddon | null | undefined;

function isAddon(value: unknown): value is NativeAddon {
  if (typeof value !== 'object' || value === null) return false;
  const fns = value as { mapShared?: unknown; mapHuge?: unknown };
  return typeof fns.mapShared === 'function' && typeof fns.mapHuge === 'function';
}

/** The addon, or null when it is not built. */
export function nativeAddon(): NativeAddon | null {
  if (addon !== undefined) return addon;
  try {
    // A native module: loaded with require by its path, as node-gyp's output is.
    const loaded: unknown = require(ADDON);
    addon = isAddon(loaded) ? loaded : null;
  } catch {
    addon = null;
  }
  return addon;
}
