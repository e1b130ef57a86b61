/**
 * A random v4 UUID: messageIds, anonymous ids and session ids. Built from getRandomValues
 * (browsers, Node 20) rather than randomUUID, which browsers only offer on https pages.
 */
export const uuid = (): string =>
  '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (digit) =>
    // +digit: the digit as a number (0, 1 or 8), shorter than Number(digit) twice.
    (+digit ^ (crypto.getRandomValues(new Uint8Array(1))[0]! & (15 >> (+digit / 4)))).toString(16),
  );
