/**
 * Output format names, apart from the reporters: main.ts needs the list to declare `-o`, and
 * importing it from the reporters would load the engine, every check and every reporter (yaml,
 * chalk, cli-table3) before any command runs, even `version`.
 */
export type OutputFormat = 'table' | 'json' | 'yaml' | 'sarif';
export const OUTPUT_FORMATS: OutputFormat[] = ['table', 'json', 'yaml', 'sarif'];
/** The formats of the list-shaped commands (status, nads): `wide` is the table with its wide columns. */
export type ListFormat = 'table' | 'wide' | 'json';
export const LIST_FORMATS: ListFormat[] = ['table', 'wide', 'json'];
/** The formats of the object attach/detach print with `-o`, as kubectl prints one. */
export type ObjectFormat = 'yaml' | 'json';
export const OBJECT_FORMATS: ObjectFormat[] = ['yaml', 'json'];
