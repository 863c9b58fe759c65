export { provideTestKafka, testKafkaBrokers, uniqueName } from './testing/test-broker.ts';
