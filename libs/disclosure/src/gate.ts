import type { DataCategory } from '@ketenlink/contracts';
import type { AccessLogPort } from './access-log.port';
import { basesOf, type Entitlement, entitlementOf, type TrajectoryFacts } from './entitlement';
import { DisclosureRefusedError, NotVisibleError } from './errors';
import { isStaff, type Reader, readerKindOf } from './reader';

/** What a projection returns: the body and which categories (and events) it disclosed. */
export interface Disclosed<T> {
  readonly body: T;
  readonly categories: Iterable<DataCategory>;
  readonly eventIds?: readonly string[];
}

export interface DisclosureRequest {
  readonly reader: Reader;
  /** Undefined when the trajectory (or the thing read) is unknown: not found, logged. */
  readonly facts: TrajectoryFacts | undefined;
  /** The trajectory id to log when `facts` is undefined. */
  readonly trajectoryId: string;
  readonly resource: string;
  readonly at?: Date;
}

const GATED = new WeakSet<object>();

/** Whether this value was returned by the gate (the route guard checks a gated route's answer). */
export function passedTheGate(value: unknown): boolean {
  return value !== null && typeof value === 'object' && GATED.has(value);
}

/**
 * The one way a read path returns client data: decide (policy + roles inside the
 * organisation), let the projection build the answer from the entitlement (filtering with a
 * ClientDataView), log who read which categories on which basis, then return. A reader who
 * may not see the trajectory gets NotVisibleError (404); a projection may refuse with
 * DisclosureRefusedError (403). Both refusals are logged too.
 */
export class DisclosureGate {
  constructor(
    private readonly log: AccessLogPort,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  entitlement(reader: Reader, facts: TrajectoryFacts, at: Date = this.clock()): Entitlement {
    return entitlementOf(reader, facts, at);
  }

  async disclose<T extends object>(
    req: DisclosureRequest,
    project: (entitlement: Entitlement) => Promise<Disclosed<T>> | Disclosed<T>,
  ): Promise<T> {
    const at = req.at ?? this.clock();
    const entitlement = req.facts ? entitlementOf(req.reader, req.facts, at) : undefined;
    if (!entitlement?.visible) {
      await this.deny(req, at, 'not participating in this trajectory');
      throw new NotVisibleError(req.resource);
    }
    let disclosed: Disclosed<T>;
    try {
      disclosed = await project(entitlement);
    } catch (err) {
      if (err instanceof DisclosureRefusedError) await this.deny(req, at, err.message);
      throw err;
    }
    const categories = [...new Set(disclosed.categories)].sort();
    const stray = categories.filter((c) => !entitlement.permitted.has(c));
    if (stray.length > 0) {
      // A projection that claims a category the reader is not entitled to is a bug: fail closed.
      throw new Error(`projection disclosed categories not permitted: ${stray.join(', ')}`);
    }
    await this.log.record({
      ...who(req.reader),
      trajectoryId: req.trajectoryId,
      resource: req.resource,
      outcome: 'disclosed',
      categories,
      legalBases: basesOf(entitlement, categories),
      ...(disclosed.eventIds ? { eventIds: [...disclosed.eventIds] } : {}),
      at,
    });
    GATED.add(disclosed.body);
    return disclosed.body;
  }

  /** Marks a collection made of gated items (each disclosed and logged on its own) as gated. */
  collect<T extends object>(body: T): T {
    GATED.add(body);
    return body;
  }

  private async deny(req: DisclosureRequest, at: Date, reason: string): Promise<void> {
    await this.log.record({
      ...who(req.reader),
      trajectoryId: req.trajectoryId,
      resource: req.resource,
      outcome: 'denied',
      categories: [],
      legalBases: {},
      reason,
      at,
    });
  }
}

function who(reader: Reader) {
  return isStaff(reader)
    ? {
        readerKind: readerKindOf(reader),
        subject: reader.subject,
        organisationId: reader.organisationId,
        roles: [...reader.roles],
      }
    : { readerKind: readerKindOf(reader), subject: reader.subject, roles: [] };
}
