import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PROCESSOR_REFERENCE_FILE, processorReference } from '../scripts/config-reference.ts';

describe('processor > configuration reference', () => {
  it('is the committed docs/configuration/processor.md (regenerate with node apps/processor/scripts/config-reference.ts)', async () => {
    expect(await readFile(PROCESSOR_REFERENCE_FILE, 'utf8')).toBe(processorReference());
  });
});
