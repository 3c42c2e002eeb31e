import { EVENTS_DIR, readSchemaDir } from './schema-files';
import { looksLikeIdentityField, propertyEntries } from './schema-rules';

/**
 * Identity (BSN, name, date of birth) never appears in events; the trajectory id stands in
 * for the client everywhere (ARCHITECTURE §4, DOMAIN §4).
 */
describe('no identity in events', () => {
  const schemas = [...readSchemaDir(EVENTS_DIR).entries()];

  it.each(schemas)('%s has no identity-like property name', (_file, schema) => {
    const offenders = propertyEntries(schema)
      .filter((p) => looksLikeIdentityField(p.name))
      .map((p) => p.path);
    expect(offenders).toEqual([]);
  });

  it.each(schemas)('%s categorises no property as identity', (_file, schema) => {
    const offenders = propertyEntries(schema)
      .filter((p) => p.node['x-data-category'] === 'identity')
      .map((p) => p.path);
    expect(offenders).toEqual([]);
  });

  it('the name rule catches the usual suspects and spares ordinary fields', () => {
    for (const name of [
      'bsn',
      'BSN',
      'clientBsn',
      'name',
      'firstName',
      'first_name',
      'lastName',
      'fullName',
      'dateOfBirth',
      'birthDate',
      'date-of-birth',
      'geboortedatum',
      'initials',
    ]) {
      expect({ name, identity: looksLikeIdentityField(name) }).toEqual({ name, identity: true });
    }
    for (const name of [
      'trajectoryId',
      'organisationId',
      'role',
      'region',
      'description',
      'type',
      'kind',
      'at',
    ]) {
      expect({ name, identity: looksLikeIdentityField(name) }).toEqual({ name, identity: false });
    }
  });

  it('walks nested objects, array items and $defs', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: 'object', properties: { lastName: { type: 'string' } } },
        b: { type: 'array', items: { $ref: '#/$defs/P' } },
      },
      $defs: {
        P: {
          type: 'object',
          properties: { bsn: { type: 'string', 'x-data-category': 'identity' } },
        },
      },
    };
    const paths = propertyEntries(schema).map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['a.lastName', 'b[].bsn', '$defs.P.bsn']));
  });
});
