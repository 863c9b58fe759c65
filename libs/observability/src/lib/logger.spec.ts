import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createRootLogger } from './logger.ts';

function captureLines(): { stream: Writable; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { stream, lines };
}

describe('observability > root logger', () => {
  it('redacts secrets wherever config or headers carry them', () => {
    const { stream, lines } = captureLines();
    const logger = createRootLogger({ name: 'spec', destination: stream });
    logger.child({ component: 'scim' }).info(
      { tenant: { token: 'tok-123', apiKey: 'key-456' }, headers: { authorization: 'Bearer tok-123' } },
      'scim request',
    );
    const text = JSON.stringify(lines);
    expect(text).not.toContain('tok-123');
    expect(text).not.toContain('key-456');
    expect(lines[0]).toMatchObject({ name: 'spec', component: 'scim', msg: 'scim request' });
  });
});
