// Proves prisma/schema.prisma (what the generated client believes) and prisma/migrations (what the
// database really is) agree. On a freshly migrated database, for every model in the schema's DMMF:
// its table, columns (type, nullability), enums, indexes and foreign keys exist as declared; a row
// with every field set, and a row with only the required ones, are written through Prisma and read
// back unchanged. Generic over models, so a model or field added to schema.prisma without a
// migration fails here. Also checks that the database enforces its own CHECK constraints.
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/db/migrate.js';
import { Prisma, PrismaClient } from '../../src/generated/prisma/client.js';
import { loadDatamodel, type Datamodel } from '../helpers/prismaDatamodel.js';
import { openScratchDatabase, type ScratchDatabase } from '../helpers/scratchDatabase.js';

type Model = Datamodel['models'][number];
type Field = Model['fields'][number];

/**
 * Values for fields whose database CHECK constraint a generic sample would violate
 * ("Model.field" → value for the n-th sample). Add one here when a new CHECK needs it.
 */
const SAMPLES: Record<string, (n: number) => unknown> = {
  'User.email': (n) => `round.trip.${n}@example.com`,
  'User.phone': (n) => `+1555${String(n).padStart(7, '0')}`,
};

let db: ScratchDatabase;
let pool: pg.Pool;
let prisma: PrismaClient;
let datamodel: Datamodel;

beforeAll(async () => {
  [db, datamodel] = await Promise.all([openScratchDatabase(), loadDatamodel()]);
  await migrate(db.url);
  pool = new pg.Pool({ connectionString: db.url, max: 3 });
  prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  await db?.close();
});

const tableOf = (model: Model) => model.dbName ?? model.name;
const columnOf = (field: Field) => field.dbName ?? field.name;
/** Fields stored in the model's own table (scalars and enums; relation fields are not columns). */
const columnsOf = (model: Model) => model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum');
const enumOf = (name: string) => datamodel.enums.find((e) => e.name === name)!;
const quoteIdent = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);

async function sql<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> {
  return (await pool.query<T>(text, values)).rows;
}

// ---- the database type Prisma expects for a field (as PostgreSQL's format_type() prints it) ----

const DEFAULT_TYPES: Record<string, string> = {
  String: 'text',
  Int: 'integer',
  BigInt: 'bigint',
  Float: 'double precision',
  Decimal: 'numeric(65,30)',
  Boolean: 'boolean',
  DateTime: 'timestamp(3) without time zone',
  Json: 'jsonb',
  Bytes: 'bytea',
};

const withArgs = (name: string, args: readonly string[]) => (args.length ? `${name}(${args.join(',')})` : name);
const NATIVE_TYPES: Record<string, (args: readonly string[]) => string> = {
  Text: () => 'text',
  Uuid: () => 'uuid',
  VarChar: (a) => withArgs('character varying', a),
  Char: (a) => withArgs('character', a),
  Citext: () => 'citext',
  Inet: () => 'inet',
  SmallInt: () => 'smallint',
  Integer: () => 'integer',
  BigInt: () => 'bigint',
  Real: () => 'real',
  DoublePrecision: () => 'double precision',
  Decimal: (a) => withArgs('numeric', a),
  Money: () => 'money',
  Boolean: () => 'boolean',
  Date: () => 'date',
  Timestamp: (a) => `${withArgs('timestamp', a)} without time zone`,
  Timestamptz: (a) => `${withArgs('timestamp', a)} with time zone`,
  Json: () => 'json',
  JsonB: () => 'jsonb',
  ByteA: () => 'bytea',
};

function expectedType(field: Field): string {
  let base: string | undefined;
  if (field.kind === 'enum') base = quoteIdent(enumOf(field.type).dbName ?? field.type);
  else if (field.nativeType) {
    const [name, args] = field.nativeType as unknown as [string, string[]];
    base = NATIVE_TYPES[name]?.(args);
    if (!base) throw new Error(`@db.${name} is not mapped in test/db/schemaAgreement.test.ts NATIVE_TYPES`);
  } else base = DEFAULT_TYPES[field.type];
  if (!base) throw new Error(`${field.type} is not mapped in test/db/schemaAgreement.test.ts DEFAULT_TYPES`);
  return field.isList ? `${base}[]` : base;
}

