// Placeholder: replaced by the read API handler (GET /v1/...).
export const handler = async () => ({ statusCode: 501, body: '' });
