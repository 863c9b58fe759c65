import { readFile, writeFile } from 'node:fs/promises';

/**
 * Writes a generated file, or with `check` only compares it and returns false when the committed copy is stale.
 * Generators (configuration references) share it so `--check` means the same everywhere.
 */
export async function writeOrCheckGenerated(path: string, expected: string, check: boolean): Promise<boolean> {
  if (!check) {
    await writeFile(path, expected);
    return true;
  }
  return (await readFile(path, 'utf8').catch(() => '')) === expected;
}
