import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context';
import { Review } from '../reviews/review.entity';
import { reviewInvitation, reviewInvitees, ReviewInvitationService } from './review-invitation.service';
import { ReviewInvitation, ReviewInvitee } from './review-invitation.types';

/** Review meetings as calendar invitations (issue 25, part 5; docs/notifications.md). */
@Resolver(() => Review)
export class ReviewInvitationResolver {
  @Mutation(() => Review, {
    description:
      "Mails the review's meeting as an iCalendar invitation (METHOD:REQUEST) to the facilitator and participants with an " +
      'address; again after a change, an update (same UID, higher SEQUENCE). Needs SMTP (MAIL_NOT_CONFIGURED otherwise).',
  })
  async sendReviewInvitation(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Review> {
    return new ReviewInvitationService(ctx.em, await ctx.actor()).send(id);
  }

  @FieldResolver(() => [ReviewInvitee], { description: 'Who a calendar invitation goes to; email null: cannot be invited.' })
  invitees(@Root() r: Review, @Ctx() ctx: Context): Promise<ReviewInvitee[]> {
    return reviewInvitees(ctx.em, r);
  }

  @FieldResolver(() => ReviewInvitation, { nullable: true, description: 'The last invitation sent; null: never.' })
  invitation(@Root() r: Review, @Ctx() ctx: Context): Promise<ReviewInvitation | null> {
    return reviewInvitation(ctx.em, r);
  }
}
