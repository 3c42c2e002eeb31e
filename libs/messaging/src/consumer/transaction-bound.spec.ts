import { transactionBound } from './transaction-bound';

class FakeManager {
  readonly connection = { query: async () => 'outside the transaction' };
  readonly queryRunner = { connection: this.connection };
  calls: string[] = [];
  async query(sql: string): Promise<unknown> {
    this.calls.push(sql);
    return [];
  }
}

describe('transactionBound (the manager an event handler gets)', () => {
  it('runs queries on the transaction manager itself', async () => {
    const m = new FakeManager();
    const { manager } = transactionBound(m);
    await manager.query('INSERT 1');
    expect(m.calls).toEqual(['INSERT 1']);
    expect(manager).toBeInstanceOf(FakeManager);
  });

  it('hides the way to the data source', () => {
    const { manager } = transactionBound(new FakeManager());
    expect(() => manager.connection).toThrow(/cannot reach the data source \(connection\)/);
    expect(() => manager.queryRunner).toThrow(/cannot reach the data source \(queryRunner\)/);
  });

  it('stops working once revoked (after the handler returned)', () => {
    const { manager, revoke } = transactionBound(new FakeManager());
    revoke();
    expect(() => manager.query('INSERT late')).toThrow(/revoked/);
  });
});
