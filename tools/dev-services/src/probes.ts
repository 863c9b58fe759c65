import { createConnection } from 'node:net';
import { kafkaAnswers as answers } from '@provisioning/kafka';

/** True when a Redis server answers PING at host:port within the timeout. */
export function redisAnswers(host: string, port: number, timeoutMs = 1_500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** True when a Kafka broker answers a metadata request (an admin call, not only an open port). */
export function kafkaAnswers(brokers: string[], timeoutMs = 3_000): Promise<boolean> {
  return answers(brokers, { connectionTimeoutMs: timeoutMs, requestTimeoutMs: timeoutMs });
}
