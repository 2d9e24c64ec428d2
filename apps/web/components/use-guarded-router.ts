'use client';
// The app router with push and replace that ask first while a form holds unsaved text (see
// use-unsaved-changes.ts): every programmatic navigation that leaves a page goes through it.
import { useRouter } from 'next/navigation';
import { useMemo } from 'react';
import { confirmLeave } from './use-unsaved-changes';

type Router = ReturnType<typeof useRouter>;

/**
 * Goes when nothing unsaved is at risk or the user agrees. Staying refreshes the page: what led to
 * the navigation (often a record just created) then shows on it; typed text is kept (a refresh
 * re-renders from the server without resetting the forms' controls).
 */
function stayOrGo(router: Router, href: string, go: () => void) {
  if (confirmLeave(href)) go();
  else router.refresh();
}

export function useGuardedRouter(): Router {
  const router = useRouter();
  return useMemo(
    () => ({
      ...router,
      push: (href, options) => stayOrGo(router, href, () => router.push(href, options)),
      replace: (href, options) => stayOrGo(router, href, () => router.replace(href, options)),
    }),
    [router],
  );
}
