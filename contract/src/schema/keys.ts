/**
 * The keys people are counted by, as SQL over events rows — one definition for every question.
 *
 * - A **device** is the event's anonymous id or, when it has none (server libraries sending
 *   `track({ userId })`), its user id. The two are hashed in separate key spaces ('a' / 'u'), so
 *   an anonymous id that happens to equal somebody's user id is never that person.
 * - A **user** key is the same hash of a user id in the 'u' space: a userId-only device *is* its
 *   user, the same person as every device the identity map links to that user id.
 * - A **person** is the user a device is linked to, else the device.
 *
 * 64-bit cityHash64 keys: grouping by them costs several times less than by strings.
 */

/** The device key of an events row (columns `anonymous_id`, `user_id`). */
export const DEVICE_KEY_SQL =
  "if(anonymous_id != '', cityHash64('a', anonymous_id), cityHash64('u', user_id))";

/** The device key of an anonymous id (identity map rows). */
export const anonymousDeviceKeySql = (column: string) => `cityHash64('a', ${column})`;

/** The user key of a user id column or expression (fixed identifiers, never input). */
export const userKeySql = (column: string) => `cityHash64('u', ${column})`;
