import { describe, expect, it } from 'vitest';
import { renderedStatements } from './migrations.js';
import { REPLICA_PATH, renderStatement } from './render.js';

const single = { database: 'waymark' };
const cluster = { database: 'waymark', cluster: 'main' };

describe('renderStatement', () => {
  it('only names the database for a single server', () => {
    expect(
      renderStatement(
        'CREATE TABLE IF NOT EXISTS {db}.t (x UInt8) ENGINE = MergeTree() ORDER BY x',
        single,
      ),
    ).toBe('CREATE TABLE IF NOT EXISTS waymark.t (x UInt8) ENGINE = MergeTree() ORDER BY x');
  });

  it('makes DDL ON CLUSTER and MergeTree engines Replicated, keyed by UUID', () => {
    expect(
      renderStatement(
        'CREATE TABLE IF NOT EXISTS {db}.t (x UInt8) ENGINE = ReplacingMergeTree() ORDER BY x',
        cluster,
      ),
    ).toBe(
      `CREATE TABLE IF NOT EXISTS waymark.t ON CLUSTER main (x UInt8) ENGINE = ReplicatedReplacingMergeTree(${REPLICA_PATH}) ORDER BY x`,
    );
    expect(REPLICA_PATH).toBe("'/clickhouse/tables/{uuid}/{shard}', '{replica}'");
    expect(
      renderStatement(
        'CREATE TABLE IF NOT EXISTS {db}.t (x UInt8) ENGINE = AggregatingMergeTree()',
        cluster,
      ),
    ).toContain('ENGINE = ReplicatedAggregatingMergeTree(');
    expect(renderStatement('CREATE DATABASE IF NOT EXISTS {db}', cluster)).toBe(
      'CREATE DATABASE IF NOT EXISTS waymark ON CLUSTER main',
    );
    expect(
      renderStatement(
        'CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.v TO {db}.t AS SELECT 1',
        cluster,
      ),
    ).toBe(
      'CREATE MATERIALIZED VIEW IF NOT EXISTS waymark.v ON CLUSTER main TO waymark.t AS SELECT 1',
    );
    expect(renderStatement('ALTER TABLE {db}.t MODIFY COLUMN x UInt16', cluster)).toBe(
      'ALTER TABLE waymark.t ON CLUSTER main MODIFY COLUMN x UInt16',
    );
    expect(renderStatement('DROP VIEW IF EXISTS {db}.v', cluster)).toBe(
      'DROP VIEW IF EXISTS waymark.v ON CLUSTER main',
    );
    expect(renderStatement('DROP TABLE IF EXISTS {db}.t__old_0a1b2c3d', cluster)).toBe(
      'DROP TABLE IF EXISTS waymark.t__old_0a1b2c3d ON CLUSTER main',
    );
    expect(renderStatement('RENAME TABLE {db}.a TO {db}.b', cluster)).toBe(
      'RENAME TABLE waymark.a TO waymark.b ON CLUSTER main',
    );
  });

  it('leaves data statements alone: an insert on one replica reaches the others', () => {
    const insert = 'INSERT INTO {db}.t SELECT x FROM {db}.u';
    expect(renderStatement(insert, cluster)).toBe('INSERT INTO waymark.t SELECT x FROM waymark.u');
  });

  it('refuses names that are not plain identifiers', () => {
    expect(() => renderStatement('SELECT 1', { database: 'w; DROP' })).toThrow(/identifier/);
    expect(() => renderStatement('SELECT 1', { database: 'w', cluster: "c' --" })).toThrow(
      /identifier/,
    );
  });
});

describe('every migration statement on a cluster', () => {
  const statements = renderedStatements(cluster);

  it('runs every DDL statement ON CLUSTER and creates only Replicated tables', () => {
    expect(statements.length).toBeGreaterThan(10);
    for (const sql of statements) {
      expect(sql).not.toContain('{db}');
      if (/^\s*(CREATE|ALTER|DROP|RENAME)\b/.test(sql))
        expect(sql, sql).toContain(' ON CLUSTER main');
      for (const [, engine] of sql.matchAll(/ENGINE = (\w+)/g)) {
        expect(engine, sql).toMatch(/^Replicated\w*MergeTree$/);
      }
    }
    const creates = statements.filter((s) => s.startsWith('CREATE TABLE'));
    expect(creates.length).toBeGreaterThanOrEqual(5);
  });

  it('is unchanged SQL for a single server, but for the database name', () => {
    for (const sql of renderedStatements(single)) {
      expect(sql).not.toContain('ON CLUSTER');
      expect(sql).not.toContain('Replicated');
    }
  });
});
