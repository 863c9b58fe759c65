// start / stop / status / reset of the local broker. Each returns the process exit code.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { requireJava } from './commands.ts';
import { ensureJars, kafkaVersion } from './jars.ts';
import { cacheRoot } from './options.ts';
import type { BrokerOptions } from './options.ts';
import { brokerAnswers } from './probe.ts';
import { isBrokerProcess, readPid, removePid, rssMiB, sleep, waitForExit, writePid } from './process.ts';
import { formatStorage, renderServerProperties } from './server-config.ts';
import { acquireStartLock } from './start-lock.ts';

// Small heap: a dev/test broker with a handful of topics; the GC flags are Kafka's own defaults.
const JVM_OPTIONS = [
  '-Xms256m',
  '-Xmx512m',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
];
const STOP_TIMEOUT_MS = 30_000;

export async function start(options: BrokerOptions): Promise<number> {
  const started = performance.now();
  // Probe first: if a broker already answers there is nothing to resolve or start.
  if (await brokerAnswers(options.port)) return alreadyRunning(options);
  const release = await acquireStartLock(options.stateDir);
  try {
    // A concurrent start may have brought the broker up while we waited for the lock.
    if (await brokerAnswers(options.port)) return alreadyRunning(options);
    const pid = readPid(options.stateDir);
    let logOffset = 0;
    if (pid !== undefined && isBrokerProcess(pid)) {
      console.log(`Broker pid ${pid} is running but not answering yet; waiting for it.`);
    } else {
      logOffset = launch(options);
    }
    return await waitUntilReady(options, started, logOffset);
  } finally {
    release();
  }
}

function alreadyRunning(options: BrokerOptions): number {
  console.log(`Kafka already answers on 127.0.0.1:${options.port}; nothing to do.${describePid(options)}`);
  return 0;
}

export async function stop(options: BrokerOptions): Promise<number> {
  const pid = readPid(options.stateDir);
  if (pid === undefined || !isBrokerProcess(pid)) {
    removePid(options.stateDir);
    console.log('Kafka is not running (no live broker pid).');
    return 0;
  }
  // SIGTERM makes Kafka shut down cleanly (flushes logs, so the next start skips recovery).
  process.kill(pid, 'SIGTERM');
  if (!(await waitForExit(pid, STOP_TIMEOUT_MS))) {
    console.warn(`Broker pid ${pid} did not exit within ${STOP_TIMEOUT_MS / 1000} s; sending SIGKILL.`);
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid, 5_000);
  }
  removePid(options.stateDir);
  console.log(`Kafka stopped (pid ${pid}).`);
  return 0;
}

/** Exit 0 when the broker answers, 3 when it does not (the LSB "not running" code). */
export async function status(options: BrokerOptions): Promise<number> {
  const answers = await brokerAnswers(options.port);
  console.log(`Kafka ${kafkaVersion(options.toolDir)} on 127.0.0.1:${options.port}: ${answers ? 'answering' : 'not answering'}.${describePid(options)}`);
  console.log(`Data dir: ${options.dataDir}`);
  return answers ? 0 : 3;
}

export async function reset(options: BrokerOptions): Promise<number> {
  await stop(options);
  rmSync(options.dataDir, { recursive: true, force: true });
  console.log(`Deleted data dir ${options.dataDir}.`);
  return 0;
}

/** Starts the JVM detached; returns the size server.log had, so a failure shows only this run. */
function launch(options: BrokerOptions): number {
  const java = requireJava(process.env);
  const libsDir = ensureJars(options.toolDir, cacheRoot(process.env));
  const classpath = join(libsDir, '*');
  const propsPath = renderServerProperties(options);
  formatStorage(java, classpath, propsPath, options);
  mkdirSync(options.stateDir, { recursive: true });
  const logOffset = fileSize(join(options.stateDir, 'server.log'));
  // The JVM's own stdout/stderr (crashes, JVM warnings); the broker log goes to server.log.
  const out = openSync(join(options.stateDir, 'broker.out'), 'w');
  const child = spawn(java, [...JVM_OPTIONS, ...loggingOptions(options), '-cp', classpath, 'kafka.Kafka', propsPath], {
    detached: true, // own process group: Ctrl-C in this terminal does not reach the broker
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${java}`);
  writePid(options.stateDir, child.pid);
  child.unref();
  console.log(`Started Kafka ${kafkaVersion(options.toolDir)} (pid ${child.pid}); waiting for 127.0.0.1:${options.port} ...`);
  return logOffset;
}

function loggingOptions(options: BrokerOptions): string[] {
  return [
    `-Dlog4j2.configurationFile=${join(options.toolDir, 'config', 'log4j2.properties')}`,
    `-Dkafka.logs.dir=${options.stateDir}`,
  ];
}

async function waitUntilReady(options: BrokerOptions, started: number, logOffset: number): Promise<number> {
  const deadline = Date.now() + options.startTimeoutMs;
  while (Date.now() < deadline) {
    if (await brokerAnswers(options.port)) {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`Kafka is ready on 127.0.0.1:${options.port} after ${seconds} s.${describePid(options)}`);
      return 0;
    }
    const pid = readPid(options.stateDir);
    if (pid === undefined || !isBrokerProcess(pid)) return failStart(options, 'the broker process exited', logOffset);
    await sleep(250);
  }
  return failStart(options, `no answer within ${options.startTimeoutMs / 1000} s`, logOffset);
}

// The broker dumps ~300 lines of config at start, so a plain tail rarely shows the cause:
// print this run's ERROR/FATAL lines first, then a short tail of each file.
function failStart(options: BrokerOptions, reason: string, logOffset: number): number {
  console.error(`Kafka did not start: ${reason}.`);
  const serverLog = join(options.stateDir, 'server.log');
  const lines = readFrom(serverLog, logOffset).split('\n');
  const errors = lines.filter((line) => / (ERROR|FATAL) |^Caused by: /.test(line)).slice(0, 20);
  if (errors.length > 0) console.error(`--- errors in ${serverLog} ---\n${errors.join('\n')}`);
  console.error(`--- last lines of ${serverLog} ---\n${lines.slice(-15).join('\n')}`);
  const out = readFrom(join(options.stateDir, 'broker.out'), 0).trim();
  if (out) console.error(`--- JVM output (${join(options.stateDir, 'broker.out')}) ---\n${out.split('\n').slice(-15).join('\n')}`);
  const pid = readPid(options.stateDir);
  // A slow broker is left running (it may still come up); a dead one must not leave a pid file.
  if (pid !== undefined && isBrokerProcess(pid)) console.error(`The broker is still running as pid ${pid}; \`stop\` ends it.`);
  else removePid(options.stateDir);
  return 1;
}

function describePid(options: BrokerOptions): string {
  const pid = readPid(options.stateDir);
  if (pid === undefined || !isBrokerProcess(pid)) return '';
  const rss = rssMiB(pid);
  return ` pid ${pid}, RSS ${rss === undefined ? 'unknown' : `${rss.toFixed(0)} MiB`}.`;
}

function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

function readFrom(path: string, offset: number): string {
  if (!existsSync(path)) return '';
  return readFileSync(path).subarray(offset).toString('utf8');
}
