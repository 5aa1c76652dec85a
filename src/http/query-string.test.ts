import { describe, expect, it } from 'vitest';
import { malformedParameter, parseQueryString } from './query-string.ts';

const plain = (query: Record<string, unknown>) => ({ ...query });

describe('the query string parser', () => {
  it('decodes keys and values, plus signs and repeated keys as Fastify does', () => {
    const query = parseQueryString('a=1&b=x+y&b=%7A&c&=e&d=%E2%82%AC=&&w%5Bs%5D=9');
    expect([plain(query), Object.getPrototypeOf(query), malformedParameter(query)]).toStrictEqual([
      { a: '1', b: ['x y', 'z'], c: '', '': 'e', d: '€=', 'w[s]': '9' },
      null,
      null,
    ]);
  });

  it('keeps __proto__ and constructor as plain keys', () => {
    const query = parseQueryString('__proto__=1&constructor=2');
    expect([Object.entries(query), Object.getPrototypeOf(query)]).toStrictEqual([
      [
        ['__proto__', '1'],
        ['constructor', '2'],
      ],
      null,
    ]);
  });

  it.each([
    ['q=%E0%A4%A', 'q'],
    ['q=%ZZ', 'q'],
    ['q=%ED%A0%80', 'q'],
    ['q=%uD800', 'q'],
    ['ok=1&q=%&r=%ZZ', 'q'],
    ['%ZZ=1', '%ZZ'],
    ['a+%FF=1', 'a %FF'],
  ])('remembers the first parameter of %s that cannot be decoded', (input, key) => {
    const query = parseQueryString(input);
    expect([malformedParameter(query), Object.keys(query).includes(key)]).toStrictEqual([
      key,
      true,
    ]);
  });
});
