/**
 * Writes the Kafka contracts as JSON Schema and AsyncAPI into libs/schemas/contracts/ (run after changing a
 * contract schema, then commit the files). `--check` writes nothing and exits 1 when the files have drifted.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CONTRACTS_DIRECTORY, contractDocuments } from '../src/lib/export/contract-documents.ts';

const directory = resolve(import.meta.dirname, '..', CONTRACTS_DIRECTORY);

async function readCommitted(): Promise<Map<string, string>> {
  const names = await readdir(directory).catch(() => [] as string[]);
  const entries = await Promise.all(names.map(async (name) => [name, await readFile(join(directory, name), 'utf8')] as const));
  return new Map(entries);
}

function drifted(generated: Map<string, string>, committed: Map<string, string>): string[] {
  const names = new Set([...generated.keys(), ...committed.keys()]);
  return [...names].filter((name) => generated.get(name) !== committed.get(name)).sort();
}

async function main(): Promise<void> {
  const generated = contractDocuments();
  const committed = await readCommitted();
  const changed = drifted(generated, committed);
  if (process.argv.includes('--check')) {
    if (changed.length > 0) {
      console.error(`contracts out of date: ${changed.join(', ')}; run npm run export -w @provisioning/schemas`);
      process.exitCode = 1;
    }
    return;
  }
  await mkdir(directory, { recursive: true });
  for (const name of changed) {
    const content = generated.get(name);
    if (content === undefined) await rm(join(directory, name));
    else await writeFile(join(directory, name), content);
  }
  console.log(changed.length === 0 ? 'contracts unchanged' : `wrote ${changed.join(', ')}`);
}

await main();