// ---- sample rows ----

let serial = 0;
function sample(model: Model, field: Field): unknown {
  serial += 1;
  const special = SAMPLES[`${model.name}.${field.name}`];
  if (special) return special(serial);
  if (field.kind === 'enum') {
    // Every value for a list; otherwise the last value, which is the least likely to be the default.
    const values = enumOf(field.type).values.map((v) => v.name);
    return field.isList ? values : values.at(-1);
  }
  return field.isList ? [scalarSample(field, serial), scalarSample(field, serial + 1000)] : scalarSample(field, serial);
}

function scalarSample(field: Field, n: number): unknown {
  const [native, args = []] = (field.nativeType ?? []) as unknown as [string?, string[]?];
  switch (field.type) {
    case 'String':
      if (native === 'Uuid') return randomUUID();
      return `${field.name} #${n}: ünïcødé ✓ 'quoted'`.slice(0, Number(args[0] ?? Infinity));
    case 'Boolean':
      return field.default !== true;
    case 'Int':
      return 100_000 + n;
    case 'BigInt':
      return 2n ** 62n + BigInt(n); // far beyond 2^53: a float or int4 column would not round-trip
    case 'Float':
      return n + 0.25;
    case 'Decimal':
      return new Prisma.Decimal(`${n}.125`);
    case 'DateTime': {
      if (native === 'Date') return new Date(Date.UTC(2031, 1, 3 + n));
      const ms = Number(args[0] ?? 3) >= 3 ? 789 : 0;
      return new Date(Date.UTC(2031, 1, 3, 4, 5, 6, ms) + n * 1000);
    }
    case 'Json':
      return { n, list: ['x', 1.5, true, null] };
    case 'Bytes':
      return Uint8Array.from([0, 255, n % 256]);
  }
  throw new Error(`no sample value for ${field.type}: add one in test/db/schemaAgreement.test.ts scalarSample()`);
}

/** A form that compares equal only when the values are the same (type included). */
function comparable(value: unknown): unknown {
  if (value instanceof Date) return `Date ${value.toISOString()}`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return `bytes ${Buffer.from(value).toString('hex')}`;
  if (Prisma.Decimal.isDecimal(value)) return `Decimal ${value.toString()}`;
  if (Array.isArray(value)) return value.map(comparable);
  return value;
}

/** Models ordered so that each comes after the models its foreign keys point at (users → sessions → refresh_tokens). */
function creationOrder(models: readonly Model[]): Model[] {
  const parents = (m: Model) => m.fields.filter((f) => f.kind === 'object' && f.relationFromFields?.length && f.type !== m.name);
  const ordered: Model[] = [];
  while (ordered.length < models.length) {
    const next = models.find((m) => !ordered.includes(m) && parents(m).every((f) => ordered.some((o) => o.name === f.type)));
    if (!next) throw new Error('foreign keys form a cycle; teach creationOrder() to break it');
    ordered.push(next);
  }
  return ordered;
}

/**
 * Data for one row: foreign keys point at the rows already made for the parent models; `full`
 * sets every field (optional ones, ones with defaults), otherwise only what Prisma requires.
 */
