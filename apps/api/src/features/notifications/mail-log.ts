// The admin's view of the e-mail outbox: every mail with its tries (the SMTP server's answers), and
// sending failed ones again. Plain SQL on the request's EntityManager; two statements a page.
import { rawDate } from '../../db/raw-dates';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { pgTextArray } from '../../db/pg-array';
import { badInput } from '../../errors';
import { DeliveryStatusEnum } from './notification.types';

@ObjectType({ description: 'One try of a mail, as the SMTP server answered it.' })
export class NotificationMailTry {
  @Field(() => Date) at!: Date;
  @Field(() => Int, { nullable: true, description: 'SMTP reply code (250 accepted); null when the server was not reached.' })
  code!: number | null;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => Int) durationMs!: number;
}

@ObjectType({ description: 'One mail of the e-mail outbox, with its tries (admins).' })
export class NotificationMail {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'NOTIFICATION, DIGEST, STATUS_CONFIRM, STATUS_UPDATE, INVITATION, TEST.' }) purpose!: string;
  @Field(() => String) to!: string;
  @Field(() => String) subject!: string;
  @Field(() => DeliveryStatusEnum) status!: keyof typeof DeliveryStatusEnum;
  @Field(() => Int) attempts!: number;
  @Field(() => Date, { nullable: true, description: 'Next try, while pending.' }) nextAt!: Date | null;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Date, { nullable: true }) deliveredAt!: Date | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => [NotificationMailTry], { description: 'Every try, oldest first.' }) tries!: NotificationMailTry[];
}

export async function listMails(
  em: EntityManager,
  opts: { status?: string | null; first: number; after?: string | null },
): Promise<NotificationMail[]> {
  if (opts.after && !/^\d{1,18}$/.test(opts.after)) throw badInput('after', 'must be the id of a mail from the page before');
  const rows = await em.execute<
    {
      id: string;
      purpose: string;
      to_address: string;
      subject: string;
      status: NotificationMail['status'];
      attempts: number;
      next_at: string;
      last_error: string | null;
      delivered_at: string | null;
      created_at: string;
    }[]
  >(
    `select id::text, purpose, to_address, subject, status, attempts, next_at, last_error, delivered_at, created_at
       from notify.mails
      where (?::text is null or status = ?::text) and (?::bigint is null or id < ?::bigint)
      order by id desc limit ?`,
    [opts.status ?? null, opts.status ?? null, opts.after ?? null, opts.after ?? null, opts.first],
  );
  if (!rows.length) return [];
  const tries = await em.execute<{ mail_id: string; at: string; code: number | null; error: string | null; duration_ms: number }[]>(
    `select mail_id::text, at, code, error, duration_ms from notify.mail_attempts where mail_id = any(?::bigint[]) order by id`,
    [pgTextArray(rows.map((r) => r.id))],
  );
  return rows.map((r) => ({
    id: r.id,
    purpose: r.purpose,
    to: r.to_address,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    nextAt: r.status === 'PENDING' ? rawDate(r.next_at) : null,
    lastError: r.last_error,
    deliveredAt: rawDate(r.delivered_at),
    createdAt: rawDate(r.created_at)!,
    tries: tries
      .filter((x) => x.mail_id === r.id)
      .map((x) => ({ at: rawDate(x.at)!, code: x.code, error: x.error, durationMs: x.duration_ms })),
  }));
}

/** Failed mails (all, or those named) are sent again from a fresh schedule; answers how many. */
export async function replayMails(em: EntityManager, ids: string[] | null): Promise<number> {
  if (ids?.some((id) => !/^\d{1,18}$/.test(id))) throw badInput('ids', 'must list ids of mails from the e-mail log');
  const rows = await em.execute<{ id: string }[]>(
    `update notify.mails set status = 'PENDING', attempts = 0, next_at = now(), last_error = null
      where status = 'DEAD' ${ids ? 'and id = any(?::bigint[])' : ''} returning id`,
    ids ? [`{${ids.join(',')}}`] : [],
  );
  return rows.length;
}
