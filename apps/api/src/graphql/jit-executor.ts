import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import { getVariableValues, GraphQLError, printSchema, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/**
 * Executes operations with graphql-jit instead of graphql-js's interpreter.
 *
 * Why: graphql-js walks the schema and the selection for every field of every answer; a search
 * page is ~750 fields and that walk was about half of what the API added to the search's SQL time
 * (issue 6), and a share of every other request's CPU under load (issue 9). graphql-jit turns an
 * operation into a plain function once and runs that.
 *
 * Everything else stays Apollo's: parsing, its document cache, validation (armor's depth, cost
 * and alias rules, no introspection in production), plugins, error formatting and HTTP status
 * codes. Apollo hands a gateway's executor the parsed, validated document; that hook is the only
 * documented way to replace execution in Apollo Server 5, and this "gateway" is local: one schema,
 * never reloaded.
 *
 * Compiled operations are kept on the document object. Apollo's document store keeps one parsed
 * document per distinct query text, so a repeated operation compiles once; a document that leaves
 * that store is collected with its compiled functions (WeakMap). Every document is compiled, the
 * first run included, so that there is one execution path (what the tests exercise is what runs).
 */
export function jitGateway(schema: GraphQLSchema): GatewayInterface {
  const compiled = new WeakMap<DocumentNode, Map<string, CompiledQuery | ExecutionResult>>();
  const compiledFor = (document: DocumentNode, operationName: string | undefined) => {
    let byName = compiled.get(document);
    if (!byName) compiled.set(document, (byName = new Map()));
    const key = operationName ?? '';
    let c = byName.get(key);
    if (!c) {
      c = compileQuery(schema, document, operationName, {
        // Path-based @skip / @include is graphql-js's behaviour for fragments (graphql-jit's older
        // one differs there).
        useExperimentalPathBasedSkipInclude: true,
        // Variables are coerced by graphql-js, as before: graphql-jit's own coercion leaves out the
        // default of a non-null input field (`source: IncidentSource! = USER_REPORT`) and words its
        // errors so that Apollo does not see them as BAD_USER_INPUT. (coerceVariables is our
        // patch of graphql-jit, patches/graphql-jit@0.8.9.patch.)
        coerceVariables: (operation) => (inputs) => getVariableValues(schema, operation.variableDefinitions ?? [], inputs, { maxErrors: 50 }),
      });
      byName.set(key, c);
    }
    return c;
  };
  const executor: GatewayExecutor = async (request) => {
    const c = compiledFor(request.document, request.operationName ?? request.request.operationName ?? undefined);
    // Not compiled: graphql-jit returns the errors (e.g. no operation of that name), as graphql-js would.
    if (!isCompiledQuery(c)) return c;
    const result = await c.query(undefined, request.context, request.request.variables ?? {});
    return result.errors ? { ...result, errors: result.errors.map(asGraphQLError) } : result;
  };
  let sdl: string | undefined;
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: (sdl ??= printSchema(schema)) });
      return () => {};
    },
    async stop() {},
  };
}

/**
 * graphql-jit reports a resolver's error as its own GraphQLError look-alike, whose `extensions` is
 * undefined when the thrown error had none (a driver error when the database is gone, say);
 * Apollo reads `extensions.code` of every error and, failing on it, answers a bare "Internal server
 * error" without calling formatError, so such an error would not become SERVICE_UNAVAILABLE. Each
 * one is rebuilt as graphql-js's own error, as graphql-js would have made it.
 */
function asGraphQLError(e: GraphQLError): GraphQLError {
  if (e.constructor === GraphQLError) return e;
  const out = new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined, extensions: e.extensions ?? undefined });
  (out as { locations: GraphQLError['locations'] }).locations = e.locations;
  return out;
}
