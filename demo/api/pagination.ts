/**
 * DS's cursor connections (app/graphql/connections/cursor_connection.rb): rows ordered by
 * (timestamp, id), opaque cursors `base64url("<UTC ISO ts with ns>;<id>")`, pages of at most 100,
 * `first`/`after` or `last`/`before`, and the deprecated `order: DESC`.
 */
import { GraphQLError } from 'graphql';
import { cursorTimestamp } from '../time';

const MAX_PAGE_SIZE = 100;

export interface ConnectionArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  order?: 'ASC' | 'DESC' | null;
}

export interface SortKey {
  at: Date;
  id: number;
}

export interface Connection<T> {
  nodes: T[];
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const badRequest = (message: string) => new GraphQLError(message, { extensions: { code: 'bad_request' } });

function encodeCursor(key: SortKey): string {
  return Buffer.from(`${cursorTimestamp(key.at)};${key.id}`).toString('base64url');
}

function decodeCursor(cursor: string): SortKey {
  const [timestamp = '', id = ''] = Buffer.from(cursor, 'base64url').toString('utf8').split(';');
  // Nanosecond fractions: keep the milliseconds JavaScript dates hold.
  const at = new Date(timestamp.replace(/(\.\d{3})\d*/, '$1'));
  if (Number.isNaN(at.getTime()) || !/^\d+$/.test(id)) throw badRequest(`Invalid cursor: ${cursor}`);
  return { at, id: Number(id) };
}

const compare = (a: SortKey, b: SortKey) => a.at.getTime() - b.at.getTime() || a.id - b.id;

function validate(args: ConnectionArgs): void {
  if (args.first != null && args.last != null) throw badRequest('Arguments "first" and "last" are exclusive');
  if (args.before && args.after) throw badRequest('Arguments "before" and "after" are exclusive');
  if (args.first != null && args.first < 0) throw badRequest('Argument "first" must be a non-negative integer');
  if (args.last != null && args.last < 0) throw badRequest('Argument "last" must be a non-negative integer');
  if (args.last != null && args.order === 'DESC')
    throw badRequest('Argument "last" is not supported with order "desc"');
}

/** One page of `items` (in any order), as DS's `CursorConnection#load_nodes` computes it. */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => SortKey, args: ConnectionArgs): Connection<T> {
  validate(args);
  const limit = Math.min(args.first ?? MAX_PAGE_SIZE, args.last ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE) + 1;
  let inverted = args.last != null || !!args.before;
  let before = args.before ?? null;
  let after = args.after ?? null;
  const deprecatedDesc = args.order === 'DESC';
  if (deprecatedDesc) {
    if (!before) inverted = !inverted;
    [before, after] = [after, before];
  }

  const keyed = items.map((item) => ({ item, key: keyOf(item) }));
  const beforeKey = before ? decodeCursor(before) : null;
  const afterKey = after ? decodeCursor(after) : null;
  const window = keyed
    .filter(({ key }) => (!beforeKey || compare(key, beforeKey) < 0) && (!afterKey || compare(key, afterKey) > 0))
    .sort((a, b) => (inverted ? compare(b.key, a.key) : compare(a.key, b.key)))
    .slice(0, limit);

  const full = window.length === limit;
  const page = window.slice(0, limit - 1);
  let hasPreviousPage: boolean;
  let hasNextPage: boolean;
  if (deprecatedDesc) {
    hasNextPage = !!args.before || (full && inverted);
    hasPreviousPage = !!args.after || (full && !inverted);
  } else {
    hasPreviousPage = !!after || (full && inverted);
    hasNextPage = !!before || (full && !inverted);
    if (inverted) page.reverse();
  }
  const edges = page.map(({ item, key }) => ({ cursor: encodeCursor(key), node: item }));
  return {
    nodes: edges.map((e) => e.node),
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
