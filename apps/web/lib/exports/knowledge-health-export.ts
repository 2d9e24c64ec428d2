// CSV export of the knowledge-health page: the same filter, every item needing attention, page by page.
import { KnowledgeHealthDocument, type KnowledgeHealthRowFragment } from '@/gql/graphql';
import type { CsvSource } from '../csv-export';
import { isoInstant } from '../dates';
import { humanize } from '../format';
import { ATTENTION_LABELS, KIND_LABELS, STALE_LABELS, knowledgeHealthFilter } from '../knowledge-health';
import type { SearchParams } from '../params';
import type { Gql } from '../server';
import { pageOf } from './map-result';

const pct = (x: number | null | undefined) => (x == null ? '' : Math.round(x * 1000) / 10);

export function knowledgeHealthExport(sp: SearchParams, gql: Gql): CsvSource<KnowledgeHealthRowFragment> {
  const filter = knowledgeHealthFilter(sp);
  return {
    name: 'knowledge-health',
    columns: [
      { header: 'Owner', value: (i) => i.owner?.name ?? '' },
      { header: 'Kind', value: (i) => KIND_LABELS[i.kind] },
      { header: 'Title', value: (i) => i.title },
      { header: 'State', value: (i) => humanize(i.state) },
      { header: 'Needs attention', value: (i) => i.attention.map((a) => ATTENTION_LABELS[a] ?? a).join('; ') },
      { header: 'Stale because', value: (i) => i.staleReasons.map((r) => STALE_LABELS[r] ?? r).join('; ') },
      { header: 'Review by (UTC)', value: (i) => isoInstant(i.reviewBy) },
      { header: 'Last reviewed (UTC)', value: (i) => isoInstant(i.reviewedAt) },
      { header: 'Team', value: (i) => i.team?.name },
      { header: 'Service', value: (i) => i.service?.name },
      { header: 'Helped votes (n)', value: (i) => i.effectiveness.helpful.n },
      { header: 'Helped %', value: (i) => pct(i.effectiveness.helpful.share) },
      { header: 'Helped % low (95 % CI)', value: (i) => pct(i.effectiveness.helpful.low) },
      { header: 'Helped % high (95 % CI)', value: (i) => pct(i.effectiveness.helpful.high) },
      { header: 'Incidents with an outcome (n)', value: (i) => i.effectiveness.resolvedWithoutReopen.n },
      { header: 'Resolved without reopen %', value: (i) => pct(i.effectiveness.resolvedWithoutReopen.share) },
      { header: 'Resolved without reopen % low (95 % CI)', value: (i) => pct(i.effectiveness.resolvedWithoutReopen.low) },
      { header: 'Resolved without reopen % high (95 % CI)', value: (i) => pct(i.effectiveness.resolvedWithoutReopen.high) },
      { header: 'Median minutes to resolve with it', value: (i) => i.effectiveness.minutesToResolveWith.median },
      { header: 'Resolved with it (n)', value: (i) => i.effectiveness.minutesToResolveWith.n },
      { header: 'Median minutes to resolve without it', value: (i) => i.effectiveness.minutesToResolveWithout.median },
      { header: 'Resolved without it (n)', value: (i) => i.effectiveness.minutesToResolveWithout.n },
    ],
    page: async (after) =>
      pageOf(await gql(KnowledgeHealthDocument, { filter, first: 200, after }), (d) => ({
        rows: d.knowledgeHealth.items,
        next: d.knowledgeHealth.next,
        total: d.knowledgeHealth.totalCount,
      })),
  };
}
