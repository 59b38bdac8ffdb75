import type { PublishAttempt, PublishAttemptLog } from '../connectors/connector.js';
import type { Network } from '../connectors/types.js';
import type { Db } from './db.js';
import { publishAttemptModel } from './models/publish-attempt.js';

const COLLECTION = 'publishAttempts';

function attemptId(answerId: string, target: string): string {
  return `${answerId}|${target}`;
}

/** The connectors' record-before-call log, kept in the store so it survives a crash. */
export function publishAttemptLogOf(db: Db): PublishAttemptLog {
  const collection = () => db.connection.db!.collection(publishAttemptModel(db.connection).collection.name || COLLECTION);
  return {
    async begin(attempt: PublishAttempt): Promise<PublishAttempt | null> {
      // One atomic upsert: the first caller creates the record and gets null back; any
      // later caller (a retry, or a second publisher after a crash) gets the earlier
      // attempt — "before", which mongo-java-server answers consistently.
      const before = await collection().findOneAndUpdate(
        { _id: attemptId(attempt.answerId, attempt.target) as never },
        { $setOnInsert: { answerId: attempt.answerId, network: attempt.network, target: attempt.target, startedAt: attempt.startedAt, externalId: null, completedAt: null } },
        { upsert: true, returnDocument: 'before' },
      );
      if (!before) return null;
      return {
        answerId: before.answerId as string,
        network: before.network as Network,
        target: before.target as string,
        startedAt: before.startedAt as Date,
        ...(before.externalId ? { externalId: before.externalId as string } : {}),
      };
    },
    async complete(answerId: string, target: string, externalId: string): Promise<void> {
      await collection().updateOne({ _id: attemptId(answerId, target) as never }, { $set: { externalId, completedAt: new Date() } });
    },
    async abandon(answerId: string, target: string): Promise<void> {
      await collection().deleteOne({ _id: attemptId(answerId, target) as never, externalId: null });
    },
  };
}
