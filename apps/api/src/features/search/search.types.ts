import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, IsBoolean, IsInt, IsOptional, IsUUID, Max, MaxLength, Min } from 'class-validator';
import type { ResolutionKind } from '@ikb/domain';
import { ResolutionKindEnum } from '../incidents/incident.enums';
import { Category } from '../directory/category.entity';
import { Service } from '../directory/service.entity';
import { PageInfo } from '../incidents/incident.types';
import { MultiLine } from '../../graphql/text-fields';

export const SEARCH_KINDS = ['INCIDENT', 'PROBLEM', 'KNOWN_ERROR', 'WORKAROUND', 'MODEL', 'REVIEW'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export const SearchKindEnum = Object.fromEntries(SEARCH_KINDS.map((k) => [k, k])) as { [K in SearchKind]: K };
registerEnumType(SearchKindEnum, {
  name: 'SearchKind',
  description:
    'INCIDENT = resolved incident (or any incident found by its own number); KNOWN_ERROR = problem with documented root cause ' +
    'and an active workaround.',
});

export const PERIODS = ['LAST_7_DAYS', 'LAST_30_DAYS', 'LAST_90_DAYS', 'LAST_365_DAYS', 'OLDER'] as const;
export type Period = (typeof PERIODS)[number];
export const PeriodEnum = Object.fromEntries(PERIODS.map((k) => [k, k])) as { [K in Period]: K };
registerEnumType(PeriodEnum, { name: 'SearchPeriod' });

@InputType({
  description:
    'Web-search syntax: words, "quoted phrases", OR, -excluded. Identifiers (INC-000123, ORA-01555) match exactly, and a ' +
    "record's own number (INC-, PRB-, PIR-, an external reference) finds it whatever its status; a word the catalog has never " +
    'seen is corrected only to a known word within a small edit distance (see correctedFrom; literal turns that off).',
})
export class SearchInput {
  /** At most 500 characters, checked by the service (BAD_USER_INPUT naming input.query, like its other query checks). */
  @MultiLine()
  @Field(() => String)
  query!: string;

  @Field(() => [SearchKindEnum], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(6)
  kinds?: SearchKind[];

  @Field(() => [ID], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  serviceIds?: string[];

  @Field(() => [ID], { nullable: true, description: 'A category matches its subcategories too.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  categoryIds?: string[];

  @Field(() => [Int], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(5)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(5, { each: true })
  priorities?: number[];

  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(20)
  @MaxLength(20, { each: true })
  statuses?: string[];

  @Field(() => PeriodEnum, { nullable: true })
  period?: Period;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Search the words exactly as typed: no spelling correction ("search instead for ..."). Synonyms still apply.',
  })
  @IsOptional()
  @IsBoolean()
  literal?: boolean;

  @Field(() => ID, {
    nullable: true,
    description: "The incident this search is made for (its page's suggestions): search analytics tell whether it was resolved with a hit.",
  })
  @IsOptional()
  @IsUUID('all')
  incidentId?: string;
}

@ObjectType({ description: 'A record a hit refers to, by id and title.', simpleResolvers: true })
export class SearchRecordRef {
  @Field(() => ID) id!: string;
  @Field(() => String) title!: string;
}

@ObjectType({
  description: 'What fixed it: how service was restored, the notes, and the workaround or model applied.',
  simpleResolvers: true,
})
export class SearchFix {
  @Field(() => ResolutionKindEnum, { nullable: true, description: "An incident's resolution kind." })
  resolutionKind!: ResolutionKind | null;
  @Field(() => String, {
    nullable: true,
    description: "Resolution notes, or a problem's fix (or root cause); plain text, at most 400 characters.",
  })
  notes!: string | null;
  @Field(() => SearchRecordRef, { nullable: true, description: "The workaround applied (a problem's active one)." })
  workaround!: SearchRecordRef | null;
  @Field(() => SearchRecordRef, { nullable: true, description: 'The incident model applied.' })
  model!: SearchRecordRef | null;
}

@ObjectType({ description: 'A matching incident of a recurring group.', simpleResolvers: true })
export class SearchRepeat {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'INC-000123.' }) number!: string;
  @Field(() => String) title!: string;
  @Field(() => String) status!: string;
  @Field(() => Date) occurredAt!: Date;
}

@ObjectType({ description: 'The problem whose recurring incidents a hit groups.', simpleResolvers: true })
export class SearchGroupProblem {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'PRB-00012.' }) number!: string;
  @Field(() => String) title!: string;
  @Field(() => String) status!: string;
}

@ObjectType({
  description: 'Matching incidents that are repeats of one problem, shown as one hit: the problem, how many matched, the latest three.',
  simpleResolvers: true,
})
export class SearchRepeats {
  @Field(() => SearchGroupProblem) problem!: SearchGroupProblem;
  @Field(() => Int, { description: 'Matching incidents linked to the problem.' }) count!: number;
  @Field(() => [SearchRepeat], { description: 'The most recent of them, newest first (at most 3).' }) latest!: SearchRepeat[];
}

