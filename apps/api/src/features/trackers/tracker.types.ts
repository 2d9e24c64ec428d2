import { TRACKER_KINDS, type TrackerKind } from '@ikb/domain';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export const TrackerKindEnum = Object.fromEntries(TRACKER_KINDS.map((k) => [k, k])) as { [K in TrackerKind]: K };
registerEnumType(TrackerKindEnum, {
  name: 'TrackerKind',
  description: 'JIRA: Jira Cloud (REST v3, account e-mail + API token); GITHUB: GitHub Issues (github.com or Enterprise, a token).',
});

export const TrackerLinkStateEnum = { QUEUED: 'QUEUED', SYNCED: 'SYNCED', RETRYING: 'RETRYING', FAILED: 'FAILED' } as const;
export type TrackerLinkState = keyof typeof TrackerLinkStateEnum;
registerEnumType(TrackerLinkStateEnum, {
  name: 'TrackerLinkState',
  description:
    'QUEUED: waiting to be sent; SYNCED: the tracker has the latest; RETRYING: the tracker failed, tried again later; ' +
    'FAILED: refused or out of tries (see lastError; retryTrackerSync sends it again).',
});

@ObjectType({ description: 'A Jira Cloud site or GitHub repository action items are pushed to (admins). Credentials are never shown.' })
export class TrackerConnection {
  @Field(() => ID) id!: string;
  @Field(() => TrackerKindEnum) kind!: TrackerKind;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'Jira: https://<site>.atlassian.net; GitHub: https://api.github.com or https://<host>/api/v3.' })
  baseUrl!: string;
  @Field(() => String, { nullable: true, description: "Jira: the account's e-mail the API token belongs to." }) accountEmail!:
    string | null;
  @Field(() => String, { nullable: true }) projectKey!: string | null;
  @Field(() => String, { nullable: true }) issueType!: string | null;
  @Field(() => String, { nullable: true }) repoOwner!: string | null;
  @Field(() => String, { nullable: true }) repoName!: string | null;
  @Field(() => [String]) labels!: string[];
  @Field(() => String, { nullable: true, description: 'Jira transition (name or id) used for done; unset: the first to a done status.' })
  doneTransition!: string | null;
  @Field(() => String, { nullable: true, description: "Jira transition for won't do; unset: the done one." }) wontDoTransition!:
    string | null;
  @Field(() => String, { nullable: true, description: 'Jira transition for reopening; unset: the first to a to-do status.' })
  reopenTransition!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "Jira resolution set with the won't do transition (e.g. Won't Do); unset: none sent.",
  })
  wontDoResolution!: string | null;
  @Field(() => [String], { description: "Jira resolutions that mean won't do when an issue reaches a done status." })
  wontDoResolutions!: string[];
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => String, { description: 'Path of the webhook on the API (prefix it with the API\u2019s public address).' })
  webhookPath!: string;
  @Field(() => Int, { description: 'Action items linked to it.' }) linked!: number;
  @Field(() => Int, { description: 'Sync jobs waiting or retrying.' }) pending!: number;
  @Field(() => Int, { description: 'Links whose last sync failed for good.' }) failed!: number;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType()
export class CreatedTrackerConnection {
  @Field(() => TrackerConnection) connection!: TrackerConnection;
  @Field(() => String, { description: 'The webhook secret to paste into Jira or GitHub; shown this once.' }) webhookSecret!: string;
}

@ObjectType({ description: 'A tracker an action item can be pushed to (any signed-in user sees these names).' })
export class TrackerTarget {
  @Field(() => ID) id!: string;
  @Field(() => TrackerKindEnum) kind!: TrackerKind;
  @Field(() => String) name!: string;
}

@ObjectType({ description: 'What a connection test or a test issue found, in plain words.' })
export class TrackerTestResult {
  @Field(() => Boolean) ok!: boolean;
  @Field(() => String) message!: string;
  @Field(() => Int, { nullable: true, description: "The tracker's HTTP status (null: no answer)." }) status!: number | null;
  @Field(() => String, { nullable: true, description: 'The test issue created (key or number).' }) key!: string | null;
  @Field(() => String, { nullable: true }) url!: string | null;
}

@ObjectType({ description: 'Where an action item lives on a tracker, and how its sync stands.' })
export class TrackerLink {
  @Field(() => ID) connectionId!: string;
  @Field(() => String) connectionName!: string;
  @Field(() => TrackerKindEnum) kind!: TrackerKind;
  @Field(() => String, { nullable: true, description: 'Jira key (OPS-12) or GitHub issue number; null until created.' })
  externalKey!: string | null;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => TrackerLinkStateEnum) state!: TrackerLinkState;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Date, { nullable: true }) lastPushedAt!: Date | null;
  @Field(() => Date, { nullable: true, description: 'Last status change heard from the tracker.' }) lastReceivedAt!: Date | null;
}

@ObjectType({ description: 'One call to a tracker, or one webhook received from it (admins).' })
export class TrackerSyncAttempt {
  @Field(() => ID) id!: string;
  @Field(() => Date) at!: Date;
  @Field(() => ID) connectionId!: string;
  @Field(() => String) connectionName!: string;
  @Field(() => ID, { nullable: true }) actionItemId!: string | null;
  @Field(() => String, { nullable: true }) externalKey!: string | null;
  @Field(() => String, { description: 'e.g. POST /rest/api/3/issue, or webhook issues.closed.' }) operation!: string;
  @Field(() => Int, { nullable: true }) httpStatus!: number | null;
  @Field(() => String, { description: 'OK, RETRY, FAILED, RECEIVED (applied) or IGNORED (webhook not applied; error says why).' })
  outcome!: string;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Int, { nullable: true }) durationMs!: number | null;
}
