import { projectTestConfig } from '../../vitest.shared.ts';

export default projectTestConfig('processor', { services: true, testTimeoutMs: 90_000 });
