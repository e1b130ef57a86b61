import { describe, expect, it } from 'vitest';
import { SqlParams } from './params.js';

describe('SqlParams', () => {
  it('gives each value a typed placeholder and keeps the value out of the SQL', () => {
    const p = new SqlParams();
    const sql = `project_id = ${p.string("p1' OR 1=1 --", 'project')} AND day >= ${p.date('2026-11-01', 'start')}`;
    expect(sql).toBe('project_id = {project_0:String} AND day >= {start_1:Date}');
    expect(p.values).toEqual({ project_0: "p1' OR 1=1 --", start_1: '2026-11-01' });
  });

  it('reuses the name of a value bound twice with the same type, never across types', () => {
    const p = new SqlParams();
    expect(p.string('x', 'a')).toBe('{a_0:String}');
    expect(p.string('x', 'b')).toBe('{a_0:String}');
    expect(p.strings(['x'])).toBe('{v_1:Array(String)}');
    expect(p.uint32(5)).toBe('{v_2:UInt32}');
    expect(p.float64(5)).toBe('{v_3:Float64}');
    expect(Object.keys(p.values)).toHaveLength(4);
  });

  it('names values from composed builders apart, whatever hints they chose', () => {
    const p = new SqlParams();
    const inner = (value: string) => `SELECT ${p.string(value, 'v')}`;
    const outer = `${inner('one')} UNION ALL ${inner('two')} UNION ALL ${p.string('three', 'v')}`;
    expect(outer).toBe('SELECT {v_0:String} UNION ALL SELECT {v_1:String} UNION ALL {v_2:String}');
    expect(p.query(outer)).toEqual({
      query: outer,
      params: { v_0: 'one', v_1: 'two', v_2: 'three' },
    });
  });

  it('binds times as UTC and checks the shape of every typed value', () => {
    const p = new SqlParams();
    expect(p.dateTime('2026-11-01 00:00:00')).toBe("{v_0:DateTime('UTC')}");
    expect(() => p.dateTime('2026-11-01')).toThrow();
    expect(() => p.date('2026-11-01 00:00:00')).toThrow();
    expect(() => p.uint32(-1)).toThrow();
    expect(() => p.uint32(1.5)).toThrow();
    expect(() => p.uint32(2 ** 32)).toThrow();
    expect(() => p.float64(Number.NaN)).toThrow();
    expect(() => p.float64(Number.POSITIVE_INFINITY)).toThrow();
  });

  it('refuses hints that are not plain names', () => {
    const p = new SqlParams();
    expect(() => p.string('x', 'a:String} OR {b')).toThrow();
    expect(() => p.string('x', '')).toThrow();
  });
});
