/**
 * Gmail's label catalogue: the fixed system labels every mailbox has, user labels
 * (`Label_N`) and the label resources `labels.list` / `labels.get` answer with, counts
 * included.
 */

export interface LabelColor {
  textColor: string;
  backgroundColor: string;
}

export interface UserLabel {
  id: string;
  name: string;
  color?: LabelColor;
}

export interface LabelResource {
  id: string;
  name: string;
  messageListVisibility?: 'show' | 'hide';
  labelListVisibility?: 'labelShow' | 'labelShowIfUnread' | 'labelHide';
  type: 'system' | 'user';
  color?: LabelColor;
}

export interface LabelCounts {
  messagesTotal: number;
  messagesUnread: number;
  threadsTotal: number;
  threadsUnread: number;
}

const HIDDEN = { messageListVisibility: 'hide', labelListVisibility: 'labelHide' } as const;

/** System labels in the order Gmail lists them. */
export const SYSTEM_LABELS: readonly LabelResource[] = [
  { id: 'CHAT', name: 'CHAT', ...HIDDEN, type: 'system' },
  { id: 'SENT', name: 'SENT', type: 'system' },
  { id: 'INBOX', name: 'INBOX', type: 'system' },
  { id: 'IMPORTANT', name: 'IMPORTANT', ...HIDDEN, type: 'system' },
  { id: 'TRASH', name: 'TRASH', ...HIDDEN, type: 'system' },
  { id: 'DRAFT', name: 'DRAFT', type: 'system' },
  { id: 'SPAM', name: 'SPAM', ...HIDDEN, type: 'system' },
  { id: 'CATEGORY_FORUMS', name: 'CATEGORY_FORUMS', type: 'system' },
  { id: 'CATEGORY_UPDATES', name: 'CATEGORY_UPDATES', type: 'system' },
  { id: 'CATEGORY_PERSONAL', name: 'CATEGORY_PERSONAL', type: 'system' },
  { id: 'CATEGORY_PROMOTIONS', name: 'CATEGORY_PROMOTIONS', type: 'system' },
  { id: 'CATEGORY_SOCIAL', name: 'CATEGORY_SOCIAL', type: 'system' },
  { id: 'STARRED', name: 'STARRED', type: 'system' },
  { id: 'UNREAD', name: 'UNREAD', type: 'system' },
];

const SYSTEM_IDS = new Set(SYSTEM_LABELS.map((label) => label.id));

export function isSystemLabelId(id: string): boolean {
  return SYSTEM_IDS.has(id);
}

export function userLabelResource(label: UserLabel): LabelResource {
  return {
    id: label.id,
    name: label.name,
    messageListVisibility: 'show',
    labelListVisibility: 'labelShow',
    type: 'user',
    ...(label.color ? { color: label.color } : {}),
  };
}

/** Every label of a mailbox: system ones first, then user labels in creation order. */
export function allLabels(userLabels: Iterable<UserLabel>): LabelResource[] {
  return [
    ...SYSTEM_LABELS.map((label) => ({ ...label })),
    ...[...userLabels].map(userLabelResource),
  ];
}
