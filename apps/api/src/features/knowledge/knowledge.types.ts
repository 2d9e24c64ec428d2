import {
  ATTENTION_REASONS,
  KNOWLEDGE_KINDS,
  KNOWLEDGE_STATES,
  STALE_REASONS,
  type AttentionReason,
  type KnowledgeKind,
  type KnowledgeState,
  type StaleReason,
} from '@ikb/domain';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const KnowledgeKindEnum = enumOf(KNOWLEDGE_KINDS);
export const KnowledgeStateEnum = enumOf(KNOWLEDGE_STATES);
export const StaleReasonEnum = enumOf(STALE_REASONS);
export const AttentionReasonEnum = enumOf(ATTENTION_REASONS);
export const FEEDBACK_CONTEXTS = ['APPLIED', 'SEARCH_RESULT'] as const;
export type FeedbackContext = (typeof FEEDBACK_CONTEXTS)[number];
export const FeedbackContextEnum = enumOf(FEEDBACK_CONTEXTS);

registerEnumType(KnowledgeKindEnum, { name: 'KnowledgeKind', description: 'A workaround, a known error (problem) or an incident model.' });
registerEnumType(KnowledgeStateEnum, {
  name: 'KnowledgeState',
  description: 'DRAFT -> IN_REVIEW -> PUBLISHED -> NEEDS_REVIEW; any -> RETIRED; RETIRED -> DRAFT. PUBLISHED and NEEDS_REVIEW are offered.',
});
registerEnumType(StaleReasonEnum, { name: 'StaleReason', description: 'Why an item is stale (cleared by markKnowledgeReviewed).' });
registerEnumType(AttentionReasonEnum, { name: 'AttentionReason', description: 'Why an item is on the knowledge-health page.' });
registerEnumType(FeedbackContextEnum, {
  name: 'FeedbackContext',
  description: 'APPLIED: after applying it on an incident. SEARCH_RESULT: after opening it from search.',
});

@ObjectType({ description: 'A share with its Wilson 95 % interval and sample size; no verdict below the minimum sample.' })
export class ShareFigure {
  @Field(() => Int, { description: 'Successes.' }) k!: number;
  @Field(() => Int, { description: 'Sample size.' }) n!: number;
  @Field(() => Float, { nullable: true, description: 'k / n; null when n = 0.' }) share!: number | null;
  @Field(() => Float, { nullable: true }) low!: number | null;
  @Field(() => Float, { nullable: true }) high!: number | null;
  @Field(() => Boolean, { description: 'n is at least minSample.' }) enoughData!: boolean;
}

@ObjectType({ description: 'A median with its sample size.' })
export class MedianFigure {
  @Field(() => Int) n!: number;
  @Field(() => Float, { nullable: true }) median!: number | null;
  @Field(() => Boolean) enoughData!: boolean;
}

@ObjectType({ description: 'Evidence-based effectiveness of a knowledge item (docs/knowledge-lifecycle.md).' })
export class KnowledgeEffectiveness {
  @Field(() => ShareFigure, { description: '"Helped" votes among all votes.' }) helpful!: ShareFigure;
  @Field(() => ShareFigure, { description: 'Incidents it was applied to that resolved without reopening, among those with an outcome.' })
  resolvedWithoutReopen!: ShareFigure;
  @Field(() => MedianFigure, { description: 'Minutes from open to resolve of resolved incidents it was applied to.' })
  minutesToResolveWith!: MedianFigure;
  @Field(() => MedianFigure, { description: 'The same for resolved incidents of the same categories it was not applied to.' })
  minutesToResolveWithout!: MedianFigure;
  @Field(() => Boolean, { description: 'Enough data and an upper bound below one half on a share.' }) low!: boolean;
  @Field(() => Int, { description: 'The smallest sample a figure is judged on.' }) minSample!: number;
}

@ObjectType({ description: 'A knowledge item with its lifecycle, staleness and effectiveness.' })
export class KnowledgeItem {
  @Field(() => ID, { description: 'The lifecycle record (not the item: see kind and itemId).' }) id!: string;
  @Field(() => KnowledgeKindEnum) kind!: KnowledgeKind;
  @Field(() => ID) itemId!: string;
  @Field(() => String) title!: string;
  @Field(() => KnowledgeStateEnum) state!: KnowledgeState;
  @Field(() => Date, { nullable: true }) reviewBy!: Date | null;
  @Field(() => Date, { nullable: true }) reviewedAt!: Date | null;
  @Field(() => Date) stateChangedAt!: Date;
  @Field(() => Boolean) stale!: boolean;
  @Field(() => [StaleReasonEnum]) staleReasons!: StaleReason[];
  @Field(() => [AttentionReasonEnum]) attention!: AttentionReason[];
  @Field(() => [KnowledgeStateEnum], { description: 'States it may move to now.' }) moves!: KnowledgeState[];
  @Field(() => String, { description: 'Web app path of the item.' }) href!: string;
  ownerId!: string | null;
  serviceId!: string | null;
  categoryId!: string | null;
  teamId!: string | null;
}

@ObjectType({ description: 'Items needing attention, ordered by owner (no owner last), kind and title.' })
export class KnowledgeHealthPage {
  @Field(() => [KnowledgeItem]) items!: KnowledgeItem[];
  @Field(() => Int, { description: 'All items needing attention under the filter.' }) totalCount!: number;
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page; null at the end.' }) next!: string | null;
  @Field(() => Boolean, { description: 'More candidate items exist than one scan judges (HEALTH_SCAN_CAP).' }) truncated!: boolean;
}

@ObjectType({ description: "A person's vote on whether an item helped." })
export class KnowledgeFeedback {
  @Field(() => ID) id!: string;
  @Field(() => KnowledgeKindEnum) kind!: KnowledgeKind;
  @Field(() => ID) itemId!: string;
  @Field(() => ID, { nullable: true }) incidentId!: string | null;
  @Field(() => Boolean) helpful!: boolean;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => FeedbackContextEnum) context!: FeedbackContext;
  @Field(() => Date) updatedAt!: Date;
}
