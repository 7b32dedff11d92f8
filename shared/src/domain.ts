/**
 * `@promton/shared/domain`: pure rules (permissions, channel names, custom ids,
 * embeds, member-facing answers, the message catalog, Discord error codes). Loads no client, no Redis,
 * no BullMQ: `domain/` folders of the services import only this and `contracts`.
 */
export * from './domain/permissions.js';
export * from './domain/bot-actions.js';
export * from './domain/ticket-channel.js';
export * from './domain/custom-ids.js';
export * from './domain/embeds.js';
export * from './domain/answers.js';
export * from './domain/errors.js';
export * from './domain/priority.js';
export * from './domain/support-hours.js';
export * from './domain/duration.js';
export * from './domain/i18n/index.js';
export * from './domain/file-size.js';
