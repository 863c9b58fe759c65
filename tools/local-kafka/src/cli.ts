// Entry point: node src/cli.ts <start|stop|status|reset> [--data-dir DIR] [--port N] [--timeout S]
import './node-warnings.ts';
import { reset, start, status, stop } from './broker.ts';
import { parseOptions } from './options.ts';
import type { BrokerOptions } from './options.ts';

// A Map, not an object literal, so names like "toString" are not commands.
const commands = new Map<string, (options: BrokerOptions) => Promise<number>>([
  ['start', start],
  ['stop', stop],
  ['status', status],
  ['reset', reset],
]);
const usage = 'usage: node src/cli.ts <start|stop|status|reset> [--data-dir DIR] [--port 9092] [--timeout 60]';

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : commands.get(name);
  if (command === undefined) {
    console.error(usage);
    return 2;
  }
  return command(parseOptions(rest, process.env));
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(`local-kafka: ${(error as Error).message}`);
  process.exitCode = 1;
}
