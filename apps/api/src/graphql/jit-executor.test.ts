import { ApolloServer } from '@apollo/server';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AppError, formatError } from '../errors';
import { jitGateway, NoProtoNames } from './jit-executor';

/** A small schema with what the API's own uses: input defaults, non-null roots, enums, lists, errors. */
function testSchema(): GraphQLSchema {
  const schema = buildSchema(`
    enum Source { USER_REPORT ALERT }
    input LogInput { title: String!, source: Source! = USER_REPORT, tags: [String!]! = [], impact: Int = 2 }
    type Logged { title: String!, source: Source!, tags: [String!]!, impact: Int }
    type Item { id: ID!, name: String, children: [Item!]! }
    type Query {
      items(first: Int = 2): [Item!]!
      broken: String!
      notFound: String
      dbDown: String!
      echo(text: String!): String!
    }
    type Mutation { log(input: LogInput!): Logged! }
  `);
  const q = schema.getQueryType()!.getFields();
  q.items!.resolve = (_s, { first }) =>
    Array.from({ length: first }, (_, i) => ({
      id: String(i),
      name: i % 2 ? null : `item ${i}`,
      children: [{ id: `${i}.1`, name: 'child', children: [] }],
    }));
  q.broken!.resolve = async () => {
    throw new Error('a bug with no extensions');
  };
  q.notFound!.resolve = async () => {
    throw new AppError('NOT_FOUND', 'no such thing', { field: 'id' });
  };
  q.dbDown!.resolve = async () => {
    throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
  };
  q.echo!.resolve = (_s, { text }) => text;
  schema.getMutationType()!.getFields().log!.resolve = (_s, { input }) => input;
  return schema;
}

describe('graphql-jit executor behind Apollo answers as graphql-js does', () => {
  const schema = testSchema();
  const js = new ApolloServer({ schema, formatError, validationRules: [NoProtoNames] });
  const jit = new ApolloServer({ gateway: jitGateway(schema), formatError, validationRules: [NoProtoNames] });
  beforeAll(async () => {
    await js.start();
    await jit.start();
  });
  afterAll(async () => {
    await js.stop();
    await jit.stop();
  });
  const run = async (server: ApolloServer, query: string, variables?: Record<string, unknown>, operationName?: string) => {
    const r = await server.executeOperation({ query, variables, operationName });
    if (r.body.kind !== 'single') throw new Error('expected a single result');
    const { data, errors } = r.body.singleResult;
    // Stack traces differ by executor (and are not sent in production); everything else must match.
    return {
      status: r.http.status ?? 200,
      data,
      errors: errors?.map(({ extensions, ...e }) => ({
        ...e,
        extensions: { ...extensions, stacktrace: undefined } as Record<string, unknown>,
      })),
    };
  };
  const cases: [string, string, Record<string, unknown>?][] = [
    ['nested lists, nulls and argument defaults', '{ items { id name children { id name } } more: items(first: 3) { id } }'],
    [
      'input defaults of non-null fields (graphql-jit alone misses them)',
      'mutation($i: LogInput!) { log(input: $i) { title source tags impact } }',
      { i: { title: 'x' } },
    ],
    [
      'given input values',
      'mutation($i: LogInput!) { log(input: $i) { title source tags impact } }',
      { i: { title: 'x', source: 'ALERT', tags: ['a'], impact: null } },
    ],
    ['a plain error is masked as an internal error', '{ broken }'],
    ['an AppError keeps its code and field', '{ notFound }'],
    ['a lost database connection is SERVICE_UNAVAILABLE', '{ dbDown }'],
    ['a bad variable is BAD_USER_INPUT with HTTP 400', 'query($t: String!) { echo(text: $t) }', { t: 5 }],
    ['a bad enum value in an input', 'mutation($i: LogInput!) { log(input: $i) { title } }', { i: { title: 'x', source: 'PAGER' } }],
    ['a missing variable', 'query($t: String!) { echo(text: $t) }', {}],
    ['two operations and no operationName', 'query A { echo(text: "a") } query B { echo(text: "b") }'],
    [
      'keys named like Object.prototype members',
      '{ constructor: echo(text: "a") toString: echo(text: "b") hasOwnProperty: echo(text: "c") }',
    ],
  ];
  test.each(cases)('%s', async (_name, query, variables) => {
    const expected = await run(js, query, variables);
    expect(await run(jit, query, variables)).toEqual(expected);
  });

  test('an operationName the document does not have', async () => {
    const query = 'query A { echo(text: "a") }';
    const expected = await run(js, query, undefined, 'C');
    expect(expected.status).toBe(400);
    expect(await run(jit, query, undefined, 'C')).toEqual(expected);
    expect(await run(jit, query, undefined, 'A')).toEqual(await run(js, query, undefined, 'A'));
  });

  test('the masked, unavailable and not-found codes are what formatError gives', async () => {
    expect((await run(jit, '{ broken }')).errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect((await run(jit, '{ dbDown }')).errors?.[0]).toMatchObject({ path: ['dbDown'], extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect((await run(jit, '{ notFound }')).errors?.[0]).toMatchObject({
      path: ['notFound'],
      locations: [{ line: 1, column: 3 }],
      extensions: { code: 'NOT_FOUND', field: 'id' },
    });
  });

  test('refuses __proto__ as an alias or variable name (graphql-jit would set a prototype instead)', async () => {
    for (const query of [
      '{ __proto__: echo(text: "a") }',
      '{ items { __proto__: name } }',
      'query($__proto__: String!) { echo(text: $__proto__) }',
    ]) {
      const r = await run(jit, query, { __proto__: 'x' });
      expect(r.status).toBe(400);
      expect(r.errors?.[0]).toMatchObject({ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
      expect(r.errors?.[0]?.message).toContain('__proto__');
    }
  });
});

test('keeps at most maxCompiled compiled documents, and a dropped one compiles again when it comes back', async () => {
  const gateway = jitGateway(testSchema(), { maxCompiled: 2 });
  const server = new ApolloServer({ gateway, formatError });
  await server.start();
  try {
    const ask = async (n: number) => {
      const r = await server.executeOperation({ query: `{ items(first: ${n}) { id } }` });
      return r.body.kind === 'single' ? (r.body.singleResult.data as { items: unknown[] }).items.length : -1;
    };
    expect([await ask(1), await ask(1)]).toEqual([1, 1]);
    expect(gateway.compiledCount()).toBe(1);
    expect([await ask(2), await ask(3), await ask(1)]).toEqual([2, 3, 1]);
    expect(gateway.compiledCount()).toBe(2);
  } finally {
    await server.stop();
  }
});
