import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, getVariableValues, Kind, type OperationDefinitionNode, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { EXPORT_BATCH_SIZE, exportDossierRequest, exportDossiersRequest } from '@/lib/ds/queries';

/** DS's official schema, next to the repository (never copied into it), as in queries.test.ts. */
const SCHEMA_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/ds/schema.graphql');
/** The demo's schema: a strict subset of DS's, so the document must run there too. */
const DEMO_SCHEMA_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '../../demo/api/schema.graphql');

const request = exportDossierRequest(2351204);

function operationOf(query: string): OperationDefinitionNode {
  const operations = parse(query).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  expect(operations).toHaveLength(1);
  return operations[0] as OperationDefinitionNode;
}

/** Depth of the deepest field, as DS's `max_depth` counts it. */
function depth(query: string): number {
  const doc = parse(query);
  const fragments = new Map(
    doc.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  // biome-ignore lint/suspicious/noExplicitAny: a walk over graphql-js selection nodes.
  const walk = (selections: readonly any[], level: number): number =>
    Math.max(
      level,
      ...selections.map((s) => {
        if (s.kind === Kind.FIELD) return s.selectionSet ? walk(s.selectionSet.selections, level + 1) : level + 1;
        if (s.kind === Kind.INLINE_FRAGMENT) return walk(s.selectionSet.selections, level);
        return walk(fragments.get(s.name.value)!.selectionSet.selections, level);
      }),
    );
  return walk(operationOf(query).selectionSet.selections, 0);
}

describe('the dossier export document', () => {
  it('asks for one dossier by number, within DS’s depth limit of 15', () => {
    expect(request.variables).toEqual({ number: 2351204 });
    expect(operationOf(request.query).name?.value).toBe('ArchivisteExportDossier');
    expect(depth(request.query)).toBeLessThanOrEqual(15);
    expect(() => exportDossierRequest(0)).toThrow(/Not a dossier number/);
  });

  it('asks every File for what the export verifies', () => {
    const fragment = /fragment ExportFileFields on File \{([^}]*)\}/.exec(request.query)?.[1] ?? '';
    expect(fragment.split(/\s+/).filter(Boolean).sort()).toEqual(
      ['byteSizeBigInt', 'checksum', 'contentType', 'createdAt', 'filename', 'url'].sort(),
    );
    for (const field of ['motivationAttachment', 'attestation', 'pdf', 'messages', 'avis', 'traitements', 'rows']) {
      expect(request.query).toContain(field);
    }
  });

  it('asks a bulk archive’s dossiers in batches, one aliased field each', () => {
    const batch = exportDossiersRequest([11, 12, 13]);
    expect(operationOf(batch.query).name?.value).toBe('ArchivisteExportDossiers');
    expect(Object.values(batch.variables)).toEqual([11, 12, 13]);
    expect(batch.query.match(/\.\.\.ExportDossierFields/g)).toHaveLength(3);
    expect(depth(batch.query)).toBe(depth(request.query));
    const tooMany = Array.from({ length: EXPORT_BATCH_SIZE + 1 }, (_, i) => i + 1);
    expect(() => exportDossiersRequest(tooMany)).toThrow(/At most/);
    expect(() => exportDossiersRequest([4, 4])).toThrow(/twice/);
  });

  const documents = { single: request, batch: exportDossiersRequest([11, 12, 13]) };
  for (const [kind, document] of Object.entries(documents)) {
    it(`(${kind}) is valid against the demo’s schema (a subset of DS’s)`, () => {
      const schema = buildSchema(readFileSync(DEMO_SCHEMA_PATH, 'utf8'));
      expect(validate(schema, parse(document.query)).map((e) => e.message)).toEqual([]);
    });

    it(`(${kind}) is valid against DS's schema (${SCHEMA_PATH}, beside the repository)`, () => {
      expect(existsSync(SCHEMA_PATH), `DS's schema is missing at ${SCHEMA_PATH}`).toBe(true);
      const schema = buildSchema(readFileSync(SCHEMA_PATH, 'utf8'));
      expect(validate(schema, parse(document.query)).map((e) => e.message)).toEqual([]);
      const definitions = operationOf(document.query).variableDefinitions ?? [];
      expect(Object.keys(document.variables).sort()).toEqual(definitions.map((d) => d.variable.name.value).sort());
      expect(getVariableValues(schema, definitions, document.variables).errors).toBeUndefined();
    });
  }
});
