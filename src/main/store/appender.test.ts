import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DuckDBInstance } from '@duckdb/node-api';
import { discardAppender } from './appender';

// The garbage collector is what writes a dropped appender's rows; the test runs it instead of waiting for it.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe('discardAppender', () => {
  it('leaves nothing of a failed batch to be written later into a table of the same name', async () => {
    const db = await (await DuckDBInstance.create(':memory:')).connect();
    await db.run('CREATE TABLE t (v DOUBLE)');
    let appender = await db.createAppender('t');
    await db.run('DROP TABLE t');
    appender.appendDouble(41);
    appender.endRow();
    expect(() => appender.flushSync()).toThrow(/t does not exist/);
    discardAppender(appender);
    appender = null as never;
    await db.run('CREATE TABLE t (v DOUBLE)');
    for (let i = 0; i < 3; i++) {
      collectGarbage();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await db.runAndReadAll('SELECT v FROM t')).getRowObjects()).toEqual([]);
    db.closeSync();
  });
});
