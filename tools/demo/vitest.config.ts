import { projectTestConfig } from '../../vitest.shared.ts';

export default projectTestConfig('demo', { services: true, testTimeoutMs: 600_000 });
