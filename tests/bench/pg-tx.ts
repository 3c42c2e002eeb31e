import type { Pool, PoolClient } from 'pg';

/** One plain pg transaction on a pooled client: the baselines' unit of database work. */
export async function inTransaction(
  pool: Pool,
  work: (c: PoolClient) => Promise<void>,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await work(client);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
