export { extractLeadFacts, type LeadFacts, type LeadHints, type LeadPage, type Sourced } from './lead-facts';
export type { FollowKind, FollowLink } from './follow-links';
export type { PostalAddress } from './structured-data';
export { SOCIAL_NETWORKS, type SocialNetwork } from './social';
