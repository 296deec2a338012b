/**
 * A brand's logo: uploaded through the API (at most this size), stored in file storage under the brand, and inlined
 * as a data URL by the renders (post image, report cover, video frames), which run without network access.
 */
export const MAX_LOGO_BYTES = 512 * 1024;
