/**
 * The closed table of API error codes: each code's number, HTTP status and description.
 * README's error table is generated from this file; add a row here, never inline elsewhere.
 */
export const ERROR_TABLE = {
  internal_error: { code: 1, status: 500, desc: 'Internal server error' },
  bad_request: { code: 2, status: 400, desc: 'Bad request' },
  validation_failed: { code: 3, status: 400, desc: 'Request validation failed' },
  not_found: { code: 4, status: 404, desc: 'Object not found' },
  route_not_found: { code: 5, status: 404, desc: 'Resource not found' },
  unsupported_media_type: { code: 7, status: 415, desc: 'Unsupported media type' },
  payload_too_large: { code: 8, status: 413, desc: 'Request body too large' },
  image_decode_failed: { code: 10, status: 400, desc: 'Image could not be decoded' },
  image_too_large: { code: 11, status: 413, desc: 'Image pixel count over the limit' },
  image_format_unsupported: { code: 12, status: 415, desc: 'Image format not supported' },
  too_many_faces: { code: 13, status: 400, desc: 'More than one face found' },
  enrolment_refused: { code: 14, status: 422, desc: "Face refused by the list's enrolment policy" },
  descriptor_missing: { code: 21, status: 400, desc: 'Object has no descriptor' },
  descriptor_version_not_served: {
    code: 22,
    status: 400,
    desc: 'Descriptor of a version matching does not serve',
  },
  conflict: { code: 30, status: 409, desc: 'Object already exists' },
  sample_in_use: { code: 31, status: 409, desc: 'Sample still held by faces' },
  model_unavailable: { code: 40, status: 503, desc: 'Model not loaded' },
  unauthorized: { code: 50, status: 401, desc: 'Missing or invalid credentials' },
  forbidden: { code: 51, status: 403, desc: 'Permission denied' },
  too_many_requests: { code: 52, status: 429, desc: 'Too many failed attempts' },
  setup_completed: { code: 53, status: 409, desc: 'Setup already completed' },
  task_result_unavailable: { code: 80, status: 404, desc: 'Task result not available' },
  task_finished: { code: 81, status: 409, desc: 'Task already finished' },
} as const;

/** Snake_case name of an API error. */
export type ErrorCode = keyof typeof ERROR_TABLE;

/** HTTP statuses the error table uses. */
export type ErrorStatus = (typeof ERROR_TABLE)[ErrorCode]['status'];
