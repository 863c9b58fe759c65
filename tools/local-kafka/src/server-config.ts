// Renders config/server.properties for one broker and prepares its storage.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './commands.ts';
import type { BrokerOptions } from './options.ts';

/** Kafka's log.dirs (also the KRaft metadata dir) inside the data dir. */
export function logDirs(options: BrokerOptions): string {
  return join(options.dataDir, 'kafka-logs');
}

/** Writes <stateDir>/server.properties from the template and returns its path. */
export function renderServerProperties(options: BrokerOptions): string {
  const template = readFileSync(join(options.toolDir, 'config', 'server.properties'), 'utf8');
  const rendered = template
    .replaceAll('@PORT@', String(options.port))
    .replaceAll('@CONTROLLER_PORT@', String(options.controllerPort))
    .replaceAll('@LOG_DIRS@', logDirs(options));
  mkdirSync(options.stateDir, { recursive: true });
  const path = join(options.stateDir, 'server.properties');
  writeFileSync(path, rendered);
  return path;
}

/**
 * Formats the storage once. meta.properties existing means it is formatted already, and
 * skipping the StorageTool then saves a whole JVM start on every warm start.
 */
export function formatStorage(java: string, classpath: string, propsPath: string, options: BrokerOptions): void {
  if (existsSync(join(logDirs(options), 'meta.properties'))) return;
  const clusterId = clusterIdFor(options.dataDir);
  // Class name unchanged in 4.x (bin/kafka-storage.sh still runs kafka.tools.StorageTool).
  run(java, ['-Xmx256m', '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propsPath, '--ignore-formatted'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The cluster id is made once per data dir and kept, so re-formatting matches the old data. */
function clusterIdFor(dataDir: string): string {
  const path = join(dataDir, 'cluster-id');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const id = randomClusterId();
  writeFileSync(path, `${id}\n`);
  return id;
}

// Same shape as Kafka's Uuid.randomUuid().toString(): 16 random bytes, base64url, no padding.
// Kafka rejects ids starting with '-', so draw again. Saves a JVM start of `StorageTool random-uuid`.
function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
