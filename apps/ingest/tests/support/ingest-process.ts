import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from './jumpcloud-sim-process.ts';

const MAIN = join(REPO_ROOT, 'apps', 'ingest', 'src', 'main.ts');

/** An ingest replica running as its own process, so a test can kill it for real. */
export interface IngestProcess {
  child: ChildProcess;
  /** The base URL of its HTTP server (from its `ingest started` log line). */
  url: string;
  /** Resolves with how the process ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  logLines: Record<string, unknown>[];
}

/** Writes the config to `dir` and starts `main.ts --config`; resolves once the replica serves HTTP. */
export async function startIngestProcess(dir: string, name: string, config: unknown, env: Record<string, string>): Promise<IngestProcess> {
  const configPath = join(dir, `${name}.json`);
  await writeFile(configPath, JSON.stringify(config));
  const child = spawn(process.execPath, [MAIN, '--config', configPath], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  const logLines: Record<string, unknown>[] = [];
  const started = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logLines.push(entry);
      if (entry['msg'] === 'ingest started') resolve(entry['url'] as string);
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void exited.then(({ code, signal }) => reject(new Error(`ingest ${name} exited (${code ?? signal}) before starting: ${stderr}`)));
  });
  return { child, url: await started, exited, logLines };
}

/** Reads one sample of a Prometheus metric from a replica's /metrics. */
export async function metricValue(url: string, pattern: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
}
