// Runs an export's GraphQL queries for the request's caller, through Apollo (so the plugins that
// route reads to replicas, count statements and mask internal errors apply as on /graphql).
import type { ApolloServer } from '@apollo/server';
import type { ReplicaRouter } from '../../db/replicas';
import { isDatabaseUnavailable } from '../../errors';
import { runWithSqlCounter } from '../../db/sql-counter';
import type { Context, ReadRoute } from '../../graphql/context';
import type { RequestTrack } from '../../http/metrics';
import type { Run } from './export.about';

type RequestContext = Context & { sqlCount: RequestTrack; readCaller?: string };

export function exportRunner(
  apollo: ApolloServer<RequestContext>,
  track: RequestTrack,
  context: (route: ReadRoute) => RequestContext,
  replicas?: ReplicaRouter,
): Run {
  const once = async (query: string, variables: Record<string, unknown>, route: ReadRoute) => {
    const res = await runWithSqlCounter(track, () => apollo.executeOperation({ query, variables }, { contextValue: context(route) }));
    return res.body.kind === 'single' ? res.body.singleResult : { errors: [{ message: 'An export query cannot stream' }] };
  };
  return async (query, variables) => {
    const route: ReadRoute = {};
    const first = await once(query, variables, route).catch((err: unknown) => {
      if (!route.replica) throw err;
      route.failure ??= err;
      return undefined;
    });
    if (first && !(route.replica && route.failure !== undefined)) return first;
    // The replica failed under the query: read again from the primary (as /graphql does).
    if (route.replica && isDatabaseUnavailable(route.failure)) replicas?.failed(route.replica, route.failure);
    return once(query, variables, { pinned: true });
  };
}
