import { resolve } from 'node:path';

/** ../shared/data beside the repository (never copied into it). */
export const SHARED_DATA = resolve(import.meta.dirname, '../../../../shared/data');
