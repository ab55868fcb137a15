/** The `-o` formats, declared by main.ts without loading the reporters. */
export {
  LIST_FORMATS,
  OBJECT_FORMATS,
  OUTPUT_FORMATS,
  type ListFormat,
  type ObjectFormat,
  type OutputFormat,
} from '../report/formats.js';
