/**
 * The executable schema: the SDL subset of DS's schema (schema.graphql), DS's scalars (Paris-time
 * ISO 8601 dates, BigInt as strings), DS's validation (max depth 15) and the persisted query
 * `ds-query-v2` (persisted-queries.graphql).
 */
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLScalarType,
  Kind,
  OverlappingFieldsCanBeMergedRule,
  parse,
  type SelectionSetNode,
  specifiedRules,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { iso8601, isoDate } from '../time';

const read = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');

export const schema = buildSchema(read('./schema.graphql'));

function parseDateTime(value: unknown): Date {
  const date =
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)
      ? new Date(value)
      : null;
  if (!date || Number.isNaN(date.getTime()))
    throw new GraphQLError(`${JSON.stringify(value)} is not a valid ISO8601DateTime`);
  return date;
}

/** Resolvers return Dates and numbers; the scalars print them as DS (graphql-ruby) does. */
function defineScalar(
  name: string,
  config: Pick<GraphQLScalarType, 'serialize' | 'parseValue' | 'parseLiteral'>,
): void {
  Object.assign(schema.getType(name) as GraphQLScalarType, config);
}

defineScalar('ISO8601DateTime', {
  serialize: (value) => (value instanceof Date ? iso8601(value) : value),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});
defineScalar('ISO8601Date', {
  serialize: (value) => (value instanceof Date ? isoDate(value) : value),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});
defineScalar('BigInt', {
  serialize: (value) => String(value),
  parseValue: (value) => Number(value),
  parseLiteral: (ast) => Number(ast.kind === Kind.INT || ast.kind === Kind.STRING ? ast.value : Number.NaN),
});

/** `ds-query-v2`: DS's stored query, by operation name. */
export const PERSISTED_QUERIES: Record<string, DocumentNode> = {
  'ds-query-v2': parse(read('./persisted-queries.graphql')),
};

const MAX_DEPTH = 15;

/** graphql-ruby's `max_depth 15`. */
const MaxDepthRule: ValidationRule = (context: ValidationContext) => {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of context.getDocument().definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const depthOf = (set: SelectionSetNode | undefined, seen: Set<string>): number => {
    let max = 0;
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.name.value.startsWith('__')) max = Math.max(max, 1 + depthOf(selection.selectionSet, seen));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        max = Math.max(max, depthOf(selection.selectionSet, seen));
      } else if (!seen.has(selection.name.value)) {
        const fragment = fragments.get(selection.name.value);
        max = Math.max(max, depthOf(fragment?.selectionSet, new Set([...seen, selection.name.value])));
      }
    }
    return max;
  };
  return {
    OperationDefinition(node) {
      const depth = depthOf(node.selectionSet, new Set());
      if (depth > MAX_DEPTH) {
        context.reportError(new GraphQLError(`Query has depth of ${depth}, which exceeds max depth of ${MAX_DEPTH}`));
      }
    },
  };
};

/**
 * graphql-ruby accepts same-named fields of different types on sibling concrete types (DS's own
 * stored query selects `value` on every Column type), which graphql-js's overlap rule rejects.
 */
export const VALIDATION_RULES = [
  ...specifiedRules.filter((rule) => rule !== OverlappingFieldsCanBeMergedRule),
  MaxDepthRule,
];
