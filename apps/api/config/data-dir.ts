import { constants, accessSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from './app-config';

/** DATA_DIR cannot hold the service's files: the message names the path and why, in one line. */
export class DataDirError extends Error {
  constructor(dir: string, reason: string) {
    super(`DATA_DIR ${dir} is not usable: ${reason}`);
    this.name = 'DataDirError';
  }
}

const REASONS: Record<string, string> = {
  ENOTDIR: 'a part of the path is a file, not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'it is on a read-only file system',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EEXIST: 'a file of that name is in the way',
};

/** The folder exists (or can be made) and takes a write, before anything starts that would fail later and louder. */
export function checkDataDir(config: Pick<AppConfig, 'dataDir' | 'eventStore' | 'databaseUrl'>): void {
  if (config.databaseUrl && config.eventStore !== 'sqlite') return;
  const dir = config.dataDir;
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.write-check-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new DataDirError(dir, REASONS[code] ?? (error as Error).message.split('\n')[0]);
  }
}
