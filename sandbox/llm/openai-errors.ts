/**
 * OpenAI's error envelope (`{error: {message, type, param, code}}`) and the canned errors
 * the sandbox answers with. A key is never echoed in a message.
 */

export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface OpenAiError {
  status: number;
  body: OpenAiErrorBody;
}

export function openAiError(
  status: number,
  message: string,
  options: { type?: string; param?: string | null; code?: string | null } = {},
): OpenAiError {
  return {
    status,
    body: {
      error: {
        message,
        type: options.type ?? 'invalid_request_error',
        param: options.param ?? null,
        code: options.code ?? null,
      },
    },
  };
}

export function invalidRequest(message: string, param: string | null, code: string): OpenAiError {
  return openAiError(400, message, { param, code });
}

export function missingKey(): OpenAiError {
  return openAiError(
    401,
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
    { code: 'missing_api_key' },
  );
}

export function wrongKey(): OpenAiError {
  return openAiError(401, 'Incorrect API key provided.', { code: 'invalid_api_key' });
}

export function unknownModel(model: string): OpenAiError {
  return openAiError(
    404,
    `The model \`${model.slice(0, 100)}\` does not exist or you do not have access to it.`,
    { param: 'model', code: 'model_not_found' },
  );
}

export function serverError(): OpenAiError {
  return openAiError(
    500,
    'The server had an error while processing your request. Sorry about that!',
    {
      type: 'server_error',
    },
  );
}

export function notFound(method: string, path: string): OpenAiError {
  return openAiError(404, `Invalid URL (${method} ${path.slice(0, 200)})`, { code: 'unknown_url' });
}
