import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { INGEST_REFERENCE_FILE, ingestReference } from '../scripts/config-reference.ts';

describe('ingest > configuration reference', () => {
  it('is the committed docs/configuration/ingest.md (regenerate with node apps/ingest/scripts/config-reference.ts)', async () => {
    expect(await readFile(INGEST_REFERENCE_FILE, 'utf8')).toBe(ingestReference());
  });
});
