/** Who is calling: the owner through a browser session, or a program holding a scoped API token. */
export type Principal =
  | { kind: 'session'; sessionId: string; expiresAt: Date }
  | { kind: 'token'; tokenId: string; scopes: readonly string[]; expiresAt: Date };

/**
 * `public`: anyone. `authenticated`: any live session or token. `owner`: the owner's browser session only (tokens cannot mint tokens or change
 * the passphrase). `{ scope }`: the owner's session, or a token granted that scope.
 */
export type Access = 'public' | 'authenticated' | 'owner' | { scope: string };

export function allows(access: Access, principal: Principal): boolean {
  if (access === 'public' || access === 'authenticated' || principal.kind === 'session') return true;
  if (access === 'owner') return false;
  return principal.scopes.includes(access.scope);
}

/** For routes whose scope depends on the path, e.g. `/collections/:name`. */
export function hasScope(principal: Principal, scope: string): boolean {
  return allows({ scope }, principal);
}
