/** A problem with what the user asked for (a flag, a file): exit 2 with the message, no stack. */
export class UsageError extends Error {}
