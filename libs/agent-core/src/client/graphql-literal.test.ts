import { GqlEnum, gqlLiteral, listQuery } from './graphql-literal.js';

describe('gqlLiteral', () => {
  it('renders nested where expressions with escaped strings', () => {
    expect(gqlLiteral({ name: { _eq: 'a "b"\n' }, version: { _in: [1, 2] }, archived: { _eq: false }, x: undefined, y: null }))
      .toBe('{name: {_eq: "a \\"b\\"\\n"}, version: {_in: [1, 2]}, archived: {_eq: false}, y: null}');
  });
  it('renders enums bare and refuses bad names', () => {
    expect(gqlLiteral([{ created: new GqlEnum('desc') }])).toBe('[{created: desc}]');
    expect(() => gqlLiteral({ 'a b': 1 })).toThrow(/field name/);
    expect(() => gqlLiteral(new GqlEnum('desc }'))).toThrow(/enum/);
  });
  it('builds a list query', () => {
    expect(listQuery('flow', 'id', { where: { name: { _eq: 'x' } }, orderBy: [{ version: 'desc' }], limit: 1 }))
      .toBe('query { flow(where: {name: {_eq: "x"}}, order_by: [{version: desc}], limit: 1) { id } }');
  });
});
