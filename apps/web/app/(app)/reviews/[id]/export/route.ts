// Markdown export of a review as a file download (no client JavaScript needed). A malformed or
// unknown id is a 404 like any missing page; 502 only when the API could not be reached.
import { ReviewMarkdownDocument } from '@/gql/graphql';
import { statusForFailure } from '@/lib/errors';
import { gql } from '@/lib/server';

export const dynamic = 'force-dynamic';

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const res = await gql(ReviewMarkdownDocument, { id });
  if (res.error !== undefined) {
    const status = statusForFailure(res);
    const message = status === 404 ? `There is no review with id "${id.slice(0, 60)}".` : `The review could not be exported: ${res.error}`;
    const headers: Record<string, string> = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
    if (res.retryAfter && (status === 429 || status === 503)) headers['retry-after'] = res.retryAfter;
    return new Response(`${message}\n`, { status, headers });
  }
  const name = (res.data.review?.number ?? 'review').replace(/[^A-Za-z0-9-]/g, '');
  return new Response(res.data.reviewMarkdown, {
    headers: {
      'content-type': 'text/markdown; charset=utf-8',
      'content-disposition': `attachment; filename="${name}.md"`,
      'cache-control': 'no-store',
    },
  });
}
