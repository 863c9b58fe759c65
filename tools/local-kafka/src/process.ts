// Pid file and process helpers for a broker that outlives the script that started it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function pidFilePath(stateDir: string): string {
  return join(stateDir, 'broker.pid');
}

export function readPid(stateDir: string): number | undefined {
  const path = pidFilePath(stateDir);
  if (!existsSync(path)) return undefined;
  const pid = Number(readFileSync(path, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

export function writePid(stateDir: string, pid: number): void {
  writeFileSync(pidFilePath(stateDir), `${pid}\n`);
}

export function removePid(stateDir: string): void {
  rmSync(pidFilePath(stateDir), { force: true });
}

/** True when the pid runs and is our broker, so a recycled pid is never signalled. */
export function isBrokerProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  // Without /proc (macOS) trust the pid file; on Linux check it is a kafka.Kafka JVM.
  if (!existsSync(cmdline)) return true;
  return readFileSync(cmdline, 'utf8').split('\0').includes('kafka.Kafka');
}

/** Resident set size in MiB, from /proc or ps; undefined when unknown. */
export function rssMiB(pid: number): number | undefined {
  const status = `/proc/${pid}/status`;
  if (existsSync(status)) {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(status, 'utf8'));
    return match?.[1] ? Number(match[1]) / 1024 : undefined;
  }
  try {
    const kb = Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    return Number.isFinite(kb) && kb > 0 ? kb / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Polls until the pid is gone or the timeout passes; true when it exited. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(200);
  }
  return !isAlive(pid);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Signal 0 only checks existence. A zombie (exited, not yet reaped) counts as gone. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = `/proc/${pid}/stat`;
  if (!existsSync(stat)) return true;
  const state = readFileSync(stat, 'utf8').split(') ')[1]?.[0];
  return state !== 'Z';
}
