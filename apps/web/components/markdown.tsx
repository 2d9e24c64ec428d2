// Safe Markdown for workaround steps (and any other user-written text): CommonMark plus GitHub's
// extensions (tables, task lists, strikethrough, autolinks, footnotes) through react-markdown and
// remark-gfm, cleaned by rehype-sanitize with GitHub's schema narrowed further below.
// - Raw HTML in the source is shown as text, never parsed or injected (`<script>` reads as `<script>`).
// - Links go only to same-site paths, http(s) URLs and mailto: (lib/safe-path.ts); any other target
//   (javascript:, data:, `https:evil` shorthands) leaves the link text without a link. Links that
//   leave the site get rel="noopener noreferrer nofollow".
// - Images never load (no requests to other sites from a page): their alt text is shown instead.
// - No inline styles: table cell alignment becomes a class (globals.css), not a style attribute.
// It renders on the server (no client JavaScript); the output is React elements only.
import type { ReactNode } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import { safeHref } from '@/lib/safe-path';

/** The few hast shapes the plugins below touch (hast's own types are not a dependency of the app). */
interface HastNode {
  type: string;
  tagName?: string;
  value?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

function walk(node: HastNode, fn: (node: HastNode) => void): void {
  fn(node);
  for (const child of node.children ?? []) walk(child, fn);
}

/**
 * Raw HTML becomes text before sanitizing (the sanitizer would drop it): shown, never parsed or run.
 * A block of HTML becomes a paragraph of text, like the prose around it.
 */
function rehypeRawAsText() {
  return (tree: HastNode) =>
    walk(tree, (node) => {
      if (node.type === 'raw') node.type = 'text';
      if (node.type !== 'root') return;
      node.children = (node.children ?? []).map((child) =>
        child.type === 'raw'
          ? { type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: child.value ?? '' }] }
          : child,
      );
    });
}

/**
 * Steps sit under the page's own h1/h2: headings shift down two levels (h1 -> h3, ... capped at h6).
 * The footnotes' heading (GFM's `sr-only`) takes the app's own class for text only screen readers read.
 */
function rehypeShiftHeadings() {
  return (tree: HastNode) =>
    walk(tree, (node) => {
      const m = node.type === 'element' ? /^h([1-6])$/.exec(node.tagName ?? '') : null;
      if (!m) return;
      node.tagName = `h${Math.min(6, Number(m[1]) + 2)}`;
      const cls = node.properties?.className;
      if (Array.isArray(cls) && cls.includes('sr-only')) node.properties!.className = ['visually-hidden'];
    });
}

/** GFM's `align` on table cells becomes a class, so no style attribute reaches the page. */
function rehypeAlignToClass() {
  return (tree: HastNode) =>
    walk(tree, (node) => {
      if (node.type !== 'element' || (node.tagName !== 'td' && node.tagName !== 'th') || !node.properties) return;
      const align = node.properties.align;
      delete node.properties.align;
      if (align === 'left' || align === 'center' || align === 'right') node.properties.className = [`align-${align}`];
    });
}

const TAGS_WITHOUT_HTML_ONLY_ONES = new Set([
  'details',
  'summary',
  'picture',
  'source',
  'ruby',
  'rp',
  'rt',
  'ins',
  'q',
  'div',
  'span',
  'b',
  'i',
  'strike',
  'tt',
  'samp',
  'var',
  'kbd',
  'dl',
  'dt',
  'dd',
]);

/**
 * GitHub's schema (which allows what GFM produces: tables, task-list checkboxes, `del`, code with a
 * `language-` class, footnotes) without the tags only raw HTML could produce, with images reduced
 * to their alt text and links to http(s), mailto and relative targets only.
 */
export const MARKDOWN_SCHEMA: SanitizeSchema = {
  ...defaultSchema,
  tagNames: (defaultSchema.tagNames ?? []).filter((t) => !TAGS_WITHOUT_HTML_ONLY_ONES.has(t)),
  attributes: {
    ...defaultSchema.attributes,
    img: ['alt'],
    '*': (defaultSchema.attributes?.['*'] ?? []).filter(
      (a) => a === 'align' || a === 'start' || a === 'checked' || a === 'id' || a === 'title',
    ),
  },
  protocols: { href: ['http', 'https', 'mailto'] },
  // Ids come only from footnotes, which remark-rehype already prefixes with `user-content-` (links
  // to them included); prefixing again here would break those links. Raw HTML never gets here.
  clobberPrefix: '',
  strip: ['script', 'style'],
};

/** Absolute http(s) URLs and mailto: leave the site; same-site paths do not. */
function isExternal(href: string): boolean {
  return !href.startsWith('/') && !href.startsWith('#');
}

/** Same-site paths, absolute http(s), mailto: and in-page footnote anchors; null (no link) otherwise. */
function urlTransform(url: string): string | null {
  if (url.startsWith('#')) return /^#[\w-]+$/.test(url) ? url : null;
  return safeHref(url);
}

const components: Components = {
  // Already sanitized; the rest (id, aria-describedby, data-footnote-*) serves footnotes.
  a({ node: _node, href, children, ...rest }) {
    const safe = typeof href === 'string' ? urlTransform(href) : null;
    if (!safe) return <>{children}</>;
    return (
      <a {...rest} href={safe} rel={isExternal(safe) ? 'noopener noreferrer nofollow' : undefined}>
        {children}
      </a>
    );
  },
  img({ alt }) {
    return alt ? <>{alt}</> : null;
  },
};

export function Markdown({ source, className }: { source: string; className?: string }): ReactNode {
  return (
    <div className={`markdown ${className ?? ''}`}>
      <ReactMarkdown
        remarkPlugins={[remarkGfm]}
        rehypePlugins={[rehypeRawAsText, [rehypeSanitize, MARKDOWN_SCHEMA], rehypeShiftHeadings, rehypeAlignToClass]}
        urlTransform={urlTransform}
        components={components}
      >
        {source ?? ''}
      </ReactMarkdown>
    </div>
  );
}
