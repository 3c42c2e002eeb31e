import { ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { TRAJECTORY_FACTS, type TrajectoryFactsPort } from '@ketenlink/trajectory-facts';
import {
  dataCategoriesOf,
  filterPayload,
  type DataCategory,
  type EventPayloads,
  type EventType,
} from '@ketenlink/contracts';
import {
  DisclosureGate,
  DisclosureRefusedError,
  NotVisibleError,
  type Disclosed,
  type DisclosureRequest,
  type Entitlement,
  type StaffReader,
} from '@ketenlink/disclosure';
import { SqlAccessLog } from '@ketenlink/access-log';
import { Clock } from './clock';
import { TrajectoryNotVisibleError } from './errors';
import type { AgendaEntry } from './ports/schedule.store.port';
import { RecordsStore } from './ports/records.store.port';
import { ScheduleStore } from './ports/schedule.store.port';

/** One record cut to the reader's entitlement by its event's data categories. */
function cut<T extends EventType>(type: T, data: EventPayloads[T], e: Entitlement) {
  const { data: kept, withheld } = filterPayload(type, data, (c) => e.permitted.has(c));
  const categories = new Set<DataCategory>();
  for (const [path, c] of dataCategoriesOf(type)) {
    if (e.permitted.has(c) && !withheld.includes(path)) categories.add(c);
  }
  return { data: kept as Partial<EventPayloads[T]>, withheld, categories };
}

/**
 * Every read of plans, assessments and agenda items goes through the disclosure gate, logged in
 * the service's own access log (ADR 0020). The agenda discloses each item on its own trajectory
 * and leaves out what the gate does not let through.
 */
@Injectable()
export class RecordsQueries {
  private readonly gate: DisclosureGate;

  constructor(
    private readonly records: RecordsStore,
    private readonly schedules: ScheduleStore,
    @Inject(TRAJECTORY_FACTS) private readonly facts: TrajectoryFactsPort,
    log: SqlAccessLog,
    clock: Clock,
  ) {
    this.gate = new DisclosureGate(log, () => clock.now());
  }

  /** One trajectory's read through the gate: not visible → 404, refused → 403 (problem+json). */
  private async disclose<T extends object>(
    req: DisclosureRequest,
    project: (e: Entitlement) => Disclosed<T>,
  ): Promise<T> {
    try {
      return await this.gate.disclose(req, project);
    } catch (err) {
      if (err instanceof NotVisibleError) throw new TrajectoryNotVisibleError();
      if (err instanceof DisclosureRefusedError) throw new ForbiddenException(err.message);
      throw err;
    }
  }

  async plans(trajectoryId: string, reader: StaffReader) {
    const plans = await this.records.latestPlans(trajectoryId);
    return this.items('nl.ketenlink.plan.versioned.v1', plans, trajectoryId, reader, 'plans');
  }

  async assessments(trajectoryId: string, reader: StaffReader) {
    const list = await this.records.assessments(trajectoryId);
    return this.items(
      'nl.ketenlink.risk-assessment.recorded.v1',
      list,
      trajectoryId,
      reader,
      'risk-assessments',
    );
  }

  async progressNotes(trajectoryId: string, reader: StaffReader) {
    const list = await this.records.progressNotes(trajectoryId);
    return this.items(
      'nl.ketenlink.plan.progress-noted.v1',
      list,
      trajectoryId,
      reader,
      'progress-notes',
    );
  }

  /** A list of one trajectory's records, each cut to the reader's entitlement. */
  private async items<T extends EventType>(
    type: T,
    list: readonly EventPayloads[T][],
    trajectoryId: string,
    reader: StaffReader,
    resource: string,
  ) {
    return this.disclose(
      { reader, facts: await this.facts.factsOf(trajectoryId), trajectoryId, resource },
      (e) => {
        const cuts = list.map((r) => cut(type, r, e));
        return {
          body: { items: cuts.map((c) => ({ ...c.data, withheld: c.withheld })) },
          categories: cuts.flatMap((c) => [...c.categories]),
        };
      },
    );
  }

  /** The answer to a command: the record just made, through the gate like any read. */
  async recorded<T extends EventType>(
    type: T,
    data: EventPayloads[T],
    trajectoryId: string,
    reader: StaffReader,
    resource: string,
  ) {
    return this.disclose(
      { reader, facts: await this.facts.factsOf(trajectoryId), trajectoryId, resource },
      (e) => {
        const c = cut(type, data, e);
        return { body: { ...c.data, withheld: c.withheld }, categories: c.categories };
      },
    );
  }

  /** Due and overdue items (optionally also scheduled ones) of the reader's organisation. */
  async agenda(
    reader: StaffReader,
    states: readonly string[],
    page: { limit: number; offset: number },
  ) {
    const { items, total } = await this.schedules.agenda(reader.organisationId, states, page);
    const out: object[] = [];
    for (const i of items) {
      try {
        out.push(
          await this.gate.disclose(
            {
              reader,
              facts: await this.facts.factsOf(i.trajectoryId),
              trajectoryId: i.trajectoryId,
              resource: 'agenda-item',
            },
            (e) => agendaView(i, e),
          ),
        );
      } catch (err) {
        if (!(err instanceof NotVisibleError)) throw err;
      }
    }
    return this.gate.collect({ items: out, total, limit: page.limit, offset: page.offset });
  }
}

/** An agenda item: which review, for which rule, when; the review's kind and dates are plan-and-goals. */
function agendaView(i: AgendaEntry, e: Entitlement) {
  const planned = e.permitted.has('plan-and-goals');
  const categories: DataCategory[] = [
    'metadata',
    'participation',
    ...(planned ? (['plan-and-goals'] as const) : []),
  ];
  return {
    body: {
      reviewId: i.id,
      trajectoryId: i.trajectoryId,
      ruleId: i.ruleId,
      state: i.state,
      responsibleOrganisationId: i.responsibleOrganisationId,
      ...(planned ? { kind: i.kind, dueOn: i.dueOn, overdueOn: i.overdueOn } : {}),
      withheld: planned ? [] : ['kind', 'dueOn', 'overdueOn'],
    },
    categories,
  };
}
