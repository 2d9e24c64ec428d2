import { forwardSso } from '@/lib/sso-forward';

export const dynamic = 'force-dynamic';

export async function GET(request: Request, ctx: { params: Promise<{ slug: string }> }): Promise<Response> {
  return forwardSso(request, (await ctx.params).slug, 'start');
}
