export type * from './wire.js';
export { EVENT_TYPES } from './wire.js';
