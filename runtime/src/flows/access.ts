import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../http/index.ts';
import { initialsAvatar } from './avatar.ts';

/**
 * The request header through which the gate (gate.ts) tells Node-RED who is asking. Node-RED's
 * `adminAuth.tokens` hook reads it; whatever a client sent under this name is removed first.
 */
export const ADMISSION_HEADER = 'x-hearth-admission';

/** A user as Node-RED's admin API understands one: `*` may do everything, `read` may look. */
export interface FlowUser {
  username: string;
  permissions: '*' | 'read';
  /** The picture of the editor's user menu. */
  image?: string;
}

/**
 * What a Hearth principal may do with flows. The owner's session may do everything, and the
 * editor names the owner as they named themselves; an API token needs `flows:write` to change
 * flows (which run code with access to all data) or `flows:read` to read them. A token with
 * neither is not a flows user at all.
 */
export function flowUser(principal: Principal, ownerName: string | undefined): FlowUser | undefined {
  if (principal.kind === 'session') {
    return ownerName ? { username: ownerName, permissions: '*', image: initialsAvatar(ownerName) } : { username: 'owner', permissions: '*' };
  }
  if (principal.scopes.includes('flows:write')) return { username: `token ${principal.tokenId}`, permissions: '*' };
  if (principal.scopes.includes('flows:read')) return { username: `token ${principal.tokenId}`, permissions: 'read' };
  return undefined;
}

/**
 * Admission tickets: the gate, having checked a request's Hearth session or token, gives it a
 * random ticket for its lifetime; Node-RED asks which user a ticket stands for. A ticket is worth
 * nothing once its request or connection ends, and it leaves hearthd only in the forwarded
 * request's header, to the flows process, which asks hearthd back (process/child.ts).
 */
export function createAdmissions() {
  const admitted = new Map<string, FlowUser>();
  return {
    admit(req: IncomingMessage, user: FlowUser, until: { once(event: 'close', listener: () => void): unknown }): void {
      const ticket = randomBytes(24).toString('base64url');
      admitted.set(ticket, user);
      req.headers[ADMISSION_HEADER] = ticket;
      until.once('close', () => admitted.delete(ticket));
    },
    /** Node-RED's `adminAuth.tokens`: the user a ticket stands for, or null. */
    userFor(ticket: string): Promise<FlowUser | null> {
      return Promise.resolve(admitted.get(ticket) ?? null);
    },
  };
}

export type Admissions = ReturnType<typeof createAdmissions>;
