import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { SupergraphSdlHook } from '@apollo/gateway';
import type { Logger } from '../lib/logger';

/** Editors write a file in several steps (truncate, write, rename); react once they are done. */
const DEFAULT_DEBOUNCE_MS = 100;

export class SupergraphFileError extends Error {
  override name = 'SupergraphFileError';
}

/** Reads the supergraph file; the error message is one line and names the path. */
export async function readSupergraphFile(path: string): Promise<string> {
  let sdl: string;
  try {
    sdl = await readFile(path, 'utf8');
  } catch (err) {
    throw new SupergraphFileError(`cannot read supergraph file ${path}: ${describeReadError(err)}`);
  }
  if (sdl.trim() === '') throw new SupergraphFileError(`supergraph file ${path} is empty`);
  return sdl;
}

function describeReadError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return code ?? String(err);
}

/**
 * The gateway's `supergraphSdl` hook for a file on disk: serves its content at start, then watches
 * it and hands every valid new version to the gateway. An unreadable or invalid version is logged
 * and ignored, so the gateway keeps serving the last good schema.
 *
 * The directory is watched rather than the file: editors and `mv` replace the file by renaming
 * another one over it, which ends a watch on the file itself.
 */
export function watchSupergraphFile(
  path: string,
  logger: Logger,
  debounceMs = DEFAULT_DEBOUNCE_MS,
): SupergraphSdlHook {
  const log = logger.child({ component: 'supergraph-file', path });
  return async ({ update }) => {
    let current = await readSupergraphFile(path);
    let timer: NodeJS.Timeout | undefined;
    let closed = false;

    const reload = async (): Promise<void> => {
      const sdl = await readSupergraphFile(path).catch((err: unknown) => {
        log.error({ err }, 'supergraph file unreadable: keeping the previous schema');
        return undefined;
      });
      if (closed || sdl === undefined || sdl === current) return;
      try {
        update(sdl);
        current = sdl;
        log.info('supergraph reloaded');
      } catch (err) {
        log.error(
          { err },
          'supergraph file is not a valid supergraph: keeping the previous schema',
        );
      }
    };

    const watcher = watchFile(path, log, () => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), debounceMs);
    });

    return {
      supergraphSdl: current,
      cleanup: () => {
        closed = true;
        clearTimeout(timer);
        watcher?.close();
        return Promise.resolve();
      },
    };
  };
}

/** Calls `onChange` on every change to `path`; a failing watch is logged, never fatal. */
function watchFile(path: string, log: Logger, onChange: () => void): FSWatcher | undefined {
  try {
    const watcher = watch(dirname(path), (_event, filename) => {
      if (!filename || filename === basename(path)) onChange();
    });
    watcher.on('error', (err) => log.error({ err }, 'stopped watching the supergraph file'));
    return watcher;
  } catch (err) {
    log.error({ err }, 'cannot watch the supergraph file: changes will not be reloaded');
    return undefined;
  }
}
