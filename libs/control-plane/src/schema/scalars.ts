import { GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { toIsoTimestamp, toUuid } from '../time.js';

function literal(node: ValueNode, variables?: Record<string, unknown> | null): unknown {
  switch (node.kind) {
    case Kind.STRING: case Kind.ENUM: return node.value;
    case Kind.BOOLEAN: return node.value;
    case Kind.INT: case Kind.FLOAT: return Number(node.value);
    case Kind.NULL: return null;
    case Kind.LIST: return node.values.map((v) => literal(v, variables));
    case Kind.OBJECT: return Object.fromEntries(node.fields.map((f) => [f.name.value, literal(f.value, variables)]));
    case Kind.VARIABLE: return variables?.[node.name.value];
  }
}

export const UUIDScalar = new GraphQLScalarType({
  name: 'UUID',
  serialize: (v) => v,
  parseValue: toUuid,
  parseLiteral: (node) => toUuid(node.kind === Kind.STRING ? node.value : undefined),
});

export const TimestampScalar = new GraphQLScalarType({
  name: 'timestamptz',
  serialize: (v) => v,
  parseValue: toIsoTimestamp,
  parseLiteral: (node) => toIsoTimestamp(node.kind === Kind.STRING ? node.value : undefined),
});

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: literal,
});
