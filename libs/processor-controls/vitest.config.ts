import { projectTestConfig } from '../../vitest.shared.ts';

export default projectTestConfig('processor-controls', { services: true });
