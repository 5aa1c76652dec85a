/**
 * Gmail search syntax (`q`): a tokenizer and a recursive-descent parser producing an AST.
 * Grammar, as Gmail reads it — OR binds tighter than the implicit AND:
 *   query   := and
 *   and     := (or | 'AND')*
 *   or      := unary ('OR' unary)*
 *   unary   := '-' unary | primary
 *   primary := '(' and ')' | '{' unary* '}' | field ':' primary | term
 * `field:(a b)` and `field:{a b}` apply the field to every term inside. Unknown operators
 * are searched as plain words; unbalanced brackets are forgiven, never an error.
 */

export type QueryNode =
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode }
  | { kind: 'term'; field: string | null; value: string; phrase: boolean };

export type QueryToken =
  | { type: '(' | ')' | '{' | '}' | 'or' | 'and' | 'not' }
  | { type: 'field'; field: string }
  | { type: 'term'; field: string | null; value: string; phrase: boolean };

export const QUERY_FIELDS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'deliveredto',
  'subject',
  'is',
  'label',
  'in',
  'has',
  'category',
  'filename',
  'newer_than',
  'older_than',
  'after',
  'before',
  'newer',
  'older',
  'larger',
  'smaller',
  'size',
  'rfc822msgid',
  'list',
]);

const SPECIAL = new Set(['(', ')', '{', '}']);

function readPhrase(input: string, start: number): [string, number] {
  const end = input.indexOf('"', start);
  return end < 0 ? [input.slice(start), input.length] : [input.slice(start, end), end + 1];
}

export function tokenizeQuery(input: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (SPECIAL.has(ch)) {
      tokens.push({ type: ch as '(' | ')' | '{' | '}' });
      i++;
    } else if (ch === '-' && i + 1 < input.length && !/[\s)}]/.test(input[i + 1]!)) {
      tokens.push({ type: 'not' });
      i++;
    } else if (ch === '"') {
      const [value, next] = readPhrase(input, i + 1);
      tokens.push({ type: 'term', field: null, value, phrase: true });
      i = next;
    } else {
      let end = i;
      while (end < input.length && !/[\s(){}"]/.test(input[end]!)) end++;
      const word = input.slice(i, end);
      const colon = word.indexOf(':');
      const field = colon > 0 ? word.slice(0, colon).toLowerCase() : '';
      const rest = word.slice(colon + 1);
      if (QUERY_FIELDS.has(field) && rest === '' && input[end] === '"') {
        const [value, next] = readPhrase(input, end + 1);
        tokens.push({ type: 'term', field, value, phrase: true });
        i = next;
        continue;
      }
      if (QUERY_FIELDS.has(field) && rest === '' && /[({]/.test(input[end] ?? '')) {
        tokens.push({ type: 'field', field });
      } else if (word === 'OR' || word === '|') {
        tokens.push({ type: 'or' });
      } else if (word === 'AND') {
        tokens.push({ type: 'and' });
      } else if (QUERY_FIELDS.has(field) && rest !== '') {
        tokens.push({ type: 'term', field, value: rest, phrase: false });
      } else {
        tokens.push({ type: 'term', field: null, value: word, phrase: false });
      }
      i = end;
    }
  }
  return tokens;
}

/** Parses a Gmail query into an AST; an empty query gives an empty AND (matches all). */
export function parseQuery(input: string): QueryNode {
  const tokens = tokenizeQuery(input);
  let position = 0;
  const peek = (): QueryToken | undefined => tokens[position];

  const group = (kind: 'and' | 'or', children: QueryNode[]): QueryNode =>
    children.length === 1 ? children[0]! : { kind, children };

  function parseAnd(field: string | null, closer: ')' | null): QueryNode {
    const children: QueryNode[] = [];
    for (let token = peek(); token; token = peek()) {
      if (token.type === closer) break;
      if (token.type === 'and' || token.type === 'or' || token.type === ')' || token.type === '}') {
        position++;
        continue;
      }
      children.push(parseOr(field));
    }
    return group('and', children);
  }

  function parseOr(field: string | null): QueryNode {
    const children = [parseUnary(field)];
    while (peek()?.type === 'or') {
      position++;
      if (!peek() || /^[)}]$/.test(peek()!.type)) break;
      children.push(parseUnary(field));
    }
    return group('or', children);
  }

  function parseUnary(field: string | null): QueryNode {
    if (peek()?.type === 'not') {
      position++;
      return { kind: 'not', child: parseUnary(field) };
    }
    return parsePrimary(field);
  }

  function parsePrimary(field: string | null): QueryNode {
    const token = tokens[position++];
    if (!token) return { kind: 'and', children: [] };
    switch (token.type) {
      case '(': {
        const inner = parseAnd(field, ')');
        if (peek()?.type === ')') position++;
        return inner;
      }
      case '{': {
        const children: QueryNode[] = [];
        for (let next = peek(); next && next.type !== '}'; next = peek()) {
          if (next.type === 'or' || next.type === 'and' || next.type === ')') position++;
          else children.push(parseUnary(field));
        }
        if (peek()?.type === '}') position++;
        return group('or', children);
      }
      case 'field':
        return parsePrimary(token.field);
      case 'term':
        return {
          kind: 'term',
          field: token.field ?? field,
          value: token.value,
          phrase: token.phrase,
        };
      default:
        return { kind: 'and', children: [] };
    }
  }

  return parseAnd(null, null);
}
