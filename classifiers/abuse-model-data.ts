/**
 * Shipped texts the abuse model learns from besides the labelled sets: the topic model's
 * example messages (data/topic-training*.ts), every one of them a complaint or question to
 * process. They teach the model the ordinary vocabulary of complaints, so that words such
 * as «опять», «управляющая» or «очередь» are no sign of abuse.
 */
import { handWrittenExamples } from './default-model.js';
import type { AbuseExample } from './abuse-training.js';

export function abuseTopicExamples(): AbuseExample[] {
  return handWrittenExamples().map((e) => ({ text: e.text, reason: null }));
}
