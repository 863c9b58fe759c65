import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { DeepReadonly, Environment } from '@provisioning/config';
import { loadTenantsFile, type TenantConfig, type TenantsFile } from './tenants-config.ts';

export interface TenantsWatcherOptions {
  path: string;
  env: Environment;
  logger: Logger;
  /** Called with every tenants file that loaded without a problem; throwing refuses it (then `onError` is told). */
  onLoad(file: TenantsFile): void | Promise<void>;
  /** Called when a reload failed or was refused; the tenants in force stay as they were. */
  onError(error: unknown): void;
  /** Quiet time after the last file event before reloading (editors write in several steps). @defaultValue 150 ms */
  debounceMs?: number;
}

/**
 * Reloads the tenants file when it or one of the token files it names changes, or when asked (SIGHUP).
 * Folders are watched rather than files, because editors and secret managers replace a file by renaming
 * a new one over it, which ends a watch on the old file.
 */
export class TenantsWatcher {
  private readonly options: TenantsWatcherOptions;
  private watchers = new Map<string, FSWatcher>();
  private files = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private reloading: Promise<boolean> = Promise.resolve(true);
  private closed = false;

  constructor(options: TenantsWatcherOptions) {
    this.options = options;
  }

  /** Starts watching the files of the tenants that are in force. */
  start(tenants: DeepReadonly<TenantConfig[]>): void {
    this.watchFilesOf(tenants);
  }

  /** Reloads now; resolves to whether the new tenants were taken. Reloads never overlap. */
  reload(): Promise<boolean> {
    this.reloading = this.reloading.then(() => this.reloadOnce());
    return this.reloading;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private async reloadOnce(): Promise<boolean> {
    if (this.closed) return false;
    try {
      const file = await loadTenantsFile(this.options.path, this.options.env);
      await this.options.onLoad(file);
      this.watchFilesOf(file.tenants);
      return true;
    } catch (error) {
      this.options.onError(error);
      return false;
    }
  }

  private watchFilesOf(tenants: DeepReadonly<TenantConfig[]>): void {
    if (this.closed) return;
    const files = [this.options.path, ...tenants.flatMap((t) => (t.terranova.tokenFile ? [t.terranova.tokenFile] : []))].map((f) => resolve(f));
    this.files = new Set(files);
    const folders = new Set(files.map((file) => dirname(file)));
    for (const [folder, watcher] of this.watchers) {
      if (folders.has(folder)) continue;
      watcher.close();
      this.watchers.delete(folder);
    }
    for (const folder of folders) if (!this.watchers.has(folder)) this.watchFolder(folder);
  }

  private watchFolder(folder: string): void {
    try {
      const watcher = watch(folder, (_event, name) => {
        if (name === null || this.files.has(resolve(folder, basename(name)))) this.schedule();
      });
      watcher.on('error', (err) => this.options.logger.warn({ err, folder }, 'watching a config folder failed; SIGHUP still reloads'));
      this.watchers.set(folder, watcher);
    } catch (err) {
      this.options.logger.warn({ err, folder }, 'cannot watch a config folder; SIGHUP still reloads');
    }
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), this.options.debounceMs ?? 150);
  }
}
