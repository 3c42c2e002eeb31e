import { Injectable } from '@nestjs/common';
import { EventEmitter } from '@ketenlink/messaging';
import { DataSource } from 'typeorm';
import { DomainError } from '../domain/errors';
import {
  assertValidOrganisation,
  type Organisation,
  organisationPayload,
} from '../domain/organisations';
import { OrganisationStore } from './ports/organisation.store.port';

const notFound = () =>
  new DomainError('not-found', 'organisation-not-found', 'No such organisation in the registry');

/**
 * The organisation registry, kept by registry administrators: each change is stored and
 * announced (organisation.registered / organisation.changed, subject = organisation id) in one
 * transaction, so other services can project the registry.
 */
@Injectable()
export class OrganisationRegistry {
  constructor(
    private readonly ds: DataSource,
    private readonly store: OrganisationStore,
    private readonly events: EventEmitter,
  ) {}

  async register(org: Organisation): Promise<Organisation> {
    const valid = assertValidOrganisation(org);
    await this.ds.transaction(async (tx) => {
      if (!(await this.store.insert(tx, valid))) {
        throw new DomainError(
          'conflict',
          'organisation-exists',
          'An organisation with this id is already registered',
        );
      }
      await this.events.emit(tx, [
        {
          type: 'nl.ketenlink.organisation.registered.v1',
          subject: valid.id,
          data: organisationPayload(valid),
        },
      ]);
    });
    return valid;
  }

  async change(org: Organisation): Promise<Organisation> {
    const valid = assertValidOrganisation(org);
    await this.ds.transaction(async (tx) => {
      const [row] = (await tx.query(`SELECT id FROM organisations WHERE id = $1 FOR UPDATE`, [
        valid.id,
      ])) as unknown[];
      if (!row) throw notFound();
      await this.store.update(tx, valid);
      await this.events.emit(tx, [
        {
          type: 'nl.ketenlink.organisation.changed.v1',
          subject: valid.id,
          data: organisationPayload(valid),
        },
      ]);
    });
    return valid;
  }

  async get(id: string): Promise<Organisation> {
    const org = await this.store.find(id);
    if (!org) throw notFound();
    return org;
  }

  list(): Promise<Organisation[]> {
    return this.store.list();
  }
}
