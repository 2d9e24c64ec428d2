import Link from 'next/link';

export default function NotFound() {
  return (
    <div className="notice">
      <h1>Not found</h1>
      <p>Nothing lives at this address. It may have been mistyped, or the record does not exist.</p>
      <p>
        <Link href="/">Back to the overview</Link>
      </p>
    </div>
  );
}
