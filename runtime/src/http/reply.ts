export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string | string[]>;
  /** The handler streamed the response itself (progress lines, an export). */
  sent?: true;
}

export const alreadySent = (): Reply => ({ status: 200, sent: true });

export const json = (status: number, body: unknown, headers?: Record<string, string | string[]>): Reply =>
  headers ? { status, body, headers } : { status, body };

export const noContent = (headers?: Record<string, string | string[]>): Reply =>
  headers ? { status: 204, headers } : { status: 204 };
