import { createRootLogger } from '@provisioning/observability';

// The ingest's wiring lands with its own issue; this entry keeps the workspace graph and scripts whole.
const logger = createRootLogger({ name: 'ingest' });
logger.info('ingest has no pipeline yet');
