import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  getVariableValues,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/**
 * graphql-jit builds results and variables as object literals, where `__proto__` sets the
 * prototype instead of adding a key (graphql-js uses prototype-less objects): an alias or variable
 * of that name would answer wrongly. No client needs one, so such documents are refused.
 */
export const NoProtoNames: ValidationRule = (context) => ({
  Field(node) {
    if (node.alias?.value === '__proto__')
      context.reportError(new GraphQLError('"__proto__" cannot be used as an alias', { nodes: node.alias }));
  },
  VariableDefinition(node) {
    if (node.variable.name.value === '__proto__')
      context.reportError(new GraphQLError('"$__proto__" cannot be used as a variable name', { nodes: node.variable }));
  },
});

/**
 * graphql-jit's errors leave `extensions` undefined when the thrown error had none, which Apollo
 * does not expect (it reads extensions.code and fails to format the error): rebuilt as graphql-js
 * builds them, with extensions from the original error and the same message, path and locations.
 */
function asGraphqlJsError(e: GraphQLError): GraphQLError {
  const rebuilt = new GraphQLError(e.message, {
    path: e.path,
    originalError: e.originalError ?? undefined,
    extensions: e.extensions ?? undefined,
  });
  if (e.locations)
    Object.defineProperty(rebuilt, 'locations', { value: e.locations, enumerable: true, writable: true, configurable: true });
  return rebuilt;
}

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/** Compiled operations kept (least recently used dropped first); the web app sends a few dozen. */
const MAX_COMPILED = 500;

/**
 * Runs operations compiled to JavaScript with graphql-jit instead of graphql-js's interpreter:
 * a search page (about 650 fields) completes in about a third of graphql-js's time (BENCHMARKS.md,
 * search). The schema and its resolvers are the same; each document is compiled once, on first
 * use, after Apollo has parsed and validated it.
 *
 * Variables are coerced by graphql-js first, so that bad variables get graphql-js's own errors
 * (Apollo answers those with BAD_USER_INPUT and HTTP 400) and input defaults are applied as the
 * spec says.
 *
 * Apollo Server 5 takes a custom executor only through its gateway interface, so this is one: it
 * hands Apollo the schema once and never updates it.
 */
export function jitGateway(schema: GraphQLSchema, opts: { maxCompiled?: number } = {}): Gateway & { compiledCount(): number } {
  const maxCompiled = opts.maxCompiled ?? MAX_COMPILED;
  const compiled = new Map<string, CompiledQuery>();
  const compiledFor = (document: DocumentNode, key: string, operationName: string | undefined): CompiledQuery | ExecutionResult => {
    let c = compiled.get(key);
    if (c) {
      // Re-inserted: Map keeps insertion order, so the first key is the least recently used.
      compiled.delete(key);
      compiled.set(key, c);
      return c;
    }
    const made = compileQuery(schema, document, operationName);
    if (!isCompiledQuery(made)) return made;
    if (compiled.size >= maxCompiled) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, (c = made));
    return c;
  };
  return {
    compiledCount: () => compiled.size,
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async load() {
      return {
        executor: async ({ document, operation, queryHash, request, context }) => {
          // No operation (several without an operationName, or an unknown name): compileQuery answers
          // graphql-js's error for it, which Apollo turns into a 400.
          const op = operation as OperationDefinitionNode | undefined;
          const coerced = op
            ? getVariableValues(schema, op.variableDefinitions ?? [], request.variables ?? {}, { maxErrors: 50 })
            : { coerced: {} };
          if (coerced.errors) return { errors: coerced.errors };
          // The name the client asked for (Apollo's resolved name is null when that name is unknown).
          const name = request.operationName ?? undefined;
          const c = compiledFor(document, `${queryHash}:${name ?? ''}`, name);
          // graphql-jit parses the variables again: given graphql-js's coerced values (defaults of
          // input fields filled in, which its own parser misses), that parse changes nothing.
          const result = isCompiledQuery(c) ? ((await c.query(undefined, context, coerced.coerced)) as ExecutionResult) : c;
          return result.errors ? { ...result, errors: result.errors.map(asGraphqlJsError) } : result;
        },
      };
    },
    async stop() {},
  };
}
