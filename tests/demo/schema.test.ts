import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  buildSchema,
  type GraphQLNamedType,
  type GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  parse,
  validate,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema as demoSchema, PERSISTED_QUERIES, VALIDATION_RULES } from '../../demo/api/schema';
import type { DemoInstance } from '../../demo/instance';
import { type GraphqlResponse, graphql, start } from './helpers';

/** DS's official schema, next to the repository (never copied into it). */
const OFFICIAL_PATH = resolve(import.meta.dirname, '../../../shared/ds/schema.graphql');
const official: GraphQLSchema | null = existsSync(OFFICIAL_PATH)
  ? buildSchema(readFileSync(OFFICIAL_PATH, 'utf8'))
  : null;
if (!official) {
  console.warn(`\n⚠  ${OFFICIAL_PATH} is absent: the checks against DS's official schema are skipped.\n`);
}

/** Every difference that makes `subset` not a strict subset of `full` (names and types). */
function subsetProblems(subset: GraphQLSchema, full: GraphQLSchema): string[] {
  const problems: string[] = [];
  const kind = (t: GraphQLNamedType) => t.constructor.name;
  for (const type of Object.values(subset.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const other = full.getType(type.name);
    if (!other) {
      problems.push(`type ${type.name} is not in DS's schema`);
      continue;
    }
    if (kind(other) !== kind(type)) problems.push(`${type.name} is a ${kind(type)}, DS has a ${kind(other)}`);
    if ((isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) && 'getFields' in other) {
      const otherFields = other.getFields() as Record<
        string,
        { type: unknown; args?: ReadonlyArray<{ name: string; type: unknown }> }
      >;
      for (const field of Object.values(type.getFields())) {
        const theirs = otherFields[field.name];
        if (!theirs) {
          problems.push(`${type.name}.${field.name} is not in DS's schema`);
          continue;
        }
        if (String(theirs.type) !== String(field.type))
          problems.push(`${type.name}.${field.name}: ${field.type} ≠ ${theirs.type}`);
        for (const arg of 'args' in field ? field.args : []) {
          const theirArg = theirs.args?.find((a) => a.name === arg.name);
          if (!theirArg) problems.push(`${type.name}.${field.name}(${arg.name}) is not in DS's schema`);
          else if (String(theirArg.type) !== String(arg.type))
            problems.push(`${type.name}.${field.name}(${arg.name}): ${arg.type} ≠ ${theirArg.type}`);
        }
      }
    }
    if ((isObjectType(type) || isInterfaceType(type)) && (isObjectType(other) || isInterfaceType(other))) {
      for (const iface of type.getInterfaces()) {
        if (!other.getInterfaces().some((i) => i.name === iface.name))
          problems.push(`${type.name} implements ${iface.name}`);
      }
    }
    if (isEnumType(type) && isEnumType(other)) {
      for (const value of type.getValues())
        if (!other.getValue(value.name)) problems.push(`${type.name}.${value.name}`);
    }
    if (isUnionType(type) && isUnionType(other)) {
      for (const member of type.getTypes())
        if (!other.getTypes().some((m) => m.name === member.name)) problems.push(`${type.name} | ${member.name}`);
    }
  }
  return problems;
}

describe('the demo schema', () => {
  it.skipIf(!official)('is a strict subset of DS’s official schema', () => {
    expect(subsetProblems(demoSchema, official!)).toEqual([]);
  });

  it('keeps what the extension relies on', () => {
    const dossier = demoSchema.getType('Dossier');
    const descriptor = demoSchema.getType('DemarcheDescriptor');
    expect(isObjectType(dossier) && Object.keys(dossier.getFields())).toEqual(
      expect.arrayContaining([
        'dateExpiration',
        'dateDerniereModification',
        'champs',
        'annotations',
        'messages',
        'avis',
        'pdf',
      ]),
    );
    expect(isObjectType(descriptor) && descriptor.getFields().dureeConservationDossiers?.type.toString()).toBe('Int!');
  });

  it('validates its persisted query ds-query-v2', () => {
    expect(validate(demoSchema, PERSISTED_QUERIES['ds-query-v2']!, VALIDATION_RULES)).toEqual([]);
  });

  it('rejects queries deeper than 15 levels, as DS does', () => {
    const nested = (depth: number): string =>
      depth === 0 ? 'id' : `champDescriptors { ... on RepetitionChampDescriptor { ${nested(depth - 1)} } }`;
    const query = (depth: number) => parse(`{ demarche(number: 1) { activeRevision { ${nested(depth)} } } }`);
    expect(validate(demoSchema, query(12), VALIDATION_RULES)).toEqual([]);
    expect(validate(demoSchema, query(14), VALIDATION_RULES).map((e) => e.message)).toEqual([
      'Query has depth of 17, which exceeds max depth of 15',
    ]);
  });
});

describe('a client that knows only DS’s official schema', () => {
  let demo: DemoInstance;
  beforeAll(async () => {
    demo = await start({ demarches: 1, dossiers: 250 });
  });
  afterAll(() => demo.close());

  const QUERY = `query page($number: Int!, $after: String) {
    demarche(number: $number) {
      dossiers(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes { id number state dateDepot dateDerniereModification dateExpiration demarche { dureeConservationDossiers } }
      }
    }
  }`;

  it.skipIf(!official)('writes its query against DS’s schema and pages through every dossier', async () => {
    expect(validate(official!, parse(QUERY))).toEqual([]);
    const numbers: number[] = [];
    let after: string | null = null;
    let pages = 0;
    type Connection = { pageInfo: { hasNextPage: boolean; endCursor: string }; nodes: Array<{ number: number }> };
    do {
      const response: GraphqlResponse<{ demarche: { dossiers: Connection } }> = await graphql(demo, {
        query: QUERY,
        variables: { number: demo.demarches[0]!.number, after },
      });
      const connection = response.body.data!.demarche.dossiers;
      expect(connection.nodes.length).toBeLessThanOrEqual(100);
      numbers.push(...connection.nodes.map((n) => n.number));
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    const visible = demo.admin.dossiers({ demarche: demo.demarches[0]!.number }).filter((d) => d.visible);
    expect(pages).toBe(Math.ceil(visible.length / 100));
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.sort()).toEqual(visible.map((d) => d.number).sort());
  });
});
