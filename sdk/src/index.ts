export type * from './wire.js';
export { CHANNELS, EVENT_TYPES } from './wire.js';
