/** A test Prometheus as the projects share it: its URL, and how to stop it. */
export interface SharedPrometheus {
  readonly url: string;
  stop(): Promise<void>;
}

interface Entry {
  started: Promise<SharedPrometheus>;
  users: number;
}

/**
 * Vitest runs the global setups of all selected projects in its one process, one after the
 * other, and their teardowns only once every test has run (`Vitest.close`). Each project
 * imports a global setup file through its own module runner, so module state is not shared
 * between projects; `globalThis` is. The registry lives there, under a registered symbol.
 */
const REGISTRY = Symbol.for('amp-stackstate-mirror.test-prometheus');

function registry(): Map<string, Entry> {
  const holder = globalThis as { [REGISTRY]?: Map<string, Entry> };
  holder[REGISTRY] ??= new Map();
  return holder[REGISTRY];
}

/**
 * The running Prometheus of `key` (one per engine), started by `start` for its first user:
 * `release` stops it when its last user releases it. A failed start is forgotten, so that
 * the next user starts afresh.
 */
export async function acquirePrometheus(
  key: string,
  start: () => Promise<SharedPrometheus>,
): Promise<{ url: string; release: () => Promise<void> }> {
  const entries = registry();
  let entry = entries.get(key);
  if (entry === undefined) {
    entry = { started: start(), users: 0 };
    entries.set(key, entry);
  }
  const mine = entry;
  mine.users++;
  let running: SharedPrometheus;
  try {
    running = await mine.started;
  } catch (error) {
    mine.users--;
    if (entries.get(key) === mine) entries.delete(key);
    throw error;
  }
  let released = false;
  return {
    url: running.url,
    release: async () => {
      if (released) return;
      released = true;
      mine.users--;
      if (mine.users > 0) return;
      if (entries.get(key) === mine) entries.delete(key);
      await running.stop();
    },
  };
}
