// A tiny, safe Markdown renderer for workaround steps: headings, paragraphs, ordered and
// unordered lists, fenced code, block quotes, **bold**, *italic*, `code` and [links](https://...)
// (same-site paths, http(s) and mailto only: lib/safe-path.ts).
// It builds React elements only — raw HTML in the source is shown as text, never injected.
import { Fragment, type ReactNode } from 'react';
import { safeHref } from '@/lib/safe-path';

function inline(text: string, key: string): ReactNode[] {
  const out: ReactNode[] = [];
  const re = /(`[^`]+`)|(\*\*[^*]+\*\*)|(__[^_]+__)|(\*[^*\s][^*]*\*)|(_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/g;
  let last = 0;
  let m: RegExpExecArray | null;
  let i = 0;
  while ((m = re.exec(text))) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const tok = m[0];
    const k = `${key}-${i++}`;
    if (tok.startsWith('`')) out.push(<code key={k}>{tok.slice(1, -1)}</code>);
    else if (tok.startsWith('**') || tok.startsWith('__')) out.push(<strong key={k}>{inline(tok.slice(2, -2), k)}</strong>);
    else if (tok.startsWith('[')) {
      const [, label, raw] = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(tok) ?? [];
      const href = raw ? safeHref(raw) : null;
      if (href) {
        out.push(
          <a key={k} href={href} rel="noopener noreferrer nofollow">
            {inline(label ?? href, k)}
          </a>,
        );
      } else out.push(tok);
    } else out.push(<em key={k}>{inline(tok.slice(1, -1), k)}</em>);
    last = m.index + tok.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

type Block =
  | { t: 'h'; level: number; text: string }
  | { t: 'p'; text: string }
  | { t: 'code'; text: string }
  | { t: 'quote'; text: string }
  | { t: 'ul' | 'ol'; items: string[]; start: number }
  | { t: 'hr' };

function parse(src: string): Block[] {
  const lines = src.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (/^\s*$/.test(line)) {
      i++;
      continue;
    }
    const fence = /^\s*(```|~~~)/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(fence[1]!)) body.push(lines[i++]!);
      i++;
      blocks.push({ t: 'code', text: body.join('\n') });
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      blocks.push({ t: 'h', level: h[1]!.length, text: h[2]!.replace(/\s+#+\s*$/, '') });
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      blocks.push({ t: 'hr' });
      i++;
      continue;
    }
    if (/^\s*>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i]!)) body.push(lines[i++]!.replace(/^\s*>\s?/, ''));
      blocks.push({ t: 'quote', text: body.join(' ') });
      continue;
    }
    const listRe = /^\s*([-*+]|(\d+)[.)])\s+(.*)$/;
    const first = listRe.exec(line);
    if (first) {
      const ordered = !!first[2];
      const items: string[] = [];
      while (i < lines.length) {
        const m = listRe.exec(lines[i]!);
        if (m && !!m[2] === ordered) {
          items.push(m[3]!);
          i++;
        } else if (items.length && /^\s{2,}\S/.test(lines[i]!)) {
          items[items.length - 1] += ` ${lines[i++]!.trim()}`;
        } else break;
      }
      blocks.push({ t: ordered ? 'ol' : 'ul', items, start: ordered ? Number(first[2]) : 1 });
      continue;
    }
    const para: string[] = [];
    while (i < lines.length && !/^\s*$/.test(lines[i]!) && !/^(#{1,6}\s|\s*```|\s*~~~|\s*>|\s*([-*+]|\d+[.)])\s)/.test(lines[i]!)) {
      para.push(lines[i++]!.trim());
    }
    blocks.push({ t: 'p', text: para.join(' ') });
  }
  return blocks;
}

export function Markdown({ source, className }: { source: string; className?: string }) {
  const blocks = parse(source ?? '');
  return (
    <div className={`markdown ${className ?? ''}`}>
      {blocks.map((b, n) => {
        const k = `b${n}`;
        switch (b.t) {
          case 'h': {
            // Steps sit under the page's own h1/h2: shift headings down to h3..h6.
            const level = Math.min(6, b.level + 2);
            const Tag = `h${level}` as 'h3';
            return <Tag key={k}>{inline(b.text, k)}</Tag>;
          }
          case 'p':
            return <p key={k}>{inline(b.text, k)}</p>;
          case 'code':
            return (
              <pre key={k}>
                <code>{b.text}</code>
              </pre>
            );
          case 'quote':
            return <blockquote key={k}>{inline(b.text, k)}</blockquote>;
          case 'hr':
            return <hr key={k} />;
          case 'ul':
            return (
              <ul key={k}>
                {b.items.map((it, j) => (
                  <li key={j}>{inline(it, `${k}-${j}`)}</li>
                ))}
              </ul>
            );
          case 'ol':
            return (
              <ol key={k} start={b.start}>
                {b.items.map((it, j) => (
                  <li key={j}>{inline(it, `${k}-${j}`)}</li>
                ))}
              </ol>
            );
          default:
            return <Fragment key={k} />;
        }
      })}
    </div>
  );
}
