import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes every run carries, so lists filter in visibility and the Temporal Web UI. */
export const WorkspaceIdKey = defineSearchAttributeKey('WorkspaceId', SearchAttributeType.KEYWORD);
export const AutomationKey = defineSearchAttributeKey('Automation', SearchAttributeType.KEYWORD);
export const BrandIdKey = defineSearchAttributeKey('BrandId', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTES = { WorkspaceId: 'Keyword', Automation: 'Keyword', BrandId: 'Keyword' } as const;
