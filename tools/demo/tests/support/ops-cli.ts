import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const OPS_MAIN = join(import.meta.dirname, '..', '..', '..', '..', 'apps', 'ops', 'src', 'main.ts');

/** Runs the operator CLI as an operator would, returning its exit code and output. */
export async function ops(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--disable-warning=TimeoutNegativeWarning', OPS_MAIN, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}
