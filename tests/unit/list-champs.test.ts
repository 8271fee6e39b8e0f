import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, getVariableValues, Kind, type OperationDefinitionNode, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DsApiClient } from '@/lib/ds/api';
import { DemarcheUnauthorizedError } from '@/lib/ds/api-errors';
import { RequestBudget } from '@/lib/ds/budget';
import { apiScopeOf, type DossierChamps, listChampsRequest, readTabChamps } from '@/lib/ds/list-champs';

/** DS's official schema, beside the repository (never copied into it), and the demo's subset of it. */
const HERE = dirname(fileURLToPath(import.meta.url));
const SCHEMAS = {
  'DS’s': resolve(HERE, '../../../shared/ds/schema.graphql'),
  'the demo’s': resolve(HERE, '../../demo/api/schema.graphql'),
};
const ORIGIN = 'https://demarche.numerique.gouv.fr';
const TOKEN = 'NmU1Y2E4YjAtZjk0Ny00ZDQ2LWE4ZmEtOTk2MjRkOTNmNWQ3O3NlY3JldA';

describe('the list champs document', () => {
  const request = listChampsRequest(104532, { state: 'en_construction', archived: null }, 'Y3Vyc29y', true);

  it.each(Object.entries(SCHEMAS))('is valid against %s schema, variables included', (_, path) => {
    expect(existsSync(path), `missing schema ${path}`).toBe(true);
    const schema = buildSchema(readFileSync(path, 'utf8'));
    const document = parse(request.query);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
    const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
    const definitions = operation.variableDefinitions ?? [];
    expect(Object.keys(request.variables).sort()).toEqual(definitions.map((d) => d.variable.name.value).sort());
    expect(getVariableValues(schema, definitions, request.variables).errors).toBeUndefined();
  });

  it('asks pages of 100 and refuses what is not a démarche number', () => {
    expect(request.variables).toMatchObject({ number: 104532, first: 100, after: 'Y3Vyc29y', withForm: true });
    expect(() => listChampsRequest(0, { state: null, archived: null }, null, false)).toThrow(/Not a démarche/);
  });

  it('narrows the walk to what each tab can hold, as DS’s by_statut does', () => {
    expect(apiScopeOf('a-suivre')).toEqual({ states: ['en_construction', 'en_instruction'], archived: null });
    expect(apiScopeOf('traites')).toEqual({ states: ['accepte', 'refuse', 'sans_suite'], archived: null });
    expect(apiScopeOf('tous')).toEqual({ states: [null], archived: false });
    expect(apiScopeOf('archives')).toEqual({ states: [null], archived: true });
    expect(apiScopeOf('supprimes')).toBeNull();
  });
});

/** A démarche's dossiers as DS's API pages them (100 a page, by deposit), with the requests it got. */
function fakeDs(
  numbers: Record<string, number[]>,
  answer?: (body: { variables: Record<string, unknown> }) => Response,
) {
  const asked: Record<string, unknown>[] = [];
  const fetch = async (_: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { variables: Record<string, unknown> };
    asked.push(body.variables);
    if (answer) return answer(body);
    const { state, after, withForm } = body.variables;
    const all = numbers[String(state)] ?? [];
    const start = after ? Number(after) : 0;
    const nodes: DossierChamps[] = all.slice(start, start + 100).map((number) => ({
      number,
      champs: [{ __typename: 'TextChamp', champDescriptorId: 'VGV4dA==', label: 'Nom', stringValue: `n${number}` }],
    }));
    const more = start + 100 < all.length;
    const demarche = {
      ...(withForm
        ? {
            activeRevision: { champDescriptors: [{ __typename: 'TextChampDescriptor', id: 'VGV4dA==', label: 'Nom' }] },
          }
        : {}),
      dossiers: { pageInfo: { hasNextPage: more, endCursor: more ? String(start + 100) : null }, nodes },
    };
    return new Response(JSON.stringify({ data: { demarche } }), { headers: { 'content-type': 'application/json' } });
  };
  const client = new DsApiClient({ origin: ORIGIN, token: TOKEN, fetch, budget: new RequestBudget(300) });
  return { client, asked };
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);

describe('readTabChamps', () => {
  it('walks the tab’s states 100 dossiers a request, asks the form once, stops once every dossier is found', async () => {
    const enConstruction = range(1000, 250);
    const enInstruction = range(5000, 120);
    const { client, asked } = fakeDs({ en_construction: enConstruction, en_instruction: enInstruction });
    const wanted = [...enConstruction.slice(0, 180), ...enInstruction.slice(10, 40)];
    const result = await readTabChamps(client, { demarche: 104532, statut: 'a-suivre', dossiers: wanted });
    expect(result.dossiers.map((d) => d.number).sort()).toEqual(wanted.sort());
    expect(result.form).toEqual([{ __typename: 'TextChampDescriptor', id: 'VGV4dA==', label: 'Nom' }]);
    // Every page of en construction (a wanted dossier may be on any), then the first of en instruction
    // holds the last wanted ones: its second page is never asked.
    expect(asked.map((v) => [v.state, v.after, v.withForm])).toEqual([
      ['en_construction', null, true],
      ['en_construction', '100', false],
      ['en_construction', '200', false],
      ['en_instruction', null, false],
    ]);
    expect(result.requests).toBe(4);
  });

  it('leaves out the dossiers DS no longer shows, after walking every page', async () => {
    const { client, asked } = fakeDs({ null: range(1, 150) });
    const result = await readTabChamps(client, { demarche: 104532, statut: 'tous', dossiers: [3, 149, 999] });
    expect(result.dossiers.map((d) => d.number)).toEqual([3, 149]);
    expect(asked.map((v) => v.archived)).toEqual([false, false]);
    expect(result.requests).toBe(2);
  });

  it('sends nothing for the corbeille (hidden from the API) or an empty tab', async () => {
    const { client, asked } = fakeDs({ null: range(1, 10) });
    expect(await readTabChamps(client, { demarche: 104532, statut: 'supprimes', dossiers: [1, 2] })).toEqual({
      form: [],
      dossiers: [],
      requests: 0,
    });
    expect((await readTabChamps(client, { demarche: 104532, statut: 'tous', dossiers: [] })).requests).toBe(0);
    expect(asked).toEqual([]);
  });

  it('throws DS’s refusal (the caller writes the spreadsheet without champs)', async () => {
    const { client } = fakeDs({}, () =>
      Response.json({
        data: null,
        errors: [
          {
            message: 'An object of type Demarche was hidden due to permissions',
            path: ['demarche'],
            extensions: { code: 'unauthorized' },
          },
        ],
      }),
    );
    await expect(readTabChamps(client, { demarche: 104532, statut: 'tous', dossiers: [1] })).rejects.toBeInstanceOf(
      DemarcheUnauthorizedError,
    );
  });
});