@ObjectType({ description: 'One hit of the solution catalog.', simpleResolvers: true })
export class SearchHit {
  @Field(() => SearchKindEnum) kind!: SearchKind;
  @Field(() => ID, { description: 'Id of the incident, problem, workaround, model or review.' }) id!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { description: 'HTML-escaped text with matched words in <mark>...</mark>.' }) snippet!: string;
  @Field(() => Float) score!: number;
  @Field(() => Float, { description: 'Text relevance before boosts.' }) textScore!: number;
  @Field(() => Float, { description: 'Boost applied (see the ranking definition).' }) boost!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'Weight of an approved boost for this query and record (score x (1 + weight)); see searchBoosts.',
  })
  queryBoost!: number | null;
  @Field(() => [String], { description: 'Fields that matched: title, body, identifiers, title (fuzzy).' }) matchedFields!: string[];
  @Field(() => [String], { description: 'Query terms (stemmed) found in the record.' }) matchedTerms!: string[];
  @Field(() => String, { description: 'Why it matched, terse (stemmed terms, boost factor); see explanation for words.' })
  reason!: string;
  @Field(() => [String], {
    description:
      'Why it matched, in plain words, one sentence each: the words found in each field (synonyms and spellings used), ' +
      'identifiers, missing words, and why it ranks higher or lower.',
  })
  explanation!: string[];
  @Field(() => Boolean, { description: "The query's identifier is this record's own number or external reference: it comes first." })
  exactMatch!: boolean;
  @Field(() => SearchFix, {
    nullable: true,
    description: "What fixed it: an incident's resolution; a problem's (or a review's problem's) fix and workaround; a model's workaround.",
  })
  fix!: SearchFix | null;
  @Field(() => SearchRepeats, {
    nullable: true,
    description: 'Set when two or more matching incidents share a problem: they are this one hit (the problem, or its best incident).',
  })
  repeats!: SearchRepeats | null;
  @Field(() => Date) occurredAt!: Date;
  @Field(() => Int, { nullable: true }) priority!: number | null;
  @Field(() => String, { nullable: true }) status!: string | null;
  @Field(() => Boolean, { description: 'Retired workarounds and models come last.' }) retired!: boolean;
  serviceId!: string | null;
  categoryId!: string | null;
  /** An incident hit's row, brought along by the search statement: the `incident` field needs no statement of its own. */
  incidentRow?: Record<string, unknown>;
  /** Set by the resolver from the rows the search statement brought along (no loader, no promise per hit). */
  @Field(() => Service, { nullable: true }) service!: Service | null;
  @Field(() => Category, { nullable: true }) category!: Category | null;
}

@ObjectType({ simpleResolvers: true })
export class SearchEdge {
  @Field(() => String) cursor!: string;
  @Field(() => SearchHit) node!: SearchHit;
}

@ObjectType({ simpleResolvers: true })
export class FacetCount {
  @Field(() => String) value!: string;
  @Field(() => String, { description: 'Readable label (service or category name).' }) label!: string;
  @Field(() => Int) count!: number;
}

@ObjectType({
  description:
    'Per value, the hits (as totalCount counts them: a group of repeats once) the search would show with that value chosen, ' +
    'the other facets as they are (a facet ignores its own filter). Counted over the candidates totalCount counts: exact when ' +
    'totalIsExact; when the total is capped, a count is of the capped candidates (choosing the value looks for its own, ' +
    'and may find more).',
  simpleResolvers: true,
})
export class SearchFacets {
  @Field(() => [FacetCount]) kinds!: FacetCount[];
  @Field(() => [FacetCount]) services!: FacetCount[];
  @Field(() => [FacetCount]) categories!: FacetCount[];
  @Field(() => [FacetCount]) priorities!: FacetCount[];
  @Field(() => [FacetCount]) statuses!: FacetCount[];
  @Field(() => [FacetCount]) periods!: FacetCount[];
}

@ObjectType({ description: 'A query word and what else it was looked for as.', simpleResolvers: true })
export class SearchAlternative {
  @Field(() => String) term!: string;
  @Field(() => [String]) alternatives!: string[];
}

@ObjectType({ simpleResolvers: true })
export class SearchUnderstanding {
  @Field(() => [SearchAlternative], { description: "Terms also looked for as their synonyms (the admins' list)." })
  synonyms!: SearchAlternative[];
  @Field(() => [SearchAlternative], { description: 'Words the catalog has never seen, also looked for as the nearest known words.' })
  spellings!: SearchAlternative[];
  @Field(() => Int, { description: 'Terms of the query that are scored (stop words left out).' }) terms!: number;
  @Field(() => Int, {
    description: 'How many of the counted terms a record needs when no record has them all (minimum should match).',
  })
  minimumShouldMatch!: number;
  @Field(() => Int, { description: 'Terms that count toward minimumShouldMatch (those in more than 20 % of records do not).' })
  countedTerms!: number;
  @Field(() => String, { description: 'All of the above as a sentence.' }) summary!: string;
}

@ObjectType({ simpleResolvers: true })
export class SearchConnection {
  @Field(() => [SearchEdge]) edges!: SearchEdge[];
  @Field(() => [SearchHit]) nodes!: SearchHit[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int, {
    description: 'Hits, counted up to the ranking cap of 500 (see totalIsExact and ranking); a group of repeats (see repeats) counts once.',
  })
  totalCount!: number;
  @Field(() => Int, {
    description:
      'The records behind totalCount: each repeat in a group counts here (totalCount 12, recordCount 31: 12 hits of 31 records).',
  })
  recordCount!: number;
  @Field(() => Boolean) totalIsExact!: boolean;
  @Field(() => SearchFacets) facets!: SearchFacets;
  @Field(() => String, { description: 'How the query was understood (the PostgreSQL tsquery).' }) interpretedAs!: string;
  @Field(() => SearchUnderstanding, { description: 'How the query was understood, in words: synonyms, spellings, terms required.' })
  understanding!: SearchUnderstanding;
  @Field(() => String, { description: 'The ranking definition.' }) ranking!: string;
  @Field(() => String, {
    nullable: true,
    description: 'This search in the search analytics: pass it to recordSearchOpen when a hit is opened. Null when recording is off.',
  })
  searchId!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Set when misspelt words were corrected and the corrections found records: the query as typed.',
  })
  correctedFrom!: string | null;
  @Field(() => String, { nullable: true, description: 'The query with the corrections that found records ("showing results for").' })
  correctedTo!: string | null;
}
