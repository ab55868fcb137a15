/**
 * Output format names, apart from the reporters: main.ts needs the list to declare `-o`, and
 * importing it from the reporters would load the engine, every check and every reporter (yaml,
 * chalk, cli-table3) before any command runs, even `version`.
 */
export type OutputFormat = 'table' | 'json' | 'yaml' | 'sarif';
export const OUTPUT_FORMATS: OutputFormat[] = ['table', 'json', 'yaml', 'sarif'];
