/** Sent as `context.library.version`; a test keeps it equal to package.json's version. */
export const LIBRARY = { name: 'waymark-js', version: '0.1.0' } as const;
