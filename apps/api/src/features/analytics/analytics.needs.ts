import type { Bucket } from '@ikb/domain';
import { Kind, valueFromASTUntyped, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { DIM } from './analytics.cells';
import type { Needs } from './analytics.query';

/**
 * What the client selected under `analytics`, read from the query document before any figure is
 * computed, so that one snapshot can serve every field: the bucket kinds asked for anywhere, and
 * which breakdown dimensions the selected fields need.
 */

interface FieldUse {
  name: string;
  args: Record<string, unknown>;
  children: FieldUse[];
}

function collect(set: SelectionSetNode | undefined, info: GraphQLResolveInfo, out: FieldUse[] = []): FieldUse[] {
  if (!set) return out;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const args: Record<string, unknown> = {};
      for (const a of sel.arguments ?? []) args[a.name.value] = valueFromASTUntyped(a.value, info.variableValues);
      out.push({ name: sel.name.value, args, children: collect(sel.selectionSet, info) });
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      collect(sel.selectionSet, info, out);
    } else if (sel.kind === Kind.FRAGMENT_SPREAD) {
      collect(info.fragments[sel.name.value]?.selectionSet, info, out);
    }
  }
  return out;
}

export const DIMENSION_DIM: Record<string, number> = {
  SERVICE: DIM.SERVICE,
  TEAM: DIM.TEAM,
  CATEGORY: DIM.CATEGORY,
  SUBCATEGORY: DIM.SUBCATEGORY,
};

/** Breakdown dimensions (as range totals) each sub-field needs. */
const TOTAL_DIMS: Record<string, Record<string, number[]>> = {
  responseSla: { byService: [DIM.SERVICE], byTeam: [DIM.TEAM], byCategory: [DIM.CATEGORY] },
  resolutionSla: { byService: [DIM.SERVICE], byTeam: [DIM.TEAM], byCategory: [DIM.CATEGORY] },
  mtbf: { '*': [DIM.SERVICE] },
  topRecurringProblems: { '*': [DIM.PROBLEM] },
  knowledgeReuse: {
    byCategory: [DIM.CATEGORY],
    bySubcategory: [DIM.SUBCATEGORY],
    byWorkaround: [DIM.WORKAROUND, DIM.SUBCATEGORY],
    byModel: [DIM.MODEL, DIM.SUBCATEGORY],
  },
  cost: { byService: [DIM.SERVICE], byCategory: [DIM.CATEGORY], bySubcategory: [DIM.SUBCATEGORY] },
};

function bucketOf(v: unknown): Bucket {
  return v === 'DAY' || v === 'WEEK' ? v : 'MONTH';
}

export function needsFromInfo(info: GraphQLResolveInfo): Needs {
  const kinds = new Map<Bucket, Set<number>>([['MONTH', new Set()]]);
  const kind = (b: Bucket) => {
    let s = kinds.get(b);
    if (!s) kinds.set(b, (s = new Set()));
    return s;
  };
  const top = info.fieldNodes.flatMap((n) => collect(n.selectionSet, info));
  const walkBuckets = (uses: FieldUse[]) => {
    for (const u of uses) {
      if ('bucket' in u.args) kind(bucketOf(u.args.bucket));
      else if (u.name === 'volume' || u.name === 'volumeBy' || u.name === 'overTime') kind('MONTH');
      walkBuckets(u.children);
    }
  };
  walkBuckets(top);
  for (const u of top) {
    if (u.name === 'volumeBy') {
      const d = DIMENSION_DIM[String(u.args.dimension)];
      if (d !== undefined) kind(bucketOf(u.args.bucket)).add(d);
      continue;
    }
    const rules = TOTAL_DIMS[u.name];
    if (!rules) continue;
    for (const d of rules['*'] ?? []) kind('MONTH').add(d);
    for (const child of u.children) for (const d of rules[child.name] ?? []) kind('MONTH').add(d);
  }
  return { kinds };
}
