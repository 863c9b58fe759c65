import { createRootLogger } from '@provisioning/observability';

// The processor's wiring lands with its own issue; this entry keeps the workspace graph and scripts whole.
const logger = createRootLogger({ name: 'processor' });
logger.info('processor has no pipeline yet');
