/** Public face of the errors module. */
export { AppError, type ErrorBody, notFound } from './app-error.ts';
export { ERROR_TABLE, type ErrorCode } from './codes.ts';
export { errorTableMarkdown } from './error-table-markdown.ts';
