import { projectTestConfig } from '../../vitest.shared.ts';

export default projectTestConfig('ingest', { services: true, testTimeoutMs: 90_000 });
