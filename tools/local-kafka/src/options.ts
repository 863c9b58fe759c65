// Where everything lives and which port to use, from flags, env and defaults.
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** Absolute paths and ports of one local broker. */
export type BrokerOptions = {
  readonly toolDir: string;
  readonly repoRoot: string;
  /** Rendered config, pid file, logs: <repo>/.local/kafka (or kafka-<port>), or `<data dir>.state` with --data-dir. */
  readonly stateDir: string;
  /** Kafka's log.dirs and the cluster id live under here; `reset` deletes it. */
  readonly dataDir: string;
  readonly port: number;
  /** The KRaft controller listener; port + 1, so the default is 9093. */
  readonly controllerPort: number;
  readonly startTimeoutMs: number;
};

const toolDir = resolve(import.meta.dirname, '..');
const repoRoot = resolve(toolDir, '..', '..');

/** Parses `--data-dir`, `--port`, `--timeout` (seconds); env vars are the fallback. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BrokerOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      timeout: { type: 'string' },
    },
    allowPositionals: false,
  });
  const customDataDir = values['data-dir'] ?? env.LOCAL_KAFKA_DATA_DIR;
  const port = toPort(values.port ?? env.LOCAL_KAFKA_PORT ?? '9092');
  const timeoutS = toPositive(values.timeout ?? env.LOCAL_KAFKA_START_TIMEOUT ?? '60', 'timeout');
  const dataDir = customDataDir === undefined ? join(defaultStateDir(port), 'data') : fromInvocationDir(customDataDir, env);
  // One broker, one state dir: its pid file, start lock, rendered config and logs sit next to its own data, so a
  // second broker (another port or data dir) never takes the first one's pid for its own.
  const stateDir = customDataDir === undefined ? defaultStateDir(port) : `${dataDir}.state`;
  return {
    toolDir,
    repoRoot,
    stateDir,
    dataDir,
    port,
    controllerPort: port + 1,
    startTimeoutMs: timeoutS * 1000,
  };
}

function defaultStateDir(port: number): string {
  return join(repoRoot, '.local', port === 9092 ? 'kafka' : `kafka-${port}`);
}

/** Per-machine jar cache, shared by every clone of the repo on this machine. */
export function cacheRoot(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'jumpcloud-terranova-provisioning');
}

// `npm run -w` changes the cwd to the package dir; INIT_CWD is where the user typed the
// command, so a relative --data-dir means what the user expects.
function fromInvocationDir(path: string, env: NodeJS.ProcessEnv): string {
  return isAbsolute(path) ? path : resolve(env.INIT_CWD ?? process.cwd(), path);
}

function toPort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65534) {
    throw new Error(`invalid port "${text}": expected an integer 1..65534 (port + 1 is the controller port)`);
  }
  return port;
}

function toPositive(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`invalid ${name} "${text}": expected a positive number`);
  return value;
}
