'use client';

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="error" role="alert">
      <h2>Something went wrong on this page</h2>
      <p>{error.message || 'Unexpected error.'}</p>
      {error.digest ? <p className="muted small">Reference: {error.digest}</p> : null}
      <button type="button" className="btn plain" onClick={() => reset()}>
        Try again
      </button>
    </div>
  );
}