function rowData(model: Model, parents: Map<string, Record<string, unknown>>, full: boolean): Record<string, unknown> {
  const foreignKeys = new Map<string, unknown>();
  for (const relation of model.fields.filter((f) => f.kind === 'object' && f.relationFromFields?.length)) {
    if (!full && !relation.isRequired) continue;
    const parent = parents.get(relation.type);
    if (!parent) throw new Error(`${model.name}.${relation.name}: no ${relation.type} row to point at`);
    relation.relationFromFields!.forEach((from, i) => foreignKeys.set(from, parent[relation.relationToFields![i]!]));
  }
  const data: Record<string, unknown> = {};
  for (const field of columnsOf(model)) {
    if (foreignKeys.has(field.name)) data[field.name] = foreignKeys.get(field.name);
    else if (full) {
      const dflt = field.default as { name?: string } | undefined;
      if (!field.isGenerated && dflt?.name !== 'autoincrement' && dflt?.name !== 'sequence') data[field.name] = sample(model, field);
    } else if (field.isRequired && !field.hasDefaultValue && !field.isUpdatedAt && !field.isList && !field.isReadOnly) {
      data[field.name] = sample(model, field);
    }
  }
  return data;
}

interface Delegate {
  create(args: { data: Record<string, unknown> }): Promise<Record<string, unknown>>;
  findUniqueOrThrow(args: { where: Record<string, unknown> }): Promise<Record<string, unknown>>;
}
const delegateOf = (model: Model) =>
  (prisma as unknown as Record<string, Delegate>)[model.name.charAt(0).toLowerCase() + model.name.slice(1)]!;

function uniqueWhere(model: Model, row: Record<string, unknown>): Record<string, unknown> {
  const ids = model.fields.filter((f) => f.isId).map((f) => f.name);
  if (ids.length === 1) return { [ids[0]!]: row[ids[0]!] };
  const pk = model.primaryKey;
  if (!pk) throw new Error(`${model.name} has no primary key`);
  return { [pk.name ?? pk.fields.join('_')]: Object.fromEntries(pk.fields.map((f) => [f, row[f]])) };
}

// ---- the tests ----

