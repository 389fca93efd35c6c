import { TABLES, type ColumnType, type TableMeta } from '../store/tables.js';

const OUT: Record<ColumnType, string> = { uuid: 'UUID', string: 'String', int: 'Int', ts: 'timestamptz', json: 'JSON', bool: 'Boolean' };
const CMP: Record<ColumnType, string> = {
  uuid: 'uuid_comparison_exp', string: 'String_comparison_exp', int: 'Int_comparison_exp',
  ts: 'timestamptz_comparison_exp', json: 'jsonb_comparison_exp', bool: 'Boolean_comparison_exp',
};

const listArgs = (t: string): string => `(where: ${t}_bool_exp, order_by: [${t}_order_by!], limit: Int, offset: Int)`;

function comparisonSdl(name: string, scalar: string, extra = ''): string {
  return `input ${name} { _eq: ${scalar} _neq: ${scalar} _in: [${scalar}!] _nin: [${scalar}!] _gt: ${scalar} _gte: ${scalar} _lt: ${scalar} _lte: ${scalar} _is_null: Boolean ${extra}}`;
}

function tableSdl(t: TableMeta): string {
  const cols = Object.entries(t.columns);
  const rels = Object.entries(t.relations);
  const fields = [
    ...cols.map(([c, ty]) => `${c}: ${OUT[ty]}${c === 'id' ? '!' : ''}`),
    ...rels.map(([r, rel]) => (rel.kind === 'object' ? `${r}: ${rel.table}` : `${r}${listArgs(rel.table)}: [${rel.table}!]!`)),
  ];
  const boolExp = [
    `_and: [${t.name}_bool_exp!]`, `_or: [${t.name}_bool_exp!]`, `_not: ${t.name}_bool_exp`,
    ...cols.map(([c, ty]) => `${c}: ${CMP[ty]}`),
    ...rels.map(([r, rel]) => `${r}: ${rel.table}_bool_exp`),
  ];
  return [
    `type ${t.name} {\n  ${fields.join('\n  ')}\n}`,
    `input ${t.name}_bool_exp {\n  ${boolExp.join('\n  ')}\n}`,
    `input ${t.name}_order_by {\n  ${cols.map(([c]) => `${c}: order_by`).join('\n  ')}\n}`,
  ].join('\n');
}

/** Object types, bool_exp and order_by inputs, and the list queries for every table. */
export function tablesSdl(): string {
  const tables = Object.values(TABLES);
  return [
    'scalar UUID', 'scalar timestamptz', 'scalar JSON',
    'enum order_by { asc asc_nulls_first asc_nulls_last desc desc_nulls_first desc_nulls_last }',
    comparisonSdl('uuid_comparison_exp', 'UUID'), comparisonSdl('String_comparison_exp', 'String', '_like: String _ilike: String '),
    comparisonSdl('Int_comparison_exp', 'Int'), comparisonSdl('timestamptz_comparison_exp', 'timestamptz'),
    comparisonSdl('Boolean_comparison_exp', 'Boolean'), comparisonSdl('jsonb_comparison_exp', 'JSON'),
    ...tables.map(tableSdl),
    `type Query {\n  ${tables.map((t) => `${t.name}${listArgs(t.name)}: [${t.name}!]!\n  ${t.name}_by_pk(id: UUID!): ${t.name}`).join('\n  ')}\n}`,
  ].join('\n\n');
}
