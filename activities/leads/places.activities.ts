/**
 * Step 3 of a lead's enrichment, optional: look the lead up on Google Places (New) when a key is configured, and
 * return the fields of the place that is its business (lib/leads/places.ts decides which one is, if any). The
 * workflow merges `fields` into the lead with source kind `places`; nothing is written here.
 */
import { countryCodeOf, languageCode } from '../../lib/leads/extract/identity';
import type { LeadFields } from '../../lib/leads/lead-fields';
import { choosePlace, placesQuery, placeToLeadFields } from '../../lib/leads/places';
import { withHeartbeat } from '../shared/heartbeat';
import type { PlacesClient } from './places-client';

export interface PlacesActivityDeps {
  /** Null when no key is configured (PLACES_API_KEY). */
  client: PlacesClient | null;
  /** Candidates asked for per lookup; default 5. */
  pageSize?: number;
}

export interface LookupLeadPlaceInput {
  companyName: string | null;
  website: string | null;
  domain: string | null;
  city: string | null;
  /** ISO alpha-2 or a country name; biases the search (regionCode) and must agree with the place's. */
  country: string | null;
  /** The lead's language (BCP 47): names and addresses come back in it. */
  language?: string;
}

export type LookupLeadPlaceResult =
  | {
      status: 'matched';
      placeId: string;
      fields: Partial<LeadFields>;
      mapsUrl: string | null;
      rating?: number;
      ratingCount?: number;
      /** OPERATIONAL, CLOSED_TEMPORARILY or CLOSED_PERMANENTLY, when Google says. */
      businessStatus?: string;
    }
  /** `reason` says why the best candidate was refused (or that there was nothing to search for). */
  | { status: 'no-match'; candidates: number; reason: string }
  | { status: 'not-configured' };

export function createPlacesActivities(deps: PlacesActivityDeps) {
  const { client } = deps;

  return {
    async lookupLeadPlace(input: LookupLeadPlaceInput): Promise<LookupLeadPlaceResult> {
      if (!client) return { status: 'not-configured' };
      const query = placesQuery(input);
      if (!query) return { status: 'no-match', candidates: 0, reason: 'the lead has neither a name nor a website' };
      return withHeartbeat({ query }, async ({ signal }) => {
        const places = await client.searchText(query, {
          languageCode: languageCode(input.language) ?? undefined,
          regionCode: countryCodeOf(input.country) ?? undefined,
          pageSize: deps.pageSize,
          signal,
        });
        const choice = choosePlace(input, places);
        if (!choice.place) return { status: 'no-match', candidates: places.length, reason: choice.reason };
        return { status: 'matched', ...placeToLeadFields(choice.place) };
      });
    },
  };
}

export type PlacesActivities = ReturnType<typeof createPlacesActivities>;
