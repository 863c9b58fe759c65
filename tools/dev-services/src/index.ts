export { provideKafka, provideRedis } from './services.ts';
export type { ProvidedService } from './services.ts';
export { kafkaAnswers, redisAnswers } from './probes.ts';
