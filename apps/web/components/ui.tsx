// Small server-safe building blocks: states, badges, pagination.
import Link from 'next/link';
import type { CSSProperties, ReactNode } from 'react';
import { humanize, priorityLabel } from '@/lib/format';

export function ErrorBox({ title, message }: { title: string; message: string }) {
  return (
    <div className="error" role="alert">
      <h2>{title}</h2>
      <p>{message}</p>
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function PriorityBadge({ priority }: { priority: number }) {
  return <span className={`badge priority priority-${priority}`}>{priorityLabel(priority)}</span>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status status-${status.toLowerCase()}`}>{humanize(status)}</span>;
}

export function MajorBadge() {
  return <span className="badge major">Major</span>;
}

export function PageHeader({ title, lead, actions }: { title: ReactNode; lead?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <h1>{title}</h1>
        {lead ? <p className="lead">{lead}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </div>
  );
}

/** Cursor pagination links that keep the other query parameters. */
export function Pager({
  basePath,
  params,
  endCursor,
  hasNextPage,
  isFirstPage,
  shown,
  total,
}: {
  basePath: string;
  params: Record<string, string | undefined>;
  endCursor: string | null | undefined;
  hasNextPage: boolean;
  isFirstPage: boolean;
  shown: number;
  total: number;
}) {
  const qs = (extra: Record<string, string | undefined>) => {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...params, ...extra })) if (v) sp.set(k, v);
    const s = sp.toString();
    return s ? `${basePath}?${s}` : basePath;
  };
  return (
    <nav className="pager" aria-label="Pages">
      <span className="muted">
        {shown} shown of {total}
      </span>
      {!isFirstPage ? <Link href={qs({ after: undefined })}>« First page</Link> : null}
      {hasNextPage && endCursor ? (
        <Link href={qs({ after: endCursor })} rel="next">
          Next page »
        </Link>
      ) : null}
    </nav>
  );
}

export function Dl({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Said where a control is hidden because the signed-in role may not use it. */
export function NotAllowed({ what }: { what: string }) {
  return <p className="read-only-note">Your role may not {what}.</p>;
}

/** A disclosure holding one form: keyboard and screen-reader friendly without any script. */
export function Disclosure({
  summary,
  children,
  open,
  style,
}: {
  summary: ReactNode;
  children: ReactNode;
  open?: boolean;
  style?: CSSProperties;
}) {
  return (
    <details className="action" open={open} style={style}>
      <summary>{summary}</summary>
      <div className="body">{children}</div>
    </details>
  );
}
