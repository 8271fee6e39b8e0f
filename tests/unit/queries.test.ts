import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildSchema,
  type FieldNode,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
  validate,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import * as queries from '@/lib/ds/queries';
import {
  buildDescribeQuery,
  buildDossierQuery,
  buildPollQuery,
  buildProbeQuery,
  buildScanQuery,
  type DossierNode,
  demarcheAlias,
  demarcheOfAlias,
  dossierLabel,
  type GraphQLRequest,
  type PollTarget,
} from '@/lib/ds/queries';

/** DS's official schema, next to the repository (never copied into it). */
const SCHEMA_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/ds/schema.graphql');
const SINCE = '2025-01-01T00:00:00Z';
const FIVE = [104532, 104533, 98001, 7, 120000];

const firstRound = (number: number): PollTarget => ({
  number,
  dossiers: { since: SINCE, after: null },
  pendingDeleted: { since: SINCE, after: null },
  deleted: { since: SINCE, after: null },
});

/** Every document Archiviste can send, by the builder that makes it. */
const SAMPLES: Record<string, Record<string, GraphQLRequest>> = {
  buildPollQuery: {
    'poll of 1 démarche': buildPollQuery([firstRound(104532)]),
    'poll of 5 démarches': buildPollQuery(FIVE.map(firstRound)),
    'poll round with only the connections that have more pages': buildPollQuery(
      [
        { number: 104532, dossiers: { since: SINCE, after: 'MjAyNS0wMS0wMVQwMDowMDowMFo7MTI=' } },
        { number: 104533, pendingDeleted: { since: SINCE, after: 'c2' } },
        { number: 7, deleted: { since: SINCE, after: 'c3' } },
      ],
      25,
    ),
  },
  buildScanQuery: {
    'scan, first page': buildScanQuery(104532, null),
    'scan, next page': buildScanQuery(104532, 'MjAyNS0wMS0wMVQwMDowMDowMFo7MTI='),
  },
  buildDossierQuery: { dossier: buildDossierQuery(2351204) },
  buildDescribeQuery: {
    'describe 1 démarche': buildDescribeQuery([104532]),
    'describe 5 démarches': buildDescribeQuery(FIVE),
  },
  buildProbeQuery: {
    'token probe without démarche': buildProbeQuery([]),
    'token probe of 1 démarche': buildProbeQuery([104532]),
    'token probe of 5 démarches': buildProbeQuery(FIVE),
  },
};

function operationOf(query: string): OperationDefinitionNode {
  const operations = parse(query).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  expect(operations).toHaveLength(1);
  return operations[0] as OperationDefinitionNode;
}

function rootField(query: string, alias: string): FieldNode {
  const field = operationOf(query).selectionSet.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && (s.alias ?? s.name).value === alias,
  );
  if (!field) throw new Error(`no root field ${alias}`);
  return field;
}

/** Sub-fields of a field or operation, as `alias:name` (fragment spreads as `...Name`). */
function subFields(node: { selectionSet?: SelectionSetNode }): string[] {
  return (node.selectionSet?.selections ?? []).map((s) =>
    s.kind === Kind.FIELD
      ? `${s.alias?.value ?? s.name.value}:${s.name.value}`
      : `...${'name' in s ? s.name.value : ''}`,
  );
}

const schemaSdl = existsSync(SCHEMA_PATH) ? readFileSync(SCHEMA_PATH, 'utf8') : null;

if (schemaSdl) {
  const schema = buildSchema(schemaSdl);

  describe(`documents, validated against DS's schema (${SCHEMA_PATH})`, () => {
    it('cover every document builder', () => {
      const builders = Object.keys(queries).filter((name) => name.startsWith('build'));
      expect(Object.keys(SAMPLES).sort()).toEqual(builders.sort());
    });

    const cases = Object.values(SAMPLES).flatMap((byCase) => Object.entries(byCase));
    it.each(cases)('%s', (_name, { query, variables }) => {
      const errors = validate(schema, parse(query)).map((e) => e.message);
      expect(errors).toEqual([]);
      const definitions = operationOf(query).variableDefinitions ?? [];
      expect(Object.keys(variables).sort()).toEqual(definitions.map((d) => d.variable.name.value).sort());
      const coerced = getVariableValues(schema, definitions, variables);
      expect(coerced.errors?.map((e) => e.message)).toBeUndefined();
    });

    it('catches a field DS does not have', () => {
      const broken = buildScanQuery(1, null).query.replace('dateExpiration', 'expiresAt');
      expect(validate(schema, parse(broken)).map((e) => e.message)).toEqual([
        'Cannot query field "expiresAt" on type "Dossier".',
      ]);
    });
  });
} else {
  describe("DS's schema", () => {
    it(`is at ${SCHEMA_PATH}, or the GraphQL documents go unchecked (fatal on CI)`, () => {
      console.warn(
        `\n${'!'.repeat(72)}\n! DS's schema is missing at ${SCHEMA_PATH}:\n! the GraphQL documents were NOT validated. Put it back before merging.\n${'!'.repeat(72)}\n`,
      );
      expect(process.env.CI, `DS's schema is missing at ${SCHEMA_PATH}`).not.toBe('true');
    });
  });
}

