// Markdown export of a review as a file download (no client JavaScript needed).
import { ReviewMarkdownDocument } from '@/gql/graphql';
import { gql } from '@/lib/server';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const res = await gql(ReviewMarkdownDocument, { id });
  if (res.error !== undefined) return new Response(`The review could not be exported: ${res.error}\n`, { status: 502, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  const name = (res.data.review?.number ?? 'review').replace(/[^A-Za-z0-9-]/g, '');
  return new Response(res.data.reviewMarkdown, {
    headers: {
      'content-type': 'text/markdown; charset=utf-8',
      'content-disposition': `attachment; filename="${name}.md"`,
      'cache-control': 'no-store',
    },
  });
}
