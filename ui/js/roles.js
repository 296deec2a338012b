import { h } from './dom.js';

export const ROLES = ['viewer', 'editor', 'admin'];

const ROLE_DESCRIPTIONS = {
  viewer: 'Viewer — reads runs and brands',
  editor: 'Editor — launches and approves',
  admin: 'Admin — everything, including settings',
};

/**
 * A role picker named `role`.
 * @param {{described?: boolean}} [o] described: each option says what the role may do; other keys are attributes
 */
export function roleSelect(value = 'editor', { described = false, ...attrs } = {}) {
  return h(
    'select',
    { name: 'role', ...attrs },
    ROLES.map((r) => h('option', { value: r, selected: r === value }, described ? ROLE_DESCRIPTIONS[r] : r)),
  );
}
