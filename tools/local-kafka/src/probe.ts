import { kafkaAnswers } from '@provisioning/kafka';

/** True when 127.0.0.1:<port> answers admin.listTopics() through kafkajs, the client the apps use; never throws. */
export function brokerAnswers(port: number): Promise<boolean> {
  return kafkaAnswers([`127.0.0.1:${port}`]);
}
