import { EVENTS_DIR, readSchemaDir } from './schema-files';
import { PARTICIPATION_ROLES, TITLE_KINDS } from './vocabulary';

describe('shared vocabulary equals the schema enums', () => {
  const schemas = readSchemaDir(EVENTS_DIR);
  const enumOf = (file: string, property: string): unknown => {
    const schema = schemas.get(file) as { properties: Record<string, { enum?: unknown }> };
    return schema.properties[property]?.enum;
  };

  it.each([
    ['title.registered/v1.schema.json', 'kind'],
    ['placement.requested/v1.schema.json', 'titleKind'],
    ['title.end-approaching/v1.schema.json', 'titleKind'],
  ])('TITLE_KINDS = %s %s', (file, property) => {
    expect(enumOf(file, property)).toEqual([...TITLE_KINDS]);
  });

  it('PARTICIPATION_ROLES = trajectory.participant-joined role', () => {
    expect(enumOf('trajectory.participant-joined/v1.schema.json', 'role')).toEqual([
      ...PARTICIPATION_ROLES,
    ]);
  });
});
