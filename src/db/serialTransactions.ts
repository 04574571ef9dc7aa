// Queries of one interactive transaction, one at a time. Prisma runs the independent relation
// loads of a read (an `include` of two relations, say) concurrently, and inside $transaction they
// all go to the transaction's one pg connection, which queues them: pg 8.19+ deprecates that
// (a DeprecationWarning today, an error in pg 9). Until @prisma/adapter-pg serialises them itself
// (prisma/orm#29979), each transaction the adapter starts runs its statements in order here. A
// transaction's statements were queued on its connection anyway, so nothing becomes slower.
import type { PrismaPg } from '@prisma/adapter-pg';

type Adapter = Awaited<ReturnType<PrismaPg['connect']>>;
type Transaction = Awaited<ReturnType<Adapter['startTransaction']>>;

function inOrder(tx: Transaction): Transaction {
  let last: Promise<unknown> = Promise.resolve();
  const queued =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      const next = last.then(
        () => run(...args),
        () => run(...args),
      );
      last = next.catch(() => {});
      return next;
    };
  tx.queryRaw = queued(tx.queryRaw.bind(tx));
  tx.executeRaw = queued(tx.executeRaw.bind(tx));
  return tx;
}

/** The adapter factory, whose transactions run one statement at a time. */
export function withSerialTransactions(factory: PrismaPg): PrismaPg {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const start = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => inOrder(await start(isolationLevel));
    return adapter;
  };
  return factory;
}
