/** OpenAPI paths of a brand's connected platform accounts and the OAuth callback (docs/publishing.md). */
import { CONNECTABLE_PLATFORMS } from '../lib/oauth/oauth-config';
import type { OpenApiHelpers } from './openapi-helpers';

type Helpers = Pick<OpenApiHelpers, 'errors' | 'ok'>;

const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const platform = { name: 'platform', in: 'path', required: true, schema: { enum: [...CONNECTABLE_PLATFORMS] } };
const ACCOUNT = {
  type: ['object', 'null'],
  description: 'The connected account; never carries a token',
  properties: {
    id: { type: 'string', format: 'uuid' },
    platform: { enum: [...CONNECTABLE_PLATFORMS] },
    externalId: { type: 'string', description: 'The page, user or author the posts go to' },
    externalName: { type: ['string', 'null'] },
    status: { enum: ['connected', 'reconnect_needed', 'revoked'] },
    scopes: { type: 'array', items: { type: 'string' } },
    expiresAt: { type: ['string', 'null'], format: 'date-time' },
    lastError: { type: ['string', 'null'] },
    connectedAt: { type: 'string', format: 'date-time' },
    refreshedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

export function connectedAccountPaths({ errors, ok }: Helpers) {
  return {
    '/brands/{id}/connected-accounts': {
      get: {
        summary: "The brand's platform accounts, one entry per platform",
        parameters: [id],
        responses: {
          200: ok('Accounts', {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    platform: { enum: [...CONNECTABLE_PLATFORMS] },
                    available: { type: 'boolean', description: 'The deployment has this platform’s OAuth app' },
                    account: ACCOUNT,
                  },
                },
              },
            },
          }),
          ...errors(400, 401, 404),
        },
      },
    },
    '/brands/{id}/connected-accounts/{platform}/connect': {
      post: {
        summary:
          'Start connecting the brand’s account: the platform’s authorize URL (state, PKCE S256 where supported)',
        description:
          'Send the browser to `authorizeUrl`; the platform returns it to /oauth/callback. Valid 10 minutes.',
        parameters: [id, platform],
        responses: {
          201: ok('Authorize URL', {
            type: 'object',
            properties: {
              platform: { enum: [...CONNECTABLE_PLATFORMS] },
              authorizeUrl: { type: 'string', format: 'uri' },
              pkce: { type: 'boolean' },
              expiresAt: { type: 'string', format: 'date-time' },
            },
          }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    '/brands/{id}/connected-accounts/{platform}': {
      delete: {
        summary: 'Disconnect the brand’s account, revoking its tokens at the platform where it has an endpoint',
        parameters: [id, platform],
        responses: {
          200: ok('Disconnected', {
            type: 'object',
            properties: {
              platform: { enum: [...CONNECTABLE_PLATFORMS] },
              revoked: { type: 'boolean', description: 'The platform confirmed the revocation' },
              error: { type: 'string' },
            },
          }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    '/oauth/callback': {
      get: {
        summary: 'Where platforms send the browser back after a connect (authorised by the single-use state)',
        security: [],
        parameters: ['state', 'code', 'error', 'error_description'].map((name) => ({
          name,
          in: 'query',
          required: false,
          schema: { type: 'string' },
        })),
        responses: { 303: ok('Back to the brand’s accounts tab'), ...errors(400) },
      },
    },
  };
}
