import { BaseRpcContext } from '@nestjs/microservices';
import type { CloudEvent } from '../envelope/cloud-event';
import type { SqlExecutor } from '../sql';
import type { RecordPosition, TransactionScope } from './event-processor';

/**
 * What an `@EventPattern` handler gets with `@Ctx()`: the whole envelope and the manager of the
 * transaction its inbox row is written in. The effect is written through `getTransaction()`, so
 * that effect and inbox row commit together (exactly-once in effect). That manager is the only
 * way to the database a handler is given: it hides the data source (`connection`,
 * `queryRunner`) and stops working once the handler returned (transaction-bound.ts).
 */
export class EventContext extends BaseRpcContext<
  [CloudEvent, SqlExecutor, RecordPosition?, TransactionScope?]
> {
  getEvent(): CloudEvent {
    return this.args[0];
  }

  /** Topic, partition and offset of the record the event came in (absent in unit tests). */
  getPosition(): RecordPosition | undefined {
    return this.args[2];
  }

  /** The inbox transaction's manager (a TypeORM EntityManager in the services), while the handler runs. */
  getTransaction<T extends SqlExecutor = SqlExecutor>(): T {
    return this.args[1] as T;
  }

  /** What the records of this inbox transaction share (absent in unit tests): see TransactionScope. */
  getScope(): TransactionScope | undefined {
    return this.args[3];
  }
}
