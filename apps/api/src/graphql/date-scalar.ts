import { dateProblem } from '@ikb/domain';
import { GraphQLError, GraphQLScalarType, type ValueNode } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

/**
 * graphql-scalars' DateTime, refusing dates outside the range the system accepts anywhere
 * (@ikb/domain DATE_MIN..DATE_MAX): year 1 or 9999 is a typo or a probe, never an incident, and
 * year 99999 would reach PostgreSQL as an out-of-range timestamp. graphql-js names the variable
 * and the path of a refused value ('Variable "$input" got invalid value ... at "input.openedAt"').
 */
function bounded(d: Date): Date {
  const problem = dateProblem(d);
  if (problem) throw new GraphQLError(`DateTime ${problem}`);
  return d;
}

const base = DateTimeResolver.toConfig();

export const BoundedDateTime = new GraphQLScalarType({
  ...base,
  description: `${base.description ?? ''} Between 1970-01-01 and 2100-01-01.`.trim(),
  parseValue: (value: unknown) => bounded(base.parseValue!(value) as Date),
  parseLiteral: (ast: ValueNode, variables?: Record<string, unknown> | null) => bounded(base.parseLiteral!(ast, variables) as Date),
});
