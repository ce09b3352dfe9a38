// A connection's name: used in tags, resource names, ClientTokens, the record's secret name and execution names,
// so one definition serves the spec schema, the API, chat, the task inputs and the drift inventory.

/** 3-40 characters: a lowercase letter, then lowercase letters, digits or hyphens */
export const CONNECTION_NAME_SOURCE = '[a-z][a-z0-9-]{2,39}';
export const CONNECTION_NAME = new RegExp(`^${CONNECTION_NAME_SOURCE}$`);
export const CONNECTION_NAME_RULE =
  'must be 3-40 characters: a lowercase letter, then lowercase letters, digits or hyphens';
