/**
 * Which stored files are public. Pure, so workflows may import it.
 *
 * - `posts/…` and `videos/…`: published post media and rendered videos, served to anyone at `/files/<key>`.
 * - `drafts/<workspaceId>/…`: what a run makes before a human approves it (a post's image). Served only to members of
 *   that workspace, at `/api/v1/files/<key>`; publishing copies the file under `posts/`.
 * - Everything else (reports, logos, documents) is served by the API routes that own it.
 */
export const PUBLIC_FILE_PREFIXES = ['posts/', 'videos/'] as const;

const DRAFTS = 'drafts/';

export const draftKeyPrefix = (workspaceId: string) => `${DRAFTS}${workspaceId}/`;

export const isPublicFileKey = (key: string) => PUBLIC_FILE_PREFIXES.some((prefix) => key.startsWith(prefix));

/** The workspace a draft belongs to, or null when the key is not a draft's. */
export function draftWorkspaceOf(key: string): string | null {
  if (!key.startsWith(DRAFTS)) return null;
  const workspaceId = key.slice(DRAFTS.length).split('/')[0];
  return workspaceId || null;
}

/** Path of a stored file's URL under the public URL: drafts go through the authenticated API. */
export const filePath = (key: string) => (key.startsWith(DRAFTS) ? '/api/v1/files/' : '/files/');

/** Rendered files are unlisted: served at `/files/videos/<brandId>/<random id>/…` (the API proxies remote storage). */
export function fileUrl(key: string): string {
  return `/files/${key.split('/').map(encodeURIComponent).join('/')}`;
}
