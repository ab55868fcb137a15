/** The `-o` formats, declared by main.ts without loading the reporters. */
export { OUTPUT_FORMATS, type OutputFormat } from '../report/formats.js';
