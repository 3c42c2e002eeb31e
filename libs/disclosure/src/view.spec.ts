import { ClientDataView } from './view';

const view = ClientDataView.of({
  id: 'metadata',
  offence: 'risk',
  info: { category: 'medical', object: { medication: 'medical', recordedAt: 'metadata' } },
  docs: { category: 'metadata', arrayOf: { kind: 'metadata', score: 'risk' } },
});

describe('ClientDataView: the contracts field filter over a response shape', () => {
  it('keeps only permitted fields, says what it withheld and which categories it used', () => {
    const r = view.filter(
      {
        id: 'x',
        offence: 'arson',
        info: { medication: 'm', recordedAt: 't' },
        docs: [{ kind: 'a', score: 3 }],
        extra: 'not in the shape',
      },
      new Set(['metadata']),
    );
    expect(r.data).toEqual({ id: 'x', info: { recordedAt: 't' }, docs: [{ kind: 'a' }] });
    expect(r.withheld.sort()).toEqual(['docs[].score', 'extra', 'info.medication', 'offence']);
    expect(r.categories).toEqual(['metadata']);
  });

  it('refuses a shape with a field that has no category', () => {
    expect(() => ClientDataView.of({ id: 'nonsense' as never })).toThrow(/x-data-category/);
  });
});