describe('prisma/schema.prisma and prisma/migrations', () => {
  it('the generated client is current with schema.prisma (else run `npm run generate`)', () => {
    const stale = 'src/generated/prisma is older than prisma/schema.prisma: run `npm run generate`';
    expect(Object.keys(Prisma.ModelName), stale).toEqual(datamodel.models.map((m) => m.name));
    for (const model of datamodel.models) {
      const generated = (Prisma as unknown as Record<string, object | undefined>)[`${model.name}ScalarFieldEnum`];
      expect(Object.keys(generated ?? {}), `${model.name}: ${stale}`).toEqual(columnsOf(model).map((f) => f.name));
    }
  });

  it('every model has its table, and every table (but the migration history) a model', async () => {
    const tables = await sql<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> '_prisma_migrations'`,
    );
    expect(tables.map((t) => t.name).sort()).toEqual(datamodel.models.map(tableOf).sort());
  });

  it('every table has exactly the model’s columns, with the type and nullability the schema declares', async () => {
    const columns = await sql<{ table: string; column: string; type: string; not_null: boolean }>(
      `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
    );
    for (const model of datamodel.models) {
      const actual = columns
        .filter((c) => c.table === tableOf(model))
        .map((c) => ({ column: c.column, type: c.type, notNull: c.not_null }))
        .sort((a, b) => a.column.localeCompare(b.column));
      const expected = columnsOf(model)
        .map((f) => ({
          column: columnOf(f),
          type: expectedType(f),
          // PostgreSQL arrays are never "optional" in Prisma, so their NULL-ability is the migration's choice.
          notNull: f.isList ? (actual.find((c) => c.column === columnOf(f))?.notNull ?? true) : f.isRequired,
        }))
        .sort((a, b) => a.column.localeCompare(b.column));
      expect(actual, `columns of ${tableOf(model)} (model ${model.name})`).toEqual(expected);
    }
  });

  it('every @default the database must supply is a column default with the same value', async () => {
    // Prisma sends uuid()/cuid() values and literal defaults itself, so a round trip through Prisma
    // cannot see a missing DEFAULT; raw SQL, other tools and later migrations would.
    const defaults = await sql<{ table: string; column: string; expr: string | null }>(
      `SELECT c.relname AS table, a.attname AS column, pg_get_expr(d.adbin, d.adrelid) AS expr
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`,
    );
    const CLIENT_SIDE = ['uuid', 'cuid', 'nanoid', 'ulid'];
    for (const model of datamodel.models) {
      for (const field of columnsOf(model).filter((f) => f.hasDefaultValue)) {
        const dflt = field.default as unknown;
        const fn = typeof dflt === 'object' && dflt !== null && !Array.isArray(dflt) ? (dflt as { name: string }).name : undefined;
        if (fn && CLIENT_SIDE.includes(fn)) continue;
        const label = `${model.name}.${field.name} @default(${fn ? `${fn}()` : JSON.stringify(dflt)})`;
        const expr = defaults.find((d) => d.table === tableOf(model) && d.column === columnOf(field))?.expr;
        expect(expr, `${label}: the column has no DEFAULT`).toBeTruthy();
        if (fn === 'now') expect(expr, label).toMatch(/now\(\)|CURRENT_TIMESTAMP/i);
        if (fn === undefined && (field.kind === 'enum' || ['String', 'Int', 'BigInt', 'Float', 'Decimal', 'Boolean'].includes(field.type))) {
          const asText = Array.isArray(dflt) ? `{${dflt.join(',')}}` : String(dflt);
          const [{ value }] = (await sql<{ value: string }>(`SELECT (${expr})::text AS value`)) as [{ value: string }];
          expect(value, label).toBe(asText);
        }
      }
    }
  });

  it('every enum has the same values in the same order', async () => {
    const enums = await sql<{ name: string; values: string[] }>(
      `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = current_schema() GROUP BY t.typname`,
    );
    const expected = datamodel.enums.map((e) => ({ name: e.dbName ?? e.name, values: e.values.map((v) => v.dbName ?? v.name) }));
    expect(enums.sort((a, b) => a.name.localeCompare(b.name))).toEqual(expected.sort((a, b) => a.name.localeCompare(b.name)));
  });

  it('every @id, @unique and @@index of the schema exists as an index (the database may have more)', async () => {
    const indexes = await sql<{ table: string; name: string; unique: boolean; primary: boolean; columns: string[]; descending: boolean[] }>(
      `SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary,
              array(SELECT pg_get_indexdef(ix.indexrelid, k + 1, true) FROM generate_series(0, ix.indnkeyatts - 1) k ORDER BY k) AS columns,
              array(SELECT (ix.indoption[k] & 1) = 1 FROM generate_series(0, ix.indnkeyatts - 1) k ORDER BY k) AS descending
       FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = current_schema() AND ix.indpred IS NULL`,
    );
    for (const index of datamodel.indexes) {
      const model = datamodel.models.find((m) => m.name === index.model)!;
      const columns = index.fields.map((f) => quoteIdent(columnOf(model.fields.find((x) => x.name === f.name)!)));
      const wanted = {
        table: tableOf(model),
        unique: index.type !== 'normal' && index.type !== 'fulltext',
        primary: index.type === 'id',
        columns,
        descending: index.fields.map((f) => f.sortOrder === 'desc'),
      };
      const found = indexes.filter((i) =>
        JSON.stringify([i.table, i.unique, i.primary, i.columns, i.descending]) ===
        JSON.stringify([wanted.table, wanted.unique, wanted.primary, wanted.columns, wanted.descending]),
      );
      expect(found, `${index.type} index on ${model.name}(${index.fields.map((f) => f.name).join(', ')})`).toHaveLength(1);
    }
  });

  it('every relation has its foreign key, with the schema’s referential actions', async () => {
    const ACTIONS: Record<string, string> = { a: 'NoAction', r: 'Restrict', c: 'Cascade', n: 'SetNull', d: 'SetDefault' };
    const keys = await sql<{ table: string; columns: string[]; ref_table: string; ref_columns: string[]; on_delete: string; on_update: string }>(
      `SELECT src.relname AS table, dst.relname AS ref_table, con.confdeltype AS on_delete, con.confupdtype AS on_update,
              array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(attnum, i)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.i) AS columns,
              array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(attnum, i)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.i) AS ref_columns
       FROM pg_constraint con JOIN pg_class src ON src.oid = con.conrelid JOIN pg_class dst ON dst.oid = con.confrelid
       JOIN pg_namespace n ON n.oid = src.relnamespace
       WHERE con.contype = 'f' AND n.nspname = current_schema()`,
    );
    const expected = datamodel.models.flatMap((model) =>
      model.fields
        .filter((f) => f.kind === 'object' && f.relationFromFields?.length)
        .map((relation) => {
          const target = datamodel.models.find((m) => m.name === relation.type)!;
          const column = (m: Model, name: string) => columnOf(m.fields.find((f) => f.name === name)!);
          return {
            table: tableOf(model),
            columns: relation.relationFromFields!.map((f) => column(model, f)),
            ref_table: tableOf(target),
            ref_columns: relation.relationToFields!.map((f) => column(target, f)),
            // Prisma's defaults when the schema does not say.
            on_delete: relation.relationOnDelete ?? (relation.isRequired ? 'Restrict' : 'SetNull'),
            on_update: (relation as { relationOnUpdate?: string }).relationOnUpdate ?? 'Cascade',
          };
        }),
    );
    const actual = keys.map((k) => ({ ...k, on_delete: ACTIONS[k.on_delete], on_update: ACTIONS[k.on_update] }));
    const byKey = (a: { table: string; columns: string[] }, b: { table: string; columns: string[] }) =>
      `${a.table}.${a.columns}`.localeCompare(`${b.table}.${b.columns}`);
    expect(actual.sort(byKey)).toEqual(expected.sort(byKey));
  });

  it('a row with every field set, and one with only the required fields, round-trip through Prisma for every model', async () => {
    const order = creationOrder(datamodel.models);
    const parents = new Map<string, Record<string, unknown>>();
    for (const model of order) {
      const delegate = delegateOf(model);

      const full = rowData(model, parents, true);
      const created = await delegate.create({ data: full });
      const read = await delegate.findUniqueOrThrow({ where: uniqueWhere(model, created) });
      for (const field of columnsOf(model)) {
        if (field.name in full) expect(comparable(read[field.name]), `${model.name}.${field.name}`).toEqual(comparable(full[field.name]));
        else expect(read[field.name], `${model.name}.${field.name} (generated)`).not.toBeNull();
      }
      parents.set(model.name, read);

      const minimal = rowData(model, parents, false);
      const createdMinimal = await delegate.create({ data: minimal });
      const readMinimal = await delegate.findUniqueOrThrow({ where: uniqueWhere(model, createdMinimal) });
      for (const field of columnsOf(model)) {
        const label = `${model.name}.${field.name} (not set on create)`;
        const value = readMinimal[field.name];
        if (field.name in minimal) expect(comparable(value), `${model.name}.${field.name}`).toEqual(comparable(minimal[field.name]));
        else if (field.hasDefaultValue && (typeof field.default !== 'object' || Array.isArray(field.default))) {
          expect(comparable(value), `${label}: @default`).toEqual(comparable(field.default));
        } else if (field.hasDefaultValue || field.isUpdatedAt) expect(value, `${label}: @default`).not.toBeNull();
        else if (field.isList) expect(value, label).toEqual([]);
        else expect(value, label).toBeNull();
      }
    }
  });
});

describe('CHECK constraints', () => {
  it('users.email must be stored lower-case (error 23514), and the lower-case form is accepted', async () => {
    const insert = (email: string) =>
      pool.query(`INSERT INTO users (email, password_hash, display_name) VALUES ($1, 'hash', 'Check')`, [email]);
    await expect(insert('Upper.Case@Example.com')).rejects.toMatchObject({ code: '23514' });
    await expect(insert('upper.case@example.com')).resolves.toMatchObject({ rowCount: 1 });
  });
});
