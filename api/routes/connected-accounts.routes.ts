/** A brand's connected platform accounts (issue 12), and the OAuth callback the platforms send the browser to. */
import { Router } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { CONNECTABLE_PLATFORMS } from '../../lib/oauth/oauth-config';
import { principalOf, requireRole } from '../middleware/auth';
import type { ConnectedAccountService } from '../services/connected-account.service';
import { parse } from '../validation';

const platformSchema = z.enum(CONNECTABLE_PLATFORMS);
const callbackSchema = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});

export function connectedAccountsRouter(service: ConnectedAccountService): Router {
  const router = Router();
  router.get('/brands/:id/connected-accounts', async (req, res) => {
    res.json(await service.list(principalOf(res), parse(z.uuid(), req.params.id, 'id')));
  });
  router.post('/brands/:id/connected-accounts/:platform/connect', requireRole('editor'), async (req, res) => {
    const id = parse(z.uuid(), req.params.id, 'id');
    const platform = parse(platformSchema, req.params.platform, 'platform');
    res.status(201).json(await service.startConnect(principalOf(res), id, platform));
  });
  router.delete('/brands/:id/connected-accounts/:platform', requireRole('editor'), async (req, res) => {
    const id = parse(z.uuid(), req.params.id, 'id');
    const platform = parse(platformSchema, req.params.platform, 'platform');
    res.json(await service.disconnect(principalOf(res), id, platform));
  });
  return router;
}

/** Public: the platform redirects the browser here; the state authorises it (see the service). */
export function oauthCallbackRouter(service: ConnectedAccountService): Router {
  const router = Router();
  router.get('/oauth/callback', async (req, res) => {
    const outcome = await service.callback(parse(callbackSchema, req.query));
    if (outcome.status === 303) {
      res.redirect(303, outcome.location);
      return;
    }
    throw new ValidationError(outcome.message, { errors: [{ field: 'state', message: outcome.message }] });
  });
  return router;
}