describe('poll document', () => {
  it('asks each démarche under its own alias, with its own variables', () => {
    const { query, variables } = buildPollQuery([
      { ...firstRound(104532), dossiers: { since: SINCE, after: 'cursor-a' } },
      firstRound(7),
    ]);
    expect(operationOf(query).name?.value).toBe('ArchivistePoll');
    expect(rootField(query, 'd104532').name.value).toBe('demarche');
    expect(subFields(rootField(query, 'd7'))).toEqual([
      '...DemarcheFields',
      'dossiers:dossiers',
      'pendingDeleted:pendingDeletedDossiers',
      'deleted:deletedDossiers',
    ]);
    expect(variables).toEqual({
      first: 100,
      d104532_number: 104532,
      d104532_dossiersSince: SINCE,
      d104532_dossiersAfter: 'cursor-a',
      d104532_pendingDeletedSince: SINCE,
      d104532_pendingDeletedAfter: null,
      d104532_deletedSince: SINCE,
      d104532_deletedAfter: null,
      d7_number: 7,
      d7_dossiersSince: SINCE,
      d7_dossiersAfter: null,
      d7_pendingDeletedSince: SINCE,
      d7_pendingDeletedAfter: null,
      d7_deletedSince: SINCE,
      d7_deletedAfter: null,
    });
  });

  it('asks only for the connections a later round still needs', () => {
    const { query, variables } = buildPollQuery(
      [
        { number: 1, dossiers: { since: SINCE, after: 'c1' } },
        { number: 2, deleted: { since: SINCE, after: 'c2' } },
      ],
      40,
    );
    expect(subFields(rootField(query, 'd1'))).toEqual(['...DemarcheFields', 'dossiers:dossiers']);
    expect(subFields(rootField(query, 'd2'))).toEqual(['...DemarcheFields', 'deleted:deletedDossiers']);
    expect(variables).toEqual({
      first: 40,
      d1_number: 1,
      d1_dossiersSince: SINCE,
      d1_dossiersAfter: 'c1',
      d2_number: 2,
      d2_deletedSince: SINCE,
      d2_deletedAfter: 'c2',
    });
    expect(query).toContain('fragment DossierFields');
    expect(query).toContain('fragment DeletedDossierFields');
  });

  it('appends only the fragments it spreads', () => {
    const { query } = buildPollQuery([{ number: 1, dossiers: { since: SINCE, after: null } }]);
    expect(query).toContain('fragment DossierPage');
    expect(query).not.toContain('fragment DeletedDossier');
    expect(buildProbeQuery([1]).query).not.toContain('fragment Dossier');
  });

  it.each([
    [[0], /Not a démarche number: 0/],
    [[1.5], /Not a démarche number/],
    [[-3], /Not a démarche number/],
    [[12, 12], /listed twice/],
    [[], /at least one démarche/],
  ])('refuses démarches %j', (numbers, error) => {
    expect(() => buildPollQuery(numbers.map(firstRound))).toThrow(error);
  });
});

describe('other documents', () => {
  it('scans one démarche by pages of 100 from a cursor, without updatedSince', () => {
    const { query, variables } = buildScanQuery(104532, 'cursor');
    expect(variables).toEqual({ number: 104532, first: 100, after: 'cursor' });
    expect(query).not.toContain('updatedSince');
    expect(subFields(rootField(query, 'demarche'))).toEqual(['...DemarcheFields', 'dossiers:dossiers']);
  });

  it('reads one dossier with its démarche number', () => {
    const { query, variables } = buildDossierQuery(2351204);
    expect(variables).toEqual({ number: 2351204 });
    expect(subFields(rootField(query, 'dossier'))).toEqual(['...DossierFields', 'demarche:demarche']);
    expect(() => buildDossierQuery(0)).toThrow(/Not a dossier number/);
  });

  it('describes démarches through demarcheDescriptor, one alias each', () => {
    const { query, variables } = buildDescribeQuery([3, 4]);
    expect(rootField(query, 'd3').name.value).toBe('demarcheDescriptor');
    expect(rootField(query, 'd4').name.value).toBe('demarcheDescriptor');
    expect(query).toContain('dureeConservationDossiers');
    expect(variables).toEqual({ d3_number: 3, d4_number: 4 });
  });

  it('probes a token with no démarche through __typename alone', () => {
    const { query, variables } = buildProbeQuery([]);
    expect(subFields(operationOf(query))).toEqual(['__typename:__typename']);
    expect(variables).toEqual({});
  });

  it('round-trips démarche aliases and ignores other response keys', () => {
    expect(demarcheOfAlias(demarcheAlias(104532))).toBe(104532);
    expect(demarcheOfAlias('demarche')).toBeNull();
    expect(demarcheOfAlias('d12x')).toBeNull();
    expect(demarcheOfAlias(3)).toBeNull();
  });
});

describe('dossierLabel', () => {
  const usager = { email: 'camille@example.org' };
  it.each<[string, Pick<DossierNode, 'demandeur' | 'usager'>, string]>([
    [
      'raison sociale',
      { usager, demandeur: { __typename: 'PersonneMorale', entreprise: { raisonSociale: 'ACME SAS' } } },
      'ACME SAS',
    ],
    [
      'first and last name',
      { usager, demandeur: { __typename: 'PersonnePhysique', prenom: 'Jeanne', nom: 'Martin' } },
      'Jeanne Martin',
    ],
    [
      'e-mail without company data',
      { usager, demandeur: { __typename: 'PersonneMorale', entreprise: null } },
      usager.email,
    ],
    ['e-mail for an incomplete SIRET', { usager, demandeur: { __typename: 'PersonneMoraleIncomplete' } }, usager.email],
    [
      'e-mail for an empty name',
      { usager, demandeur: { __typename: 'PersonnePhysique', prenom: '', nom: '' } },
      usager.email,
    ],
  ])('%s', (_case, dossier, label) => {
    expect(dossierLabel(dossier)).toBe(label);
  });
});
