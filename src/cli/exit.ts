/** Exit codes (CHECKS.md): 0 clean, 1 findings at/above --fail-on, 2 incomplete input/collection, 3 usage. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INCOMPLETE = 2;
export const EXIT_USAGE = 3;

/** An error the user caused (bad flag value, unknown check id): printed as one line, exit 3. */
export class UsageError extends Error {}
/** Input that could not be processed (unreadable snapshot, unreachable cluster): one line, exit 2. */
export class InputError extends Error {}
