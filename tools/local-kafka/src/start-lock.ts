// Serialises `start` runs of one checkout: two test runners starting the broker at once would
// otherwise launch two JVMs, and the loser's failed bind would make the winner look dead.
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, sleep } from './process.ts';

const WAIT_LIMIT_MS = 10 * 60_000; // a first start may download jars with Maven

/** Waits until this process holds <stateDir>/start.lock; returns the function that releases it. */
export async function acquireStartLock(stateDir: string): Promise<() => void> {
  mkdirSync(stateDir, { recursive: true });
  const lockPath = join(stateDir, 'start.lock');
  const deadline = Date.now() + WAIT_LIMIT_MS;
  let told = false;
  while (!tryLock(lockPath)) {
    const holder = lockHolder(lockPath);
    if (holder !== undefined && !isAlive(holder)) {
      rmSync(lockPath, { force: true }); // left by a start that was killed
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another start (pid ${holder}) still holds ${lockPath}`);
    if (!told) console.log(`Another start (pid ${holder}) is in progress; waiting for it.`);
    told = true;
    await sleep(250);
  }
  return () => rmSync(lockPath, { force: true });
}

// link() is atomic and fails when the target exists, and the pid is written before the link,
// so the lock file is never seen half-written.
function tryLock(lockPath: string): boolean {
  const tmpPath = `${lockPath}.${process.pid}`;
  writeFileSync(tmpPath, `${process.pid}\n`);
  try {
    linkSync(tmpPath, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(tmpPath, { force: true });
  }
}

function lockHolder(lockPath: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined; // released between our attempt and this read
  }
}
