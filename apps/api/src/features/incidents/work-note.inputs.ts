import { Matches, MaxLength, MinLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { MultiLine } from '../../graphql/text-fields';

/** Long enough for pasted logs and a diagnosis in progress; a dump is refused. */
export const WORK_NOTE_MAX = 20_000;

@InputType({ description: 'An internal work note: for the people working the incident, never sent to stakeholders.' })
export class WorkNoteInput {
  @MultiLine()
  @Field(() => String, { description: 'Markdown.' })
  @MinLength(1)
  @MaxLength(WORK_NOTE_MAX)
  @Matches(/\S/, { message: 'note must not be blank' })
  note!: string;
}
