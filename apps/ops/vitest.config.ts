import { projectTestConfig } from '../../vitest.shared.ts';

export default projectTestConfig('ops', { services: true, testTimeoutMs: 120_000 });
