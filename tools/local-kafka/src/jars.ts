// Makes sure the broker's jars are in the per-machine cache, running Maven only when they are not.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireMaven, runQuiet } from './commands.ts';

/** The Kafka version, read from pom.xml so the pom stays the single place to change it. */
export function kafkaVersion(toolDir: string): string {
  const pom = readFileSync(join(toolDir, 'pom.xml'), 'utf8');
  const match = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!match?.[1]) throw new Error(`no <kafka.version> in ${join(toolDir, 'pom.xml')}`);
  return match[1].trim();
}

/** <cache>/kafka-<version>/libs; downloads with Maven on first use. Returns the libs dir. */
export function ensureJars(toolDir: string, cacheRoot: string): string {
  const pomPath = join(toolDir, 'pom.xml');
  const versionDir = join(cacheRoot, `kafka-${kafkaVersion(toolDir)}`);
  const libsDir = join(versionDir, 'libs');
  const marker = join(versionDir, 'libs.complete');
  // The marker holds the pom's hash: a changed pom (e.g. another log4j version) means re-resolve.
  const pomHash = createHash('sha256').update(readFileSync(pomPath)).digest('hex');
  if (existsSync(libsDir) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === pomHash) {
    return libsDir;
  }
  copyDependencies(pomPath, versionDir, libsDir);
  writeFileSync(marker, `${pomHash}\n`);
  return libsDir;
}

// Copies into a temp dir and renames it, so an interrupted download never looks complete
// and no jar of an older pom is left next to the new ones.
function copyDependencies(pomPath: string, versionDir: string, libsDir: string): void {
  const mvn = requireMaven();
  mkdirSync(versionDir, { recursive: true });
  const tmpDir = join(versionDir, `libs.tmp-${process.pid}`);
  rmSync(tmpDir, { recursive: true, force: true });
  console.log(`Resolving Kafka jars with Maven into ${libsDir} (first run on this machine) ...`);
  const started = performance.now();
  try {
    runQuiet(mvn, ['-q', '-B', '-f', pomPath, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${tmpDir}`]);
  } catch (error) {
    rmSync(tmpDir, { recursive: true, force: true });
    throw new Error(`Maven could not resolve the Kafka jars (is Maven Central reachable?): ${(error as Error).message}`);
  }
  rmSync(libsDir, { recursive: true, force: true });
  renameSync(tmpDir, libsDir);
  console.log(`Jars ready in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}
