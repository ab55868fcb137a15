/** The `-o` formats, declared by main.ts without loading the reporters. */
export { LIST_FORMATS, OUTPUT_FORMATS, type ListFormat, type OutputFormat } from '../report/formats.js';
