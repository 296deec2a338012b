/** OpenAPI paths of the account lifecycle (docs/security.md#accounts): sign-up, invitations, members, sessions, 2FA. */
import { type z } from 'zod';
import {
  acceptInvitationSchema,
  invitationSchema,
  memberPatchSchema,
  passwordResetRequestSchema,
  passwordResetSchema,
  signupSchema,
  twoFactorCodeSchema,
} from './routes/account-lifecycle.routes';
import type { OpenApiHelpers } from './openapi-helpers';

type Helpers = Pick<OpenApiHelpers, 'schema' | 'json' | 'errors' | 'ok'>;

const USER = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    workspaceId: { type: 'string', format: 'uuid' },
    email: { type: 'string' },
    name: { type: 'string' },
    role: { enum: ['viewer', 'editor', 'admin'] },
    disabledAt: { type: ['string', 'null'], format: 'date-time' },
    instanceAdmin: { type: 'boolean', description: 'Operates the instance: grants credits beyond the cap' },
    twoFactorEnabled: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
  },
};
const LOGGED_IN = {
  type: 'object',
  description: 'Sets the session cookie',
  properties: { user: USER, workspace: { type: 'object' } },
};
const INVITATION = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    email: { type: 'string' },
    role: { enum: ['viewer', 'editor', 'admin'] },
    status: { enum: ['pending', 'accepted', 'revoked', 'expired'] },
    invitedBy: { type: ['string', 'null'] },
    expiresAt: { type: 'string', format: 'date-time' },
    acceptedAt: { type: ['string', 'null'] },
    revokedAt: { type: ['string', 'null'] },
    createdAt: { type: 'string', format: 'date-time' },
  },
};
const SESSION = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    current: { type: 'boolean', description: 'The session this request came with' },
    createdAt: { type: 'string' },
    lastSeenAt: { type: ['string', 'null'], description: 'Updated at most once a minute' },
    expiresAt: { type: 'string' },
    userAgent: { type: ['string', 'null'] },
    ip: { type: ['string', 'null'] },
  },
};
const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const list = (item: unknown) => ({ type: 'object', properties: { items: { type: 'array', items: item } } });

export function accountPaths({ schema, json, errors, ok }: Helpers) {
  const body = (s: z.ZodType) => ({ content: json(schema(s)) });
  return {
    '/auth/signup': {
      get: {
        summary: 'Whether sign-up is open on this instance (SIGNUP_ENABLED)',
        security: [],
        responses: { 200: ok('{ enabled }', { type: 'object', properties: { enabled: { type: 'boolean' } } }) },
      },
      post: {
        summary: 'Create a workspace and its admin, and log in',
        security: [],
        requestBody: body(signupSchema),
        responses: { 201: ok('Signed up and logged in', LOGGED_IN), ...errors(400, 404, 409) },
      },
    },
    '/auth/invitations/accept': {
      post: {
        summary: 'Accept an invitation with the emailed token, and log in',
        description:
          'A new address gives `name` and a new `password`; an address that already has an account gives that ' +
          "account's current password and moves into the inviting workspace. The token works once.",
        security: [],
        requestBody: body(acceptInvitationSchema),
        responses: {
          200: ok('Joined and logged in', LOGGED_IN),
          ...errors(400, 401, 409),
        },
      },
    },
    '/auth/password-reset': {
      post: {
        summary: 'Email a password-reset link',
        description: 'The answer is the same whether or not an account uses the address.',
        security: [],
        requestBody: body(passwordResetRequestSchema),
        responses: { 202: ok('Accepted'), ...errors(400) },
      },
    },
    '/auth/password-reset/confirm': {
      post: {
        summary: 'Set a new password with the emailed token (once, before it expires); ends every session',
        security: [],
        requestBody: body(passwordResetSchema),
        responses: { 204: ok('Password changed'), ...errors(400) },
      },
    },
    '/auth/sessions': {
      get: {
        summary: "The caller's own sessions (users only)",
        responses: { 200: ok('Sessions', list(SESSION)), ...errors(401, 403) },
      },
    },
    '/auth/sessions/{id}': {
      delete: {
        summary: 'Revoke one of the caller’s sessions; it ends at once',
        parameters: [id],
        responses: { 204: ok('Revoked'), ...errors(400, 401, 403, 404) },
      },
    },
    '/auth/two-factor': {
      get: {
        summary: "The caller's two-factor status",
        responses: {
          200: ok('Status', {
            type: 'object',
            properties: {
              enabled: { type: 'boolean' },
              recoveryCodesLeft: { type: 'integer' },
              available: { type: 'boolean', description: 'Two-factor is for admins' },
            },
          }),
          ...errors(401, 403),
        },
      },
    },
    '/auth/two-factor/enrol': {
      post: {
        summary: 'Start TOTP enrolment (admins): a new secret, shown once',
        responses: {
          201: ok('The secret as base32 and as an otpauth:// URI for a QR code', {
            type: 'object',
            properties: { secret: { type: 'string' }, otpauthUri: { type: 'string' } },
          }),
          ...errors(401, 403, 409),
        },
      },
    },
    '/auth/two-factor/confirm': {
      post: {
        summary: "Turn two-factor on with the app's first code; returns ten recovery codes, shown once",
        requestBody: body(twoFactorCodeSchema),
        responses: {
          200: ok('On', {
            type: 'object',
            properties: { enabled: { type: 'boolean' }, recoveryCodes: { type: 'array', items: { type: 'string' } } },
          }),
          ...errors(400, 401, 409),
        },
      },
    },
    '/auth/two-factor/disable': {
      post: {
        summary: 'Turn two-factor off with a current code or a recovery code',
        requestBody: body(twoFactorCodeSchema),
        responses: { 204: ok('Off'), ...errors(400, 401, 409) },
      },
    },
    '/invitations': {
      get: { summary: 'Invitations of the workspace (admin)', responses: { 200: ok('Invitations', list(INVITATION)) } },
      post: {
        summary: 'Invite an address with a role (admin); the link is emailed and expires (INVITATION_TTL_HOURS)',
        description: 'Inviting an address again revokes its pending invitation: that is how to resend.',
        requestBody: body(invitationSchema),
        responses: { 201: ok('Invited', INVITATION), ...errors(400, 401, 403, 409) },
      },
    },
    '/invitations/{id}': {
      delete: {
        summary: 'Revoke a pending invitation (admin)',
        parameters: [id],
        responses: { 204: ok('Revoked'), ...errors(400, 401, 403, 404) },
      },
    },
    '/users/{id}': {
      patch: {
        summary: "Change a member's role or disable them (admin); their sessions and API keys end at once",
        parameters: [id],
        requestBody: body(memberPatchSchema),
        responses: { 200: ok('The member', USER), ...errors(400, 401, 403, 404, 409) },
      },
      delete: {
        summary: 'Delete a member (admin); their sessions and API keys end at once',
        parameters: [id],
        responses: { 204: ok('Deleted'), ...errors(400, 401, 403, 404, 409) },
      },
    },
  };
}
