import type { TrackerKind } from '@ikb/domain';
import { ArrayMaxSize, IsBoolean, IsOptional, Matches, MaxLength, MinLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { TrackerKindEnum } from './tracker.types';

const TRANSITION = 'Jira transition name or id (at most 100 characters).';

@InputType({ description: 'Fields of a tracker connection; omitted fields stay as they are on update.' })
export class TrackerConnectionFields {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @MinLength(1)
  @MaxLength(120)
  @Matches(/\S/, { message: 'name must not be blank' })
  name?: string;
  @Field(() => String, {
    nullable: true,
    description: 'Jira: https://<site>.atlassian.net; GitHub: https://api.github.com or https://<host>/api/v3.',
  })
  @IsOptional()
  @MaxLength(500)
  baseUrl?: string;
  @Field(() => String, { nullable: true, description: "Jira: the account's e-mail." }) @IsOptional() @MaxLength(320) accountEmail?: string;
  @Field(() => String, { nullable: true, description: 'Jira API token or GitHub token; write-only (never shown again).' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(2000)
  token?: string;
  @Field(() => String, { nullable: true, description: 'Jira project key, e.g. OPS.' })
  @IsOptional()
  @Matches(/^[A-Za-z][A-Za-z0-9_]{0,49}$/)
  projectKey?: string;
  @Field(() => String, { nullable: true, description: 'Jira issue type name (default Task).' })
  @IsOptional()
  @MaxLength(100)
  issueType?: string;
  @Field(() => String, { nullable: true, description: 'GitHub owner (user or organisation).' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,100}$/)
  repoOwner?: string;
  @Field(() => String, { nullable: true, description: 'GitHub repository name.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,100}$/)
  repoName?: string;
  @Field(() => [String], { nullable: true, description: 'Labels put on every issue (at most 10).' })
  @IsOptional()
  @ArrayMaxSize(10)
  @MaxLength(50, { each: true })
  labels?: string[];
  @Field(() => String, { nullable: true, description: TRANSITION }) @IsOptional() @MaxLength(100) doneTransition?: string;
  @Field(() => String, { nullable: true, description: TRANSITION }) @IsOptional() @MaxLength(100) wontDoTransition?: string;
  @Field(() => String, { nullable: true, description: TRANSITION }) @IsOptional() @MaxLength(100) reopenTransition?: string;
  @Field(() => String, { nullable: true, description: "Resolution sent with the won't do transition." })
  @IsOptional()
  @MaxLength(100)
  wontDoResolution?: string;
  @Field(() => [String], { nullable: true, description: "Jira resolutions read as won't do (default: Won't Do, Won't Fix, Declined)." })
  @IsOptional()
  @ArrayMaxSize(20)
  @MaxLength(100, { each: true })
  wontDoResolutions?: string[];
  @Field(() => Boolean, { nullable: true }) @IsOptional() @IsBoolean() enabled?: boolean;
}

@InputType()
export class CreateTrackerConnectionInput extends TrackerConnectionFields {
  @Field(() => TrackerKindEnum) kind!: TrackerKind;
}
